package io.cairn.io.buffered;

import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import io.cairn.testkit.MountedFileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance kit on a loop-mounted btrfs image. */
class BufferedOnBtrfsTest extends BaseStorageBackendTestCase {

    @RegisterExtension
    static final MountedFileSystem FS = MountedFileSystem.of("btrfs");

    @Override
    protected Path baseDirectory() {
        return FS.mountPoint();
    }

    @Override
    protected StorageBackend newBackend(Path root) {
        return new BufferedStorageBackend(SyncMethod.FDATASYNC);
    }
}
