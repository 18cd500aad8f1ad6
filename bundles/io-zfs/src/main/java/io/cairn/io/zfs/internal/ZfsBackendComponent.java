package io.cairn.io.zfs.internal;

import io.cairn.io.ReconfigurableStorageBackend;
import io.cairn.io.StorageBackend;
import io.cairn.io.zfs.ZfsSettings;
import io.cairn.io.zfs.ZfsStorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * DS adapter registering {@link ZfsStorageBackend} as {@code cairn.backend=zfs}. A configuration
 * change builds a new backend for files opened afterwards; a bad setting is reported in one line
 * naming the key, the value and what is allowed (see {@link ReconfigurableStorageBackend}).
 */
@Component(
        service = StorageBackend.class,
        configurationPid = ZfsBackendComponent.PID,
        property = StorageBackend.NAME_PROPERTY + "=" + ZfsStorageBackend.NAME)
@Designate(ocd = ZfsBackendComponent.Config.class)
public final class ZfsBackendComponent extends ReconfigurableStorageBackend {

    static final String PID = "io.cairn.io.zfs";

    @ObjectClassDefinition(name = "Cairn ZFS-aware I/O backend",
            description = "Detects ZFS, its version and dataset properties, and uses direct I/O only where it is"
                    + " safe and useful (OpenZFS 2.3+, direct not disabled, page size = recordsize); buffered I/O"
                    + " with fsync elsewhere.")
    public @interface Config {
        @AttributeDefinition(name = "Direct I/O",
                description = "auto: direct I/O where the decision table allows it. off: always buffered I/O.",
                options = {@Option(label = "auto", value = "auto"), @Option(label = "off", value = "off")})
        String directIo() default "auto";

        @AttributeDefinition(name = "Page size (bytes)",
                description = "The engine's page size, assumed by probe() and used for the recommended recordsize:"
                        + " 4096, 8192, 16384, 32768 or 65536.")
        int pageSizeBytes() default ZfsSettings.DEFAULT_PAGE_SIZE_BYTES;

        @AttributeDefinition(name = "zfs CLI timeout (ms)",
                description = "How long one 'zfs get' may run before it is destroyed and the property counts as unknown.")
        long cliTimeoutMillis() default 5_000;

        @AttributeDefinition(name = "zfs CLI",
                description = "The zfs command: a name looked up on the PATH (and /sbin, /usr/sbin) or an absolute path.")
        String zfsCommand() default "zfs";

        @AttributeDefinition(name = "Property cache (ms)",
                description = "How long dataset properties are reused before the CLI is asked again; 0 asks on every open.")
        long propertyCacheMillis() default 10_000;
    }

    @Activate
    @Modified
    void configure(Config config) {
        reconfigure(ZfsStorageBackend.NAME, PID, () -> new ZfsStorageBackend(settings(config)));
    }

    static ZfsSettings settings(Config config) {
        return new ZfsSettings(ZfsSettings.parseDirectIo(config.directIo()), config.pageSizeBytes(),
                config.cliTimeoutMillis(), config.zfsCommand(), config.propertyCacheMillis());
    }
}
