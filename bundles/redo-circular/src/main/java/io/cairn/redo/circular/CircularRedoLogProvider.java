package io.cairn.redo.circular;

import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import java.io.IOException;
import java.util.Objects;

/**
 * Opens {@link CircularRedoLog}s. Plain Java: embedded users construct it directly; the DS
 * component in {@code internal} registers one as the {@code cairn.redo=circular} service.
 */
public final class CircularRedoLogProvider implements RedoLogProvider {

    /** The {@value RedoLogProvider#NAME_PROPERTY} of this implementation. */
    public static final String NAME = "circular";

    private final CircularRedoLogOptions options;

    public CircularRedoLogProvider(CircularRedoLogOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A provider with {@link CircularRedoLogOptions#defaults()}. */
    public CircularRedoLogProvider() {
        this(CircularRedoLogOptions.defaults());
    }

    /** The options logs are opened with. */
    public CircularRedoLogOptions options() {
        return options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RedoLog open(RedoLogConfig config) throws IOException {
        return CircularRedoLog.open(config, options);
    }

    @Override
    public boolean canContinueAtLsn() {
        return true;
    }

    @Override
    public RedoLog create(RedoLogConfig config, long startLsn) throws IOException {
        return CircularRedoLog.create(config, options, startLsn);
    }
}
