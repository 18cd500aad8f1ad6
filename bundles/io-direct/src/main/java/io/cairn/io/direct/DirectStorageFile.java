package io.cairn.io.direct;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.cairn.io.AccessAdvice;
import io.cairn.io.IoCapabilities;
import io.cairn.io.NativeIoException;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.direct.internal.Errors;
import io.cairn.io.direct.internal.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file opened with {@code O_DIRECT} (and {@code O_DSYNC} for that flush method), read and
 * written with {@code pread}/{@code pwrite} through JNA. Thread-safe.
 *
 * <p>Closing races with I/O are made safe by a use count: an fd is closed only when no call is
 * using it, so a concurrent {@code close} can never let a {@code pwrite} land in another file that
 * reused the fd number.
 */
final class DirectStorageFile implements StorageFile {

    /** Bit set in {@link #useState} once close() was called; the low bits count calls in progress. */
    private static final long CLOSED_BIT = 1L << 62;

    private final int fd;
    private final Path path;
    private final boolean readOnly;
    private final FlushMethod flushMethod;
    private final IoCapabilities capabilities;
    private final String backendDescription;
    private final AtomicLong useState = new AtomicLong();
    /** The largest size this handle has seen or made; writes beyond it are size changes. */
    private final AtomicLong knownSizeBytes;

    DirectStorageFile(int fd, Path path, boolean readOnly, FlushMethod flushMethod, IoCapabilities capabilities,
            String backendDescription) throws IOException {
        this.fd = fd;
        this.path = path;
        this.readOnly = readOnly;
        this.flushMethod = flushMethod;
        this.capabilities = capabilities;
        this.backendDescription = backendDescription;
        this.knownSizeBytes = new AtomicLong(lseekEnd());
    }

    @Override
    public int read(long fileOffset, ByteBuffer dst) throws IOException {
        requireOffset(fileOffset);
        capabilities.checkAligned(fileOffset, dst);
        acquire();
        try {
            int startPosition = dst.position();
            long address = address(dst);
            while (dst.hasRemaining()) {
                int done = dst.position() - startPosition;
                long n;
                try {
                    n = LibC.pread(fd, address + done, dst.remaining(), fileOffset + done);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == NativeIoException.EINTR) {
                        continue;
                    }
                    throw Errors.of("pread", e, path);
                }
                if (n == 0) {
                    break;
                }
                dst.position(dst.position() + (int) n);
                // A short, unaligned count only happens at end of file; reading on would be a
                // misaligned O_DIRECT request.
                if (((dst.position() - startPosition) & (capabilities.offsetAlignmentBytes() - 1)) != 0) {
                    break;
                }
            }
            int bytesRead = dst.position() - startPosition;
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
            return bytesRead;
        } finally {
            release();
        }
    }

    @Override
    public void write(long fileOffset, ByteBuffer src) throws IOException {
        requireOffset(fileOffset);
        requireWritable();
        capabilities.checkAligned(fileOffset, src);
        acquire();
        try {
            int startPosition = src.position();
            long address = address(src);
            while (src.hasRemaining()) {
                int done = src.position() - startPosition;
                try {
                    long n = LibC.pwrite(fd, address + done, src.remaining(), fileOffset + done);
                    src.position(src.position() + (int) n);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != NativeIoException.EINTR) {
                        throw Errors.of("pwrite", e, path);
                    }
                }
            }
            long endOffset = fileOffset + (src.position() - startPosition);
            if (growKnownSize(endOffset)) {
                afterSizeChange();
            }
        } finally {
            release();
        }
    }

    @Override
    public void sync(SyncLevel level) throws IOException {
        acquire();
        try {
            if (level == SyncLevel.DATA_AND_METADATA) {
                fsync();
            } else if (flushMethod.syncsData()) {
                try {
                    LibC.fdatasync(fd);
                } catch (LastErrorException e) {
                    throw Errors.of("fdatasync", e, path);
                }
            }
            // O_DIRECT_NO_FSYNC and O_DSYNC skip data syncs: size changes were synced when they
            // happened, and O_DSYNC writes are durable on return.
        } finally {
            release();
        }
    }

    @Override
    public long sizeBytes() throws IOException {
        acquire();
        try {
            return lseekEnd();
        } finally {
            release();
        }
    }

    @Override
    public void allocate(long fileOffset, long lengthBytes) throws IOException {
        requireOffset(fileOffset);
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("lengthBytes must be >= 0, was " + lengthBytes);
        }
        requireWritable();
        acquire();
        try {
            int error = LibC.posix_fallocate(fd, fileOffset, lengthBytes);
            if (error == NativeIoException.EOPNOTSUPP || error == NativeIoException.EINVAL) {
                // The file system cannot reserve blocks (glibc's emulation writes single bytes,
                // which O_DIRECT refuses). Extend the size instead; writes may still hit ENOSPC.
                long endOffset = fileOffset + lengthBytes;
                if (endOffset > lseekEnd()) {
                    ftruncate(endOffset);
                }
            } else if (error != 0) {
                throw Errors.of("posix_fallocate", error, path);
            }
            knownSizeBytes.set(lseekEnd());
            afterSizeChange();
        } finally {
            release();
        }
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0, was " + sizeBytes);
        }
        requireWritable();
        acquire();
        try {
            ftruncate(sizeBytes);
            knownSizeBytes.set(sizeBytes);
            afterSizeChange();
        } finally {
            release();
        }
    }

    @Override
    public void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
        int code = switch (advice) {
            case NORMAL -> LibC.POSIX_FADV_NORMAL;
            case SEQUENTIAL -> LibC.POSIX_FADV_SEQUENTIAL;
            case RANDOM -> LibC.POSIX_FADV_RANDOM;
            case WILL_NEED -> LibC.POSIX_FADV_WILLNEED;
            case DONT_NEED -> LibC.POSIX_FADV_DONTNEED;
        };
        try {
            acquire();
        } catch (ClosedChannelException e) {
            return;
        }
        try {
            LibC.posix_fadvise(fd, fileOffset, lengthBytes, code); // a hint: its result does not matter
        } finally {
            release();
        }
    }

    @Override
    public IoCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean isOpen() {
        return (useState.get() & CLOSED_BIT) == 0;
    }

    @Override
    public String describe() {
        return path + " via " + backendDescription + (readOnly ? " (read-only)" : "");
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() throws IOException {
        while (true) {
            long state = useState.get();
            if ((state & CLOSED_BIT) != 0) {
                return;
            }
            if (useState.compareAndSet(state, state | CLOSED_BIT)) {
                if (state == 0) {
                    closeFd();
                }
                return;
            }
        }
    }

    // ------------------------------------------------------------------ internals

    /**
     * After a size change, O_DIRECT has moved the data but not the inode; for the modes that skip
     * data syncs the backend makes the new size durable itself before reporting the change done
     * (MySQL Bug #45892). Plain O_DIRECT leaves it to the engine's sync(DATA_AND_METADATA).
     */
    private void afterSizeChange() throws IOException {
        if (flushMethod != FlushMethod.O_DIRECT) {
            fsync();
        }
    }

    private boolean growKnownSize(long endOffset) {
        while (true) {
            long known = knownSizeBytes.get();
            if (endOffset <= known) {
                return false;
            }
            if (knownSizeBytes.compareAndSet(known, endOffset)) {
                return true;
            }
        }
    }

    private void fsync() throws IOException {
        try {
            LibC.fsync(fd);
        } catch (LastErrorException e) {
            throw Errors.of("fsync", e, path);
        }
    }

    private void ftruncate(long sizeBytes) throws IOException {
        try {
            LibC.ftruncate(fd, sizeBytes);
        } catch (LastErrorException e) {
            throw Errors.of("ftruncate", e, path);
        }
    }

    private long lseekEnd() throws IOException {
        try {
            return LibC.lseek(fd, 0, LibC.SEEK_END);
        } catch (LastErrorException e) {
            throw Errors.of("lseek", e, path);
        }
    }

    private void acquire() throws ClosedChannelException {
        while (true) {
            long state = useState.get();
            if ((state & CLOSED_BIT) != 0) {
                throw new ClosedChannelException();
            }
            if (useState.compareAndSet(state, state + 1)) {
                return;
            }
        }
    }

    private void release() {
        long state = useState.decrementAndGet();
        if (state == CLOSED_BIT) {
            closeFd();
        }
    }

    private void closeFd() {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // close(2) errors on Linux still release the descriptor; nothing to retry.
        }
    }

    private void requireWritable() {
        if (readOnly) {
            throw new NonWritableChannelException();
        }
    }

    private static void requireOffset(long fileOffset) {
        if (fileOffset < 0) {
            throw new IllegalArgumentException("fileOffset must be >= 0, was " + fileOffset);
        }
    }

    private static long address(ByteBuffer buffer) {
        // checkAligned already refused heap buffers whenever alignment matters; a heap buffer can
        // only get here with alignment 1, which direct I/O never reports.
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("direct I/O needs a direct ByteBuffer");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(buffer)) + buffer.position();
    }
}
