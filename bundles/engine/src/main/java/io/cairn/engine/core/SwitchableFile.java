package io.cairn.engine.core;

import io.cairn.io.CreateMode;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * An open engine file whose backend can be replaced while it is in use (the hot-swap protocol):
 * the file is opened through the new backend and its capabilities checked while I/O goes on
 * ({@link #prepareSwitch}); then new I/O on the file is blocked, in-flight I/O drains, the old
 * handle is synced, the new one takes over and I/O resumes ({@link #completeSwitch}). If any step
 * fails the file stays on the old backend and the caller gets the reason.
 *
 * <p>Transfers hold the shared side of a read-write lock for their duration, so a switch (the
 * exclusive side) sees no transfer in flight. Thread-safe.
 */
public final class SwitchableFile implements AutoCloseable {

    private final Path path;
    private final OpenOptions reopenOptions;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    /** The current handle and its backend; replaced only under the write lock. */
    private volatile StorageFile file;
    private volatile StorageBackend backend;

    private SwitchableFile(Path path, OpenOptions reopenOptions, StorageBackend backend, StorageFile file) {
        this.path = path;
        this.reopenOptions = reopenOptions;
        this.backend = backend;
        this.file = file;
    }

    /** Opens {@code path} through {@code backend}; later switches reopen it as an existing file. */
    public static SwitchableFile open(StorageBackend backend, Path path, OpenOptions options) throws IOException {
        StorageFile file = backend.open(path, options);
        OpenOptions reopen = new OpenOptions(options.role(), CreateMode.OPEN_EXISTING, options.readOnly(),
                options.ioUnitBytes());
        return new SwitchableFile(path, reopen, backend, file);
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** The backend currently serving the file. */
    public StorageBackend backend() {
        return backend;
    }

    /** The current handle's capabilities. */
    public IoCapabilities capabilities() {
        return file.capabilities();
    }

    public int read(long fileOffset, ByteBuffer dst) throws IOException {
        gate.readLock().lock();
        try {
            return file.read(fileOffset, dst);
        } finally {
            gate.readLock().unlock();
        }
    }

    public void write(long fileOffset, ByteBuffer src) throws IOException {
        gate.readLock().lock();
        try {
            file.write(fileOffset, src);
        } finally {
            gate.readLock().unlock();
        }
    }

    public void sync(SyncLevel level) throws IOException {
        gate.readLock().lock();
        try {
            file.sync(level);
        } finally {
            gate.readLock().unlock();
        }
    }

    public long sizeBytes() throws IOException {
        gate.readLock().lock();
        try {
            return file.sizeBytes();
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Extends the file to at least {@code sizeBytes} and makes the new size durable before
     * returning, whatever the backend's mode (field report 2: a size change that is not synced
     * can vanish in a crash even when the data blocks reached the disk).
     */
    public void extendDurably(long sizeBytes) throws IOException {
        gate.readLock().lock();
        try {
            long current = file.sizeBytes();
            if (sizeBytes > current) {
                file.allocate(current, sizeBytes - current);
                if (file.capabilities().needsSyncAfterResize()) {
                    file.sync(SyncLevel.DATA_AND_METADATA);
                }
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Cuts the file to {@code sizeBytes} and makes the new size durable before returning. */
    public void truncateDurably(long sizeBytes) throws IOException {
        gate.readLock().lock();
        try {
            file.truncate(sizeBytes);
            if (file.capabilities().needsSyncAfterResize()) {
                file.sync(SyncLevel.DATA_AND_METADATA);
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Moves the file to {@code newBackend}: {@link #prepareSwitch} then {@link #completeSwitch}.
     *
     * @param accept checks the new handle's capabilities and returns null if they are acceptable,
     *     else a one-line reason (for example an alignment the buffer pool's frames do not meet)
     * @throws IOException if the old handle cannot be synced, the new backend cannot open the
     *     file, or {@code accept} refused; the file is then still on the old backend
     */
    public void switchTo(StorageBackend newBackend, Function<IoCapabilities, String> accept) throws IOException {
        try (Prepared prepared = prepareSwitch(newBackend, accept)) {
            completeSwitch(prepared);
        }
    }

    /**
     * The first half of a switch, while I/O on the file goes on: opens the file through the new
     * backend (a second handle of the same file; nothing is read or written through it yet) and
     * checks its capabilities. Opening can be slow (a backend's first open may load a native
     * library or probe the device), which is why it happens outside the gate.
     *
     * @throws IOException if the new backend cannot open the file or {@code accept} refused
     */
    public Prepared prepareSwitch(StorageBackend newBackend, Function<IoCapabilities, String> accept) throws IOException {
        Objects.requireNonNull(newBackend, "newBackend");
        StorageFile opened = newBackend.open(path, reopenOptions);
        String refusal;
        try {
            refusal = accept.apply(opened.capabilities());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        if (refusal != null) {
            opened.close();
            throw new IOException("cannot move " + path + " to backend '" + newBackend.name() + "': " + refusal);
        }
        return new Prepared(this, newBackend, opened);
    }

    /**
     * The second half: blocks new I/O on the file, waits for in-flight I/O, syncs the old handle,
     * switches to the prepared one and resumes. Only this part pauses the file's I/O: one sync.
     *
     * @throws IOException if the old handle cannot be synced; the file is then still on the old backend
     */
    public void completeSwitch(Prepared prepared) throws IOException {
        if (prepared.file != this || prepared.handle == null) {
            throw new IllegalArgumentException("the prepared switch is not for " + path + " or was used already");
        }
        gate.writeLock().lock();
        try {
            StorageFile old = file;
            old.sync(SyncLevel.DATA_AND_METADATA);
            file = prepared.handle;
            backend = prepared.backend;
            prepared.handle = null;
            old.close();
        } finally {
            gate.writeLock().unlock();
        }
    }

    /** A new handle opened by {@link #prepareSwitch}; closing it without completing discards it. */
    public static final class Prepared implements AutoCloseable {
        private final SwitchableFile file;
        private final StorageBackend backend;
        private StorageFile handle;

        private Prepared(SwitchableFile file, StorageBackend backend, StorageFile handle) {
            this.file = file;
            this.backend = backend;
            this.handle = handle;
        }

        @Override
        public void close() throws IOException {
            if (handle != null) {
                StorageFile unused = handle;
                handle = null;
                unused.close();
            }
        }
    }

    /** Closes the current handle. */
    @Override
    public void close() throws IOException {
        gate.writeLock().lock();
        try {
            file.close();
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return file.describe();
    }
}
