package io.cairn.io.buffered.internal;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.ReconfigurableStorageBackend;
import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * DS adapter registering {@link BufferedStorageBackend} as a {@link StorageBackend} service named
 * {@value BufferedStorageBackend#NAME}. Configuration changes apply to files opened afterwards.
 */
@Component(
        service = StorageBackend.class,
        configurationPid = BufferedBackendComponent.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + BufferedStorageBackend.NAME)
@Designate(ocd = BufferedBackendComponent.Config.class)
public final class BufferedBackendComponent extends ReconfigurableStorageBackend {

    static final String PID = "io.cairn.io.buffered";

    @ObjectClassDefinition(name = "Cairn buffered I/O backend",
            description = "Page-cache I/O with fsync or fdatasync.")
    public @interface Config {
        @AttributeDefinition(name = "Sync method",
                description = "fdatasync: data syncs use fdatasync, metadata syncs fsync. fsync: every sync is fsync.",
                options = {@Option(label = "fdatasync", value = "fdatasync"), @Option(label = "fsync", value = "fsync")})
        String syncMethod() default "fdatasync";
    }

    @Activate
    @Modified
    void configure(Config config) {
        reconfigure(BufferedStorageBackend.NAME, PID, () -> new BufferedStorageBackend(parseSyncMethod(config.syncMethod())));
    }

    static SyncMethod parseSyncMethod(String value) {
        try {
            return InvalidSettingException.requireEnum("syncMethod", value, SyncMethod.class);
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException("syncMethod", value, "fdatasync or fsync");
        }
    }
}
