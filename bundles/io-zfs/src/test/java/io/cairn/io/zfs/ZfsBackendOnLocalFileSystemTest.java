package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.cairn.io.CreateMode;
import io.cairn.io.IoCapabilities;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.testkit.BaseStorageBackendTestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit with the real machine's detection on the local file system (ext4 on the
 * build machines): not ZFS, so the backend must behave exactly like the buffered backend.
 */
class ZfsBackendOnLocalFileSystemTest extends BaseStorageBackendTestCase {

    @Override
    protected StorageBackend newBackend(Path root) {
        return new ZfsStorageBackend();
    }

    @Test
    void localFileSystemMustBeDetectedAsNotZfsAndUseBufferedFsync() throws Exception {
        String type = Files.getFileStore(root).type();
        assumeFalse(type.equals("zfs") || type.equals("fuse.zfs"),
                "the temporary directory is on " + type + "; this test is about a file system that is not ZFS");
        StorageFile file = open("local", CreateMode.CREATE_NEW);
        IoCapabilities caps = file.capabilities();
        assertFalse(caps.direct());
        assertEquals(1, caps.offsetAlignmentBytes());
        assertEquals(0, caps.atomicWriteUnitBytes());
        assertEquals(type, caps.fileSystemType());
        assertEquals("false", caps.facts().get("zfs"));
        assertEquals("not ZFS (" + type + ")", caps.facts().get("reason"));
        assertTrue(file.describe().endsWith("via zfs -> buffered(syncMethod=fsync)"), file.describe());
    }
}
