package io.cairn.io.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.MisalignedIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.testkit.BaseStorageBackendTestCase;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The conformance kit and direct-I/O specifics with {@link FlushMethod#O_DIRECT}. */
class DirectStorageBackendTest extends BaseStorageBackendTestCase {

    @Override
    protected StorageBackend newBackend(Path root) throws Exception {
        DirectIoAssumptions.assumeDirectIo(root);
        return new DirectStorageBackend(FlushMethod.O_DIRECT, false, DeviceFacts.system());
    }

    @Test
    void capabilitiesMustComeFromTheKernelAndClaimDirect() throws Exception {
        StorageFile file = open("caps", CreateMode.CREATE_NEW);
        IoCapabilities caps = file.capabilities();
        assertTrue(caps.direct());
        assertTrue(caps.offsetAlignmentBytes() >= 512, "alignment " + caps.offsetAlignmentBytes());
        assertTrue(caps.needsSyncAfterResize(), "plain O_DIRECT leaves size changes to the engine's fsync");
        assertTrue(caps.facts().get("alignmentSource").startsWith("statx"), caps.facts().toString());
    }

    @Test
    void misalignedOffsetMustBeRefusedBeforeTheKernel() throws Exception {
        StorageFile file = open("misaligned", CreateMode.CREATE_NEW);
        ByteBuffer buffer = alignedBuffer(unitBytes());
        MisalignedIoException e = assertThrows(MisalignedIoException.class, () -> file.write(1, buffer));
        assertTrue(e.getMessage().contains("file offset 1"), e.getMessage());
        assertEquals(0, file.sizeBytes(), "nothing may reach the file");
    }

    @Test
    void heapBufferMustBeRefused() throws Exception {
        StorageFile file = open("heap", CreateMode.CREATE_NEW);
        assertThrows(MisalignedIoException.class, () -> file.write(0, ByteBuffer.allocate(unitBytes())));
    }

    @Test
    void ioUnitThatIsNotAMultipleOfTheAlignmentMustBeRefusedAtOpen() throws Exception {
        int alignment = backend.probe(root).offsetAlignmentBytes();
        MisalignedIoException e = assertThrows(MisalignedIoException.class, () -> backend.open(root.resolve("unit"),
                OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, alignment + alignment / 2)));
        assertTrue(e.getMessage().contains("not a multiple"), e.getMessage());
    }
}
