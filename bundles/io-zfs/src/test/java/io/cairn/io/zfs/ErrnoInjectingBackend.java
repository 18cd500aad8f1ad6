package io.cairn.io.zfs;

import io.cairn.io.AccessAdvice;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps the real direct backend and makes the next read, write or sync of its files fail with a
 * chosen errno, the way the C library reports it ({@link NativeIoException}). A failing write
 * first consumes half of the buffer, like a {@code pwrite} loop that made progress before the
 * error, so callers must rewind before they retry.
 */
final class ErrnoInjectingBackend extends FilterStorageBackend {

    enum Operation { READ, WRITE, SYNC }

    /** Fails the operation when {@code remaining} counts down to 0. */
    private record Fault(Operation operation, int errno, AtomicInteger remaining) {
    }

    private final StorageBackend target;
    private final AtomicReference<Fault> next = new AtomicReference<>();
    final AtomicInteger injected = new AtomicInteger();
    final AtomicInteger transfers = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    ErrnoInjectingBackend(StorageBackend target) {
        this.target = target;
    }

    /** The next {@code operation} on any file of this backend fails with {@code errno}. */
    void failNext(Operation operation, int errno) {
        failNth(operation, 1, errno);
    }

    /** The {@code n}-th next {@code operation} on any file of this backend fails with {@code errno}. */
    void failNth(Operation operation, int n, int errno) {
        next.set(new Fault(operation, errno, new AtomicInteger(n)));
    }

    @Override
    protected StorageBackend delegate() {
        return target;
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        StorageFile file = target.open(path, options);
        opens.incrementAndGet();
        return new StorageFile() {
            @Override
            public int read(long fileOffset, ByteBuffer dst) throws IOException {
                transfers.incrementAndGet();
                maybeFail(Operation.READ, "pread", dst);
                return file.read(fileOffset, dst);
            }

            @Override
            public void write(long fileOffset, ByteBuffer src) throws IOException {
                transfers.incrementAndGet();
                maybeFail(Operation.WRITE, "pwrite", src);
                file.write(fileOffset, src);
            }

            @Override
            public void sync(SyncLevel level) throws IOException {
                maybeFail(Operation.SYNC, "fsync", null);
                file.sync(level);
            }

            @Override
            public long sizeBytes() throws IOException {
                return file.sizeBytes();
            }

            @Override
            public void allocate(long fileOffset, long lengthBytes) throws IOException {
                file.allocate(fileOffset, lengthBytes);
            }

            @Override
            public void truncate(long sizeBytes) throws IOException {
                file.truncate(sizeBytes);
            }

            @Override
            public void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
                file.advise(advice, fileOffset, lengthBytes);
            }

            @Override
            public IoCapabilities capabilities() {
                return file.capabilities();
            }

            @Override
            public Path path() {
                return file.path();
            }

            @Override
            public boolean isOpen() {
                return file.isOpen();
            }

            @Override
            public String describe() {
                return file.describe();
            }

            @Override
            public void close() throws IOException {
                closes.incrementAndGet();
                file.close();
            }
        };
    }

    private void maybeFail(Operation operation, String syscall, ByteBuffer buffer) throws NativeIoException {
        Fault fault = next.get();
        if (fault != null && fault.operation() == operation && fault.remaining().decrementAndGet() == 0
                && next.compareAndSet(fault, null)) {
            injected.incrementAndGet();
            if (buffer != null) {
                buffer.position(buffer.position() + buffer.remaining() / 2);
            }
            throw new NativeIoException(syscall, fault.errno(), "injected errno " + fault.errno());
        }
    }
}
