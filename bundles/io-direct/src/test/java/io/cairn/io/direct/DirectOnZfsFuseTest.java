package io.cairn.io.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.IoCapabilities;
import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import io.cairn.testkit.ZfsFusePool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conformance kit with O_DIRECT on a zfs-fuse dataset. Linux's FUSE accepts
 * {@code open(O_DIRECT)} (since the kernel commit "fuse: O_DIRECT support for files", 2012) and
 * sends such I/O to the daemon past the page cache, so the direct backend applies there. Nothing
 * here skips on a refusal: a kernel that refused would fail these tests instead of passing them
 * silently.
 */
class DirectOnZfsFuseTest extends BaseStorageBackendTestCase {

    @RegisterExtension
    static final ZfsFusePool ZFS = ZfsFusePool.create().withDataset("data", "recordsize=16K");

    @Override
    protected Path baseDirectory() {
        return ZFS.mountPoint("data");
    }

    @Override
    protected StorageBackend newBackend(Path root) {
        return new DirectStorageBackend(FlushMethod.O_DIRECT, false, DeviceFacts.system());
    }

    @Test
    void zfsFuseMustAcceptODirectAndBeReportedAsFuseZfsWithoutABlockDevice() throws Exception {
        IoCapabilities caps = open("caps", CreateMode.CREATE_NEW).capabilities();
        assertTrue(caps.direct());
        assertEquals("fuse.zfs", caps.fileSystemType());
        assertEquals("unknown", caps.facts().get("writeCache"), "FUSE has no block device to ask: " + caps.facts());
    }
}
