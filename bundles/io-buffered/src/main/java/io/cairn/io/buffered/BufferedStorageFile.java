package io.cairn.io.buffered;

import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.buffered.internal.ReopeningChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;

/** One file of {@link BufferedStorageBackend}. Thread-safe. */
final class BufferedStorageFile implements StorageFile {

    /** Zeros used to extend files in {@link #allocate}; never written to. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final ReopeningChannel channel;
    private final OpenOptions options;
    private final SyncMethod syncMethod;
    private final IoCapabilities capabilities;
    private final String backendDescription;

    BufferedStorageFile(ReopeningChannel channel, OpenOptions options, SyncMethod syncMethod,
            IoCapabilities capabilities, String backendDescription) {
        this.channel = channel;
        this.options = options;
        this.syncMethod = syncMethod;
        this.capabilities = capabilities;
        this.backendDescription = backendDescription;
    }

    @Override
    public int read(long fileOffset, ByteBuffer dst) throws IOException {
        requireOffset(fileOffset);
        // Progress is measured from the buffer, not from return values: a transfer that was retried
        // after an interrupt may have moved the buffer before the exception.
        int startPosition = dst.position();
        while (dst.hasRemaining()) {
            long position = fileOffset + (dst.position() - startPosition);
            if (channel.call(ch -> ch.read(dst, position)) < 0) {
                break;
            }
        }
        int bytesRead = dst.position() - startPosition;
        // Past the end of file the caller still gets a full buffer: zeros, never stale contents.
        while (dst.hasRemaining()) {
            dst.put((byte) 0);
        }
        return bytesRead;
    }

    @Override
    public void write(long fileOffset, ByteBuffer src) throws IOException {
        requireOffset(fileOffset);
        requireWritable();
        int startPosition = src.position();
        while (src.hasRemaining()) {
            long position = fileOffset + (src.position() - startPosition);
            channel.call(ch -> ch.write(src, position));
        }
    }

    @Override
    public void sync(SyncLevel level) throws IOException {
        boolean metadata = level == SyncLevel.DATA_AND_METADATA || syncMethod == SyncMethod.FSYNC;
        channel.call(ch -> {
            ch.force(metadata);
            return 0;
        });
    }

    @Override
    public long sizeBytes() throws IOException {
        return channel.call(ch -> ch.size());
    }

    @Override
    public void allocate(long fileOffset, long lengthBytes) throws IOException {
        requireOffset(fileOffset);
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("lengthBytes must be >= 0, was " + lengthBytes);
        }
        requireWritable();
        // FileChannel has no fallocate: write zeros over the part beyond the current end, so the
        // blocks are really allocated and later writes cannot fail with ENOSPC.
        long endOffset = fileOffset + lengthBytes;
        long position = Math.max(fileOffset, sizeBytes());
        while (position < endOffset) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), endOffset - position));
            write(position, zeros);
            position += zeros.limit();
        }
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0, was " + sizeBytes);
        }
        requireWritable();
        long current = sizeBytes();
        if (sizeBytes < current) {
            channel.call(ch -> {
                ch.truncate(sizeBytes);
                return 0;
            });
        } else if (sizeBytes > current) {
            allocate(current, sizeBytes - current);
        }
    }

    @Override
    public IoCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public Path path() {
        return channel.path();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public String describe() {
        return channel.path() + " via " + backendDescription + (options.readOnly() ? " (read-only)" : "");
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void requireWritable() {
        if (options.readOnly()) {
            throw new NonWritableChannelException();
        }
    }

    private static void requireOffset(long fileOffset) {
        if (fileOffset < 0) {
            throw new IllegalArgumentException("fileOffset must be >= 0, was " + fileOffset);
        }
    }
}
