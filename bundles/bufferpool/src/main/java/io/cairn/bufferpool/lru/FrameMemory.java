package io.cairn.bufferpool.lru;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Off-heap memory for page frames that does not count against the JVM's direct memory limit.
 *
 * <p>{@link ByteBuffer#allocateDirect} is capped by {@code -XX:MaxDirectMemorySize}, which defaults
 * to the heap size: a 4 GiB pool would need a 4 GiB heap setting although the heap holds only the
 * frames' metadata. A private (copy-on-write) mapping of a sparse, already deleted scratch file is
 * off-heap memory that the JVM does not count: untouched frames cost nothing, touched frames become
 * anonymous memory of this process, nothing is ever written back to the file, and the mapping is
 * released by the garbage collector like any buffer, so a stale frame view can never reach freed
 * memory.
 *
 * <p>When no scratch file can be created (no writable temporary directory), it falls back to
 * {@code allocateDirect}, with its limit.
 */
final class FrameMemory {

    /** The directory for scratch files; the JVM's temporary directory unless set. */
    static final String SCRATCH_DIRECTORY_PROPERTY = "cairn.bufferpool.scratchDirectory";

    private FrameMemory() {
    }

    /**
     * Zero-filled memory of {@code bytes} bytes whose start is aligned to {@code alignmentBytes} (a
     * power of two).
     *
     * @throws OutOfMemoryError if neither a mapping nor a direct buffer of that size is possible
     */
    static ByteBuffer allocate(int bytes, int alignmentBytes) {
        int mappedBytes = Math.addExact(bytes, alignmentBytes);
        try {
            return map(mappedBytes).alignedSlice(alignmentBytes).limit(bytes).slice();
        } catch (IOException | UncheckedIOException e) {
            return ByteBuffer.allocateDirect(mappedBytes).alignedSlice(alignmentBytes).limit(bytes).slice();
        }
    }

    private static ByteBuffer map(int bytes) throws IOException {
        Path directory = Path.of(System.getProperty(SCRATCH_DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")));
        Path scratch = Files.createTempFile(directory, "cairn-frames-", ".tmp");
        try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Sparse: setting the size writes nothing, and a private mapping never writes back.
            channel.truncate(0);
            channel.write(ByteBuffer.allocate(1), bytes - 1L);
            return channel.map(FileChannel.MapMode.PRIVATE, 0, bytes);
        } finally {
            // The mapping keeps the memory; the name is not needed and must not outlive a crash.
            Files.deleteIfExists(scratch);
        }
    }
}
