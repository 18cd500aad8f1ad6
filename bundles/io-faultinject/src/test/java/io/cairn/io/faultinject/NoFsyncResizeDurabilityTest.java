package io.cairn.io.faultinject;

import io.cairn.io.direct.DeviceFacts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Field report 2 (MySQL Bug #45892): O_DIRECT moves data but not the file's size. The direct
 * backend's O_DIRECT_NO_FSYNC mode therefore fsyncs after every size change; these tests show the
 * tail survives a power loss with that fsync, and is lost when the same mode skips it.
 */
class NoFsyncResizeDurabilityTest {

    private static final int PAGE = 16384;

    @TempDir
    Path root;

    private byte[] writeExtendingTailAndCrash(UnaryOperator<IoCapabilities> simulate) throws IOException {
        DirectStorageBackend direct = new DirectStorageBackend(FlushMethod.O_DIRECT_NO_FSYNC, true,
                io.cairn.io.direct.DeviceFacts.system());
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(direct, 99, simulate);
        Path path = root.resolve("t.ibd");
        try {
            StorageFile file = backend.open(path, OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, PAGE));
            backend.syncDirectory(root);
            file.write(0, page(0x01));
            file.sync(SyncLevel.DATA_AND_METADATA);
            file.write(PAGE, page(0x02)); // extends the file; NO_FSYNC: no data sync follows
            file.sync(SyncLevel.DATA);    // a no-op in this mode, as InnoDB's O_DIRECT_NO_FSYNC
        } catch (io.cairn.io.DirectIoUnsupportedException e) {
            assumeTrue(false, e.getMessage());
        }
        backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        return Files.readAllBytes(path);
    }

    @Test
    void noFsyncModeMustKeepAnExtendedTailThroughPowerLoss() throws IOException {
        byte[] after = writeExtendingTailAndCrash(UnaryOperator.identity());
        assertEquals(2 * PAGE, after.length);
        assertArrayEquals(bytes(0x02), Arrays.copyOfRange(after, PAGE, 2 * PAGE));
    }

    @Test
    void noFsyncModeWithoutTheResizeFsyncMustLoseTheTail() throws IOException {
        // The same backend as if it skipped the fsync after extending: the size change is then
        // only durable after a metadata sync, which this mode never issues for data writes.
        byte[] after = writeExtendingTailAndCrash(caps -> new IoCapabilities(caps.bufferAlignmentBytes(),
                caps.offsetAlignmentBytes(), caps.direct(), caps.atomicWriteUnitBytes(), caps.writeDurableOnReturn(),
                true, caps.powersafeOverwrite(), caps.fileSystemType(), caps.facts()));
        assertEquals(PAGE, after.length, "the tail beyond the durable size must be lost");
    }

    private static byte[] bytes(int value) {
        byte[] bytes = new byte[PAGE];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static ByteBuffer page(int value) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(PAGE + 4096).alignedSlice(4096).limit(PAGE);
        buffer.put(bytes(value)).flip();
        return buffer;
    }
}
