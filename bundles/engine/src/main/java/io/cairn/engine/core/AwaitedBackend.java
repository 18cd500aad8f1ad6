package io.cairn.engine.core;

import io.cairn.io.AccessAdvice;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.StorageLock;
import io.cairn.io.StorageUnavailableException;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in for a role's backend while no storage backend is available (the active one's
 * bundle stopped and no other can take the files). The engine's files switch to it like to any
 * backend, so the engine stays up; every operation waits up to {@code waitMillis} for a real
 * backend to {@link #arrive} and then goes through it, or fails with
 * {@link StorageUnavailableException} "no storage backend available". A commit that fails that
 * way was not acknowledged; nothing is lost.
 *
 * <p>Files opened through it open the real file lazily, on first use after a backend arrived. Its
 * capabilities claim 4 KiB alignment of buffers and offsets, the strictest any backend Cairn ships
 * needs, so that what is written while it stands in (for example redo units) is valid for
 * whichever backend arrives.
 */
final class AwaitedBackend implements StorageBackend {

    static final String NAME = "none";
    private static final int STRICT_ALIGNMENT_BYTES = 4096;

    private final String role;
    private final String reason;
    private final long waitMillis;
    private final Object lock = new Object();
    private StorageBackend target; // guarded by lock

    AwaitedBackend(String role, String reason, long waitMillis) {
        this.role = Objects.requireNonNull(role, "role");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.waitMillis = waitMillis;
    }

    /** A backend is there again: waiting operations go on through it. */
    void arrive(StorageBackend backend) {
        synchronized (lock) {
            target = Objects.requireNonNull(backend, "backend");
            lock.notifyAll();
        }
    }

    private StorageBackend target(String operation) throws StorageUnavailableException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (lock) {
            boolean interrupted = false;
            try {
                while (target == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new StorageUnavailableException("no storage backend available for " + role + " files ("
                                + reason + "): " + operation + " waited " + waitMillis + " ms for one and did not happen");
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        interrupted = true; // keep waiting the bounded time; the caller sees the flag
                    }
                }
                return target;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "no backend (" + reason + "; I/O waits up to " + waitMillis + " ms for one)";
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) {
        return new AwaitedFile(path, options);
    }

    @Override
    public void delete(Path path) throws IOException {
        target("delete " + path).delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        target("rename " + source).rename(source, target);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        return target("list " + directory).list(directory);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        target("create " + directory).createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        target("sync " + directory).syncDirectory(directory);
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        return target("lock " + lockFile).lock(lockFile);
    }

    @Override
    public IoCapabilities probe(Path directory) {
        return strict();
    }

    private static IoCapabilities strict() {
        return new IoCapabilities(STRICT_ALIGNMENT_BYTES, STRICT_ALIGNMENT_BYTES, false, 0, false, true, false, "unknown",
                Map.of("waitingFor", "a storage backend"));
    }

    @Override
    public String toString() {
        return describe();
    }

    /** A file whose real handle is opened through the backend that arrives, on first use. */
    private final class AwaitedFile implements StorageFile {
        private final Path path;
        private final OpenOptions options;
        private StorageFile real; // guarded by this
        private boolean closed; // guarded by this

        AwaitedFile(Path path, OpenOptions options) {
            this.path = path;
            this.options = options;
        }

        private synchronized StorageFile real(String operation) throws IOException {
            if (closed) {
                throw new IOException(path + " is closed");
            }
            if (real == null) {
                real = target(operation + " of " + path).open(path, options);
            }
            return real;
        }

        @Override
        public int read(long fileOffset, ByteBuffer dst) throws IOException {
            return real("a read").read(fileOffset, dst);
        }

        @Override
        public void write(long fileOffset, ByteBuffer src) throws IOException {
            real("a write").write(fileOffset, src);
        }

        @Override
        public void sync(SyncLevel level) throws IOException {
            StorageFile opened;
            synchronized (this) {
                opened = real;
            }
            if (opened != null) {
                opened.sync(level); // nothing was written through a file never opened: nothing to sync
            }
        }

        @Override
        public long sizeBytes() throws IOException {
            return real("a size query").sizeBytes();
        }

        @Override
        public void allocate(long fileOffset, long lengthBytes) throws IOException {
            real("an extension").allocate(fileOffset, lengthBytes);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            real("a truncation").truncate(sizeBytes);
        }

        @Override
        public void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
            // a hint: not worth waiting for
        }

        @Override
        public IoCapabilities capabilities() {
            return strict();
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public synchronized boolean isOpen() {
            return !closed;
        }

        @Override
        public String describe() {
            return path + " (waiting for a storage backend)";
        }

        @Override
        public void close() throws IOException {
            StorageFile opened;
            synchronized (this) {
                closed = true;
                opened = real;
                real = null;
            }
            if (opened != null) {
                opened.close();
            }
        }
    }
}
