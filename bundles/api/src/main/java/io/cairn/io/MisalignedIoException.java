package io.cairn.io;

import java.nio.ByteBuffer;

/**
 * A transfer whose buffer address, file offset or length does not meet the file's
 * {@link IoCapabilities alignment}. Thrown before the request reaches the operating system, so a
 * misaligned {@code O_DIRECT} request never turns into an {@code EINVAL} from deep inside the
 * kernel. It is a programming error in the caller, hence unchecked.
 */
public class MisalignedIoException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MisalignedIoException(String message) {
        super(message);
    }

    static String problem(IoCapabilities caps, long fileOffset, ByteBuffer buffer) {
        int offsetAlign = caps.offsetAlignmentBytes();
        if ((fileOffset & (offsetAlign - 1)) != 0) {
            return "file offset " + fileOffset + " is not a multiple of the required " + offsetAlign + " bytes";
        }
        int lengthBytes = buffer.remaining();
        if ((lengthBytes & (offsetAlign - 1)) != 0) {
            return "transfer length " + lengthBytes + " is not a multiple of the required " + offsetAlign + " bytes";
        }
        int bufferAlign = caps.bufferAlignmentBytes();
        if (bufferAlign > 1) {
            if (!buffer.isDirect()) {
                return "a heap buffer cannot meet the required " + bufferAlign + "-byte memory alignment;"
                        + " use a direct buffer from ByteBuffer.allocateDirect(n).alignedSlice(" + bufferAlign + ")";
            }
            if (buffer.alignmentOffset(buffer.position(), bufferAlign) != 0) {
                return "buffer address at position " + buffer.position() + " is not aligned to the required "
                        + bufferAlign + " bytes";
            }
        }
        return null;
    }
}
