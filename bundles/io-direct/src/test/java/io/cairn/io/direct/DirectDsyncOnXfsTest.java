package io.cairn.io.direct;

import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import io.cairn.testkit.MountedFileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance kit with O_DSYNC on a loop-mounted xfs image. */
class DirectDsyncOnXfsTest extends BaseStorageBackendTestCase {

    @RegisterExtension
    static final MountedFileSystem FS = MountedFileSystem.of("xfs");

    @Override
    protected Path baseDirectory() {
        return FS.mountPoint();
    }

    @Override
    protected StorageBackend newBackend(Path root) throws Exception {
        DirectIoAssumptions.assumeDirectIo(root);
        return new DirectStorageBackend(FlushMethod.O_DSYNC, false, DeviceFacts.system());
    }
}
