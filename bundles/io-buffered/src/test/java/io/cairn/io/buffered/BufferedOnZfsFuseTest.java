package io.cairn.io.buffered;

import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import io.cairn.testkit.ZfsFusePool;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance kit on a zfs-fuse dataset with 16K records (the engine's default page size). */
class BufferedOnZfsFuseTest extends BaseStorageBackendTestCase {

    @RegisterExtension
    static final ZfsFusePool ZFS = ZfsFusePool.create().withDataset("data", "recordsize=16K");

    @Override
    protected Path baseDirectory() {
        return ZFS.mountPoint("data");
    }

    @Override
    protected StorageBackend newBackend(Path root) {
        return new BufferedStorageBackend(SyncMethod.FDATASYNC);
    }
}
