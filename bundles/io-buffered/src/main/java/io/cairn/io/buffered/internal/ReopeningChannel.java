package io.cairn.io.buffered.internal;

import io.cairn.io.CreateMode;
import io.cairn.io.OpenOptions;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@link FileChannel} that survives thread interrupts.
 *
 * <p>A {@code FileChannel} is an interruptible channel: interrupting any thread blocked in it closes
 * the channel for every thread. A storage engine cannot allow that (a cancelled query would close
 * a tablespace under the whole engine), so this wrapper clears the caller's interrupt flag for the
 * duration of the call, reopens the channel when an interrupt closed it anyway, retries the call,
 * and restores the flag afterwards. Only an explicit {@link #close()} really closes it.
 *
 * <p>Limitation: if the file was deleted while open, a reopen fails with
 * {@link java.nio.file.NoSuchFileException}; callers only delete files they no longer use.
 */
public final class ReopeningChannel {

    /** An operation on the current channel. */
    @FunctionalInterface
    public interface ChannelCall<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path path;
    private final Set<OpenOption> reopenOptions;
    private final Object reopenLock = new Object();
    /** The live channel; replaced (under reopenLock) only when an interrupt closed the previous one. */
    private volatile FileChannel channel;
    /** Set once by close(); after it no reopen happens. */
    private volatile boolean closed;

    private ReopeningChannel(Path path, Set<OpenOption> reopenOptions, FileChannel channel) {
        this.path = path;
        this.reopenOptions = reopenOptions;
        this.channel = channel;
    }

    /** Opens {@code path} as the options say; new files get mode 0600. */
    public static ReopeningChannel open(Path path, OpenOptions options) throws IOException {
        Set<OpenOption> base = new HashSet<>();
        base.add(StandardOpenOption.READ);
        if (!options.readOnly()) {
            base.add(StandardOpenOption.WRITE);
        }
        Set<OpenOption> first = new HashSet<>();
        first.addAll(base);
        if (options.createMode() == CreateMode.CREATE_NEW) {
            first.add(StandardOpenOption.CREATE_NEW);
        } else if (options.createMode() == CreateMode.OPEN_OR_CREATE) {
            first.add(StandardOpenOption.CREATE);
        }
        FileChannel channel = openUninterrupted(path, first);
        return new ReopeningChannel(path, base, channel);
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Runs {@code call} on the channel, reopening and retrying when an interrupt closed it.
     * The caller's interrupt flag is preserved.
     *
     * @throws ClosedChannelException if {@link #close()} was called
     */
    public <T> T call(ChannelCall<T> call) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                FileChannel current = channel;
                if (closed) {
                    throw new ClosedChannelException();
                }
                try {
                    return call.apply(current);
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted();
                    reopen(current);
                } catch (AsynchronousCloseException e) {
                    // Another thread's interrupt closed the channel under us.
                    reopen(current);
                } catch (ClosedChannelException e) {
                    if (closed) {
                        throw e;
                    }
                    reopen(current);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the channel for good. Idempotent. */
    public void close() throws IOException {
        synchronized (reopenLock) {
            closed = true;
            channel.close();
        }
    }

    private void reopen(FileChannel failed) throws IOException {
        synchronized (reopenLock) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (channel == failed) {
                channel = openUninterrupted(path, reopenOptions);
            }
        }
    }

    private static FileChannel openUninterrupted(Path path, Set<OpenOption> options) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return FileChannel.open(path, options, OWNER_ONLY);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
