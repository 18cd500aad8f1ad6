package io.cairn.io.direct;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.IoCapabilities;
import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The conformance kit with {@link FlushMethod#O_DSYNC}. */
class DirectDsyncStorageBackendTest extends BaseStorageBackendTestCase {

    @Override
    protected StorageBackend newBackend(Path root) throws Exception {
        DirectIoAssumptions.assumeDirectIo(root);
        return new DirectStorageBackend(FlushMethod.O_DSYNC, false, DeviceFacts.system());
    }

    @Test
    void dsyncMustClaimDurableWritesAndHandleSizeChangesItself() throws Exception {
        IoCapabilities caps = open("caps", CreateMode.CREATE_NEW).capabilities();
        assertTrue(caps.writeDurableOnReturn());
        assertFalse(caps.needsSyncAfterResize());
    }
}
