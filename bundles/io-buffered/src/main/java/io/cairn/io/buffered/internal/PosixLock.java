package io.cairn.io.buffered.internal;

import io.cairn.io.StorageLock;
import io.cairn.io.StorageLockedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An exclusive {@code fcntl} lock on a file (through {@link FileChannel#tryLock()}), which the
 * kernel releases when the process dies. The file holds the owner's pid so that a refused
 * second engine can name it.
 */
public final class PosixLock implements StorageLock {

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private PosixLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails at once with {@link StorageLockedException}. */
    public static PosixLock acquire(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile,
                java.util.Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Held by this very process (another engine instance in the same JVM).
                throw new StorageLockedException(lockFile, ProcessHandle.current().pid());
            }
            if (lock == null) {
                throw new StorageLockedException(lockFile, readPid(channel));
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
            return new PosixLock(lockFile, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static long readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean isValid() {
        return lock.isValid();
    }

    @Override
    public void close() throws IOException {
        // Closing the channel releases the lock; the file stays, so no other process can race a
        // delete against its own open of the same name.
        channel.close();
    }

    @Override
    public String toString() {
        return "lock " + path + (isValid() ? " (held)" : " (released)");
    }
}
