package io.cairn.redo.circular.internal;

import io.cairn.config.InvalidSettingException;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.circular.CircularRedoLogOptions;
import io.cairn.redo.circular.CircularRedoLogProvider;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter registering {@link CircularRedoLogProvider} as the {@link RedoLogProvider} service
 * named {@value CircularRedoLogProvider#NAME}. Configuration changes apply to logs opened
 * afterwards; a value that cannot be used is reported in one line and the previous settings stay.
 * Holds no log: each log belongs to the caller, who closes it.
 */
@Component(
        service = RedoLogProvider.class,
        configurationPid = CircularRedoLogComponent.PID,
        property = RedoLogProvider.NAME_PROPERTY + "=" + CircularRedoLogProvider.NAME)
@Designate(ocd = CircularRedoLogComponent.Config.class)
public final class CircularRedoLogComponent implements RedoLogProvider {

    static final String PID = "io.cairn.redo.circular";

    private static final System.Logger LOG = System.getLogger("io.cairn.redo.circular");

    @ObjectClassDefinition(name = "Cairn circular redo log",
            description = "Log buffer settings of the single-file circular redo log; capacity and durability come"
                    + " from the engine.")
    public @interface Config {
        @AttributeDefinition(name = "Log buffer size (KiB)",
                description = "The ring appenders copy into, and the largest group: a power of two from 64 to 1048576.")
        int logBufferKibibytes() default CircularRedoLogOptions.DEFAULT_LOG_BUFFER_BYTES >> 10;

        @AttributeDefinition(name = "Wait warning (ms)",
                description = "Log a warning when a thread waits this long for redo capacity or durability.")
        long waitWarningMillis() default 10_000;
    }

    private volatile CircularRedoLogProvider provider = new CircularRedoLogProvider();

    @Activate
    @Modified
    void configure(Config config) {
        try {
            provider = new CircularRedoLogProvider(options(config));
        } catch (InvalidSettingException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration " + PID + ": " + e.getMessage()
                    + "; keeping the previous settings");
        }
    }

    static CircularRedoLogOptions options(Config config) {
        return new CircularRedoLogOptions(config.logBufferKibibytes() << 10, config.waitWarningMillis());
    }

    /** The options logs are opened with now. */
    CircularRedoLogOptions currentOptions() {
        return provider.options();
    }

    @Override
    public String name() {
        return CircularRedoLogProvider.NAME;
    }

    @Override
    public RedoLog open(RedoLogConfig config) throws IOException {
        return provider.open(config);
    }

    @Override
    public boolean canContinueAtLsn() {
        return provider.canContinueAtLsn();
    }

    @Override
    public RedoLog create(RedoLogConfig config, long startLsn) throws IOException {
        return provider.create(config, startLsn);
    }
}
