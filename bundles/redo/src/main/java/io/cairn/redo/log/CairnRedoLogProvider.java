package io.cairn.redo.log;

import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import java.io.IOException;
import java.util.Objects;

/**
 * Opens {@link CairnRedoLog}s. Plain Java: embedded users construct it directly; the DS component
 * in {@code internal} registers one as the {@code cairn.redo=cairn} service.
 */
public final class CairnRedoLogProvider implements RedoLogProvider {

    /** The {@value RedoLogProvider#NAME_PROPERTY} of this implementation. */
    public static final String NAME = "cairn";

    private final RedoLogOptions options;

    public CairnRedoLogProvider(RedoLogOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A provider with {@link RedoLogOptions#defaults()}. */
    public CairnRedoLogProvider() {
        this(RedoLogOptions.defaults());
    }

    /** The options logs are opened with. */
    public RedoLogOptions options() {
        return options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RedoLog open(RedoLogConfig config) throws IOException {
        return CairnRedoLog.open(config, options);
    }

    @Override
    public boolean canContinueAtLsn() {
        return true;
    }

    @Override
    public RedoLog create(RedoLogConfig config, long startLsn) throws IOException {
        return CairnRedoLog.create(config, options, startLsn);
    }
}
