package io.cairn.io;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An exclusive, process-wide lock on a file, taken by {@link StorageBackend#lock(Path)}.
 *
 * <p>Implementations must:
 * <ol>
 *   <li>release the lock when {@link #close()} is called, and when the holding process dies in any
 *       way (an operating-system lock such as {@code fcntl} or {@code flock}, never a marker file
 *       alone);</li>
 *   <li>make {@link #close()} idempotent.</li>
 * </ol>
 */
@ConsumerType
public interface StorageLock extends AutoCloseable {

    /** The lock file. */
    Path path();

    /** Whether this lock is still held by this process. Thread-safe. */
    boolean isValid();

    /**
     * Releases the lock. Idempotent; thread-safe.
     *
     * @throws IOException if releasing failed; the lock is released at process exit in any case
     */
    @Override
    void close() throws IOException;
}
