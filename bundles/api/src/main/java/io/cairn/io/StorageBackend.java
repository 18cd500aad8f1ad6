package io.cairn.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way of doing file I/O: page-cache I/O, {@code O_DIRECT}, a ZFS-aware choice between them, a
 * fault-injecting decorator, or a third party's own. Backends are OSGi services with the service
 * property {@value #NAME_PROPERTY}; the engine chooses them per {@link FileRole} by a target filter
 * on that property and can swap them while it runs, so one backend instance may serve files that
 * another backend opened earlier and vice versa.
 *
 * <p>Implementations must:
 * <ol>
 *   <li>be safe for concurrent use by many threads, and never synchronise on {@code this} in a way
 *       callers could deadlock on;</li>
 *   <li>treat paths as absolute paths on the local file system; relative paths are refused with
 *       {@link IllegalArgumentException};</li>
 *   <li>report a missing file with {@link NoSuchFileException} and an existing file that must not
 *       exist with {@link FileAlreadyExistsException};</li>
 *   <li>keep directory operations (create, rename, delete) durable through power loss only after
 *       {@link #syncDirectory(Path)} of the parent directory returned;</li>
 *   <li>state their guarantees truthfully in {@link IoCapabilities}, and hold no state that makes
 *       a file opened by one instance unreadable by another backend: the on-disk bytes are the
 *       same whichever backend wrote them.</li>
 * </ol>
 *
 * <p>A third-party backend proves the above by extending the conformance kit's
 * {@code io.cairn.testkit.BaseStorageBackendTestCase}.
 */
@ConsumerType
public interface StorageBackend {

    /** Service property naming a backend ({@code buffered}, {@code direct}, {@code zfs}, ...). */
    String NAME_PROPERTY = "cairn.backend";

    /** The backend's name, equal to its {@value #NAME_PROPERTY} service property. */
    String name();

    /**
     * Opens a file.
     *
     * @throws NoSuchFileException if the file does not exist and {@link CreateMode#OPEN_EXISTING}
     * @throws FileAlreadyExistsException if the file exists and {@link CreateMode#CREATE_NEW}
     * @throws DirectIoUnsupportedException if this backend needs direct I/O and the file system
     *     refuses it; the message names the file system type and the path
     * @throws MisalignedIoException if {@link OpenOptions#ioUnitBytes()} is not a multiple of the
     *     alignment this backend needs on this file system
     * @throws IOException for other failures
     */
    StorageFile open(Path path, OpenOptions options) throws IOException;

    /**
     * Deletes a file. Durable through power loss after {@link #syncDirectory} of its directory.
     * Open handles to the file stay usable until closed (POSIX semantics).
     *
     * @throws NoSuchFileException if the file does not exist
     */
    void delete(Path path) throws IOException;

    /**
     * Renames {@code source} to {@code target}, replacing {@code target} if it exists. Atomic in
     * content: a reader sees either the old or the new target, never a mix. Durable through power
     * loss after {@link #syncDirectory} of both parent directories.
     *
     * @throws NoSuchFileException if {@code source} does not exist
     */
    void rename(Path source, Path target) throws IOException;

    /**
     * The names (not paths) of the regular files directly in {@code directory}, sorted in
     * ascending {@link String} order. Subdirectories are not listed.
     *
     * @throws NoSuchFileException if the directory does not exist
     */
    List<String> list(Path directory) throws IOException;

    /**
     * Creates {@code directory} and its missing parents with owner-only permissions (0700), and
     * syncs each created directory's parent. Does nothing if it exists.
     */
    void createDirectories(Path directory) throws IOException;

    /**
     * Makes completed creates, renames and deletes of entries in {@code directory} durable through
     * power loss. Syncing a directory never creates anything.
     *
     * @throws NoSuchFileException if the directory does not exist
     */
    void syncDirectory(Path directory) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile}, creating it (mode 0600) if needed, and records
     * this process's id in it. Fails at once rather than waiting.
     *
     * @throws StorageLockedException if another process, or another lock in this process, holds it
     */
    StorageLock lock(Path lockFile) throws IOException;

    /**
     * What files opened in {@code directory} would get, without opening one: the engine checks a
     * backend before switching files to it and the status command shows it.
     *
     * @throws NoSuchFileException if the directory does not exist
     */
    IoCapabilities probe(Path directory) throws IOException;

    /** A one-line description of the backend and its settings, for logs and status. */
    String describe();
}
