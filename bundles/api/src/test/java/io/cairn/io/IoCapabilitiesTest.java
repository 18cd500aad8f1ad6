package io.cairn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IoCapabilitiesTest {

    private static final IoCapabilities DIRECT_4K =
            new IoCapabilities(4096, 512, true, 0, false, true, false, "ext4", Map.of());

    @Test
    void alignedDirectBufferAtAlignedOffsetMustPass() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096).limit(1024);
        assertTrue(DIRECT_4K.isAligned(512, buffer));
        DIRECT_4K.checkAligned(1024, buffer);
    }

    @Test
    void misalignedOffsetMustBeRefusedNamingTheOffset() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096).limit(512);
        MisalignedIoException e = assertThrows(MisalignedIoException.class, () -> DIRECT_4K.checkAligned(100, buffer));
        assertEquals("file offset 100 is not a multiple of the required 512 bytes", e.getMessage());
    }

    @Test
    void misalignedLengthMustBeRefused() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096).limit(100);
        assertFalse(DIRECT_4K.isAligned(0, buffer));
    }

    @Test
    void heapBufferMustBeRefusedWhenMemoryAlignmentIsRequired() {
        MisalignedIoException e = assertThrows(MisalignedIoException.class,
                () -> DIRECT_4K.checkAligned(0, ByteBuffer.allocate(512)));
        assertTrue(e.getMessage().contains("heap buffer"), e.getMessage());
    }

    @Test
    void misalignedBufferAddressMustBeRefused() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096);
        buffer.position(512).limit(1024);
        assertFalse(DIRECT_4K.isAligned(0, buffer));
    }

    @Test
    void pageCacheCapabilitiesMustAcceptAnything() {
        IoCapabilities caps = IoCapabilities.pageCache("xfs", Map.of());
        assertTrue(caps.isAligned(3, ByteBuffer.allocate(7)));
        assertTrue(caps.needsSyncAfterResize());
    }

    @Test
    void alignmentThatIsNotAPowerOfTwoMustBeRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new IoCapabilities(3000, 1, true, 0, false, true, false, "ext4", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new IoCapabilities(4096, 1, true, 1000, false, true, false, "ext4", Map.of()));
    }
}
