package io.cairn.io.direct.internal;

import io.cairn.io.direct.DeviceFacts;
import io.cairn.io.ReconfigurableStorageBackend;
import io.cairn.io.StorageBackend;
import io.cairn.io.direct.DirectStorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * DS adapter registering {@link DirectStorageBackend} as {@code cairn.backend=direct}. A bad
 * setting does not fail activation: it is reported in one line naming the key, the value and what
 * is allowed (see {@link io.cairn.io.ReconfigurableStorageBackend}).
 */
@Component(
        service = StorageBackend.class,
        configurationPid = DirectBackendComponent.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + DirectStorageBackend.NAME)
@Designate(ocd = DirectBackendComponent.Config.class)
public final class DirectBackendComponent extends ReconfigurableStorageBackend {

    static final String PID = "io.cairn.io.direct";

    @ObjectClassDefinition(name = "Cairn direct I/O backend",
            description = "O_DIRECT / O_DSYNC I/O through the C library.")
    public @interface Config {
        @AttributeDefinition(name = "Flush method", options = {
            @Option(label = "O_DIRECT (fsync after writes)", value = "O_DIRECT"),
            @Option(label = "O_DIRECT_NO_FSYNC (fsync only after size changes)", value = "O_DIRECT_NO_FSYNC"),
            @Option(label = "O_DSYNC (every write durable)", value = "O_DSYNC")})
        String flushMethod() default "O_DIRECT";

        @AttributeDefinition(name = "Force O_DIRECT_NO_FSYNC",
                description = "Allow O_DIRECT_NO_FSYNC on a device with a volatile write cache (risks losing writes on power loss).")
        boolean forceNoFsync() default false;
    }

    @Activate
    @Modified
    void configure(Config config) {
        reconfigure(DirectStorageBackend.NAME, PID, () -> new DirectStorageBackend(
                DirectStorageBackend.parseFlushMethod("flushMethod", config.flushMethod()),
                config.forceNoFsync(), DeviceFacts.system()));
    }
}
