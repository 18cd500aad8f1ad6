package io.cairn.io.zfs;

import io.cairn.io.AccessAdvice;
import io.cairn.io.IoCapabilities;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Set;

/**
 * One file of {@link ZfsStorageBackend}: a handle of the chosen path that, if it is the direct
 * path, moves to the buffered path for good when a direct transfer fails with {@code ENOMEM},
 * {@code EINVAL} or {@code EIO} (field report 1), retrying the failed transfer there.
 *
 * <p>Thread-safe. The switch happens once, under a private lock; transfers that raced with it on
 * the old handle (and saw it closed) are retried on the new one. The direct handle closes only
 * when its calls in progress have finished, so no transfer is lost.
 */
final class ZfsStorageFile implements StorageFile {

    /** What a direct transfer may fail with for reasons of the direct path rather than of the data. */
    private static final Set<Integer> FALLBACK_ERRNOS =
            Set.of(NativeIoException.ENOMEM, NativeIoException.EINVAL, NativeIoException.EIO);

    @FunctionalInterface
    private interface Call<T> {
        T on(StorageFile file) throws IOException;
    }

    private final ZfsStorageBackend owner;
    private final OpenOptions options;
    private final ZfsFacts facts;
    private final IoCapabilities capabilities;
    private final Path path;
    /** The handle opened on the direct path, or null when the file was opened buffered. */
    private final StorageFile directFile;
    private final Object switchLock = new Object();
    private volatile StorageFile current;
    private volatile String backendDescription;
    private volatile String fallbackNote = "";
    private volatile boolean closed;

    ZfsStorageFile(ZfsStorageBackend owner, StorageFile file, boolean direct, OpenOptions options, ZfsFacts facts,
            IoCapabilities capabilities, String backendDescription) {
        this.owner = owner;
        this.current = file;
        this.directFile = direct ? file : null;
        this.options = options;
        this.facts = facts;
        this.capabilities = capabilities;
        this.backendDescription = backendDescription;
        this.path = file.path();
    }

    @Override
    public int read(long fileOffset, ByteBuffer dst) throws IOException {
        capabilities.checkAligned(fileOffset, dst);
        int startPosition = dst.position();
        return transfer(file -> file.read(fileOffset, dst), () -> dst.position(startPosition));
    }

    @Override
    public void write(long fileOffset, ByteBuffer src) throws IOException {
        capabilities.checkAligned(fileOffset, src);
        int startPosition = src.position();
        transfer(file -> {
            file.write(fileOffset, src);
            return null;
        }, () -> src.position(startPosition));
    }

    @Override
    public void sync(SyncLevel level) throws IOException {
        // A failed sync is never retried elsewhere: its writes' durability is unknown (fsyncgate).
        call(file -> {
            file.sync(level);
            return null;
        });
    }

    @Override
    public long sizeBytes() throws IOException {
        return call(StorageFile::sizeBytes);
    }

    @Override
    public void allocate(long fileOffset, long lengthBytes) throws IOException {
        call(file -> {
            file.allocate(fileOffset, lengthBytes);
            return null;
        });
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        call(file -> {
            file.truncate(sizeBytes);
            return null;
        });
    }

    @Override
    public void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
        current.advise(advice, fileOffset, lengthBytes);
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
        return !closed;
    }

    /** Whether this handle has moved from the direct to the buffered path. */
    boolean fellBack() {
        return directFile != null && current != directFile;
    }

    @Override
    public String describe() {
        return path + " via " + ZfsStorageBackend.NAME + " -> " + backendDescription + fallbackNote
                + (options.readOnly() ? " (read-only)" : "");
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() throws IOException {
        synchronized (switchLock) {
            if (closed) {
                return;
            }
            closed = true;
            current.close();
        }
    }

    // ------------------------------------------------------------------ internals

    /** A read or write: on the direct handle, the fallback errnos move the file to buffered I/O and retry. */
    private <T> T transfer(Call<T> transfer, Runnable rewind) throws IOException {
        while (true) {
            StorageFile file = current;
            if (closed) {
                throw new ClosedChannelException();
            }
            try {
                return transfer.on(file);
            } catch (NativeIoException e) {
                if (file != directFile || !FALLBACK_ERRNOS.contains(e.errno())) {
                    throw e;
                }
                moveToBuffered(file, e);
            } catch (ClosedChannelException e) {
                if (closed || file == current) {
                    throw e;
                }
                // The handle was swapped under this call: retry on the new one.
            }
            // Part of the transfer may have moved the buffer before failing; redo all of it.
            rewind.run();
        }
    }

    /** Any other operation: only the race with the switch is handled. */
    private <T> T call(Call<T> operation) throws IOException {
        while (true) {
            StorageFile file = current;
            if (closed) {
                throw new ClosedChannelException();
            }
            try {
                return operation.on(file);
            } catch (ClosedChannelException e) {
                if (closed || file == current) {
                    throw e;
                }
            }
        }
    }

    private void moveToBuffered(StorageFile failed, NativeIoException cause) throws IOException {
        synchronized (switchLock) {
            if (current != failed) {
                return; // another thread switched already
            }
            if (closed) {
                throw new ClosedChannelException();
            }
            StorageFile buffered;
            try {
                buffered = owner.openFallback(path, options);
            } catch (IOException e) {
                IOException failure = new IOException("direct I/O on " + path + " failed with "
                        + ZfsStorageBackend.errnoName(cause.errno()) + " and reopening it for buffered I/O failed: "
                        + e.getMessage(), e);
                failure.addSuppressed(cause);
                throw failure;
            }
            current = buffered;
            backendDescription = owner.fallbackDescription();
            fallbackNote = " (moved from direct I/O after " + cause.syscall() + " failed with "
                    + ZfsStorageBackend.errnoName(cause.errno()) + ")";
            owner.reportDirectFailure(path, cause, facts);
            try {
                failed.close();
            } catch (IOException ignored) {
                // Its descriptor closes once its calls in progress finish; a close error changes nothing.
            }
        }
    }
}
