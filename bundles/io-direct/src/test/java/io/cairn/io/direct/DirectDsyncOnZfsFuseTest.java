package io.cairn.io.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import io.cairn.testkit.ZfsFusePool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance kit with O_DSYNC on a zfs-fuse dataset (a second pool of the same daemon as
 * {@link DirectOnZfsFuseTest}'s when both run in one JVM), and why O_DIRECT_NO_FSYNC does not
 * apply there.
 */
class DirectDsyncOnZfsFuseTest extends BaseStorageBackendTestCase {

    @RegisterExtension
    static final ZfsFusePool ZFS = ZfsFusePool.create().withDataset("data", "recordsize=16K");

    @Override
    protected Path baseDirectory() {
        return ZFS.mountPoint("data");
    }

    @Override
    protected StorageBackend newBackend(Path root) {
        return new DirectStorageBackend(FlushMethod.O_DSYNC, false, DeviceFacts.system());
    }

    @Test
    void noFsyncMustBeRefusedOnZfsFuseBecauseNoBlockDeviceVouchesForAWriteThroughCache() {
        DirectStorageBackend noFsync = new DirectStorageBackend(FlushMethod.O_DIRECT_NO_FSYNC, false, DeviceFacts.system());
        Path path = root.resolve("t1.ibd");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> noFsync.open(path, OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 16384)));
        assertEquals("flushMethod", e.key());
        assertEquals("O_DIRECT_NO_FSYNC", e.value());
        assertTrue(e.getMessage().contains("unknown write cache"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(path), "the setting is refused before anything is created");
    }
}
