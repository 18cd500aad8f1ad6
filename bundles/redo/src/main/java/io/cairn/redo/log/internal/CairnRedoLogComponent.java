package io.cairn.redo.log.internal;

import io.cairn.config.InvalidSettingException;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.log.CairnRedoLogProvider;
import io.cairn.redo.log.RedoLogOptions;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter registering {@link CairnRedoLogProvider} as the {@link RedoLogProvider} service named
 * {@value CairnRedoLogProvider#NAME}. Configuration changes apply to logs opened afterwards; a
 * value that cannot be used is reported in one line and the previous settings stay.
 */
@Component(
        service = RedoLogProvider.class,
        configurationPid = CairnRedoLogComponent.PID,
        property = RedoLogProvider.NAME_PROPERTY + "=" + CairnRedoLogProvider.NAME)
@Designate(ocd = CairnRedoLogComponent.Config.class)
public final class CairnRedoLogComponent implements RedoLogProvider {

    static final String PID = "io.cairn.redo";

    private static final System.Logger LOG = System.getLogger("io.cairn.redo");

    @ObjectClassDefinition(name = "Cairn redo log",
            description = "Redo log buffer and file settings; capacity and durability come from the engine.")
    public @interface Config {
        @AttributeDefinition(name = "Log buffer size (KiB)",
                description = "The ring appenders copy into, and the largest group: a power of two from 64 to 1048576.")
        int logBufferKibibytes() default RedoLogOptions.DEFAULT_LOG_BUFFER_BYTES >> 10;

        @AttributeDefinition(name = "Log file size (KiB)",
                description = "Size of each redo file, a multiple of 4 from 64 to 1048576; 0 derives it from the capacity.")
        long fileSizeKibibytes() default 0;

        @AttributeDefinition(name = "Zero-fill new files",
                description = "Write zeros over new redo files so later syncs are pure data syncs.")
        boolean zeroFillFiles() default true;

        @AttributeDefinition(name = "Wait warning (ms)",
                description = "Log a warning when a thread waits this long for redo capacity or durability.")
        long waitWarningMillis() default 10_000;
    }

    private volatile CairnRedoLogProvider provider = new CairnRedoLogProvider();

    @Activate
    @Modified
    void configure(Config config) {
        try {
            provider = new CairnRedoLogProvider(options(config));
        } catch (InvalidSettingException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration " + PID + ": " + e.getMessage()
                    + "; keeping the previous settings");
        }
    }

    static RedoLogOptions options(Config config) {
        return new RedoLogOptions(config.logBufferKibibytes() << 10, config.fileSizeKibibytes() << 10,
                config.zeroFillFiles(), config.waitWarningMillis());
    }

    /** The options logs are opened with now. */
    RedoLogOptions currentOptions() {
        return provider.options();
    }

    @Override
    public String name() {
        return CairnRedoLogProvider.NAME;
    }

    @Override
    public RedoLog open(RedoLogConfig config) throws IOException {
        return provider.open(config);
    }

    // The interface's defaults say "cannot continue"; without these the service would hide what
    // the provider supports, and the engine could never hand its log over to Cairn's.
    @Override
    public boolean canContinueAtLsn() {
        return provider.canContinueAtLsn();
    }

    @Override
    public RedoLog create(RedoLogConfig config, long startLsn) throws IOException {
        return provider.create(config, startLsn);
    }
}
