package io.cairn.engine.core;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.StorageLock;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An engine's home directory: its layout, its lock and its format file.
 *
 * <pre>
 * home/
 *   cairn.lock     exclusive lock held while an engine runs; holds the owner's pid
 *   cairn.format   format version, page size, and the redo log implementation recovery reads
 *   data/          one file per tablespace
 *   redo/          the files of the redo log implementation named "cairn"
 *   redo-NAME/     the files of another redo log implementation, NAME
 *   dblwr          the doublewrite file
 * </pre>
 *
 * <p>The format file names the redo log implementation whose files hold the log ({@code redoLog};
 * homes from before it existed have Cairn's). A hand-over to another implementation creates the
 * new log in its own directory first and then rewrites the format file (temporary name, sync,
 * rename, directory sync), so a crash at any point leaves exactly one log that recovery reads.
 *
 * Directories are created 0700 and files 0600 (the backends do so). A second engine on the same
 * home fails at once with {@link io.cairn.io.StorageLockedException} naming the holder's pid.
 */
public final class HomeDirectory implements AutoCloseable {

    /** The on-disk format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The page size of a new home when none is requested. */
    public static final int DEFAULT_PAGE_SIZE_BYTES = 16384;

    private static final int FORMAT_FILE_BYTES = 4096;
    /** The redo log implementation of homes whose format file names none. */
    public static final String DEFAULT_REDO_LOG = "cairn";

    private static final java.util.regex.Pattern REDO_LOG_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Path home;
    private final StorageLock lock;
    private final int pageSizeBytes;
    private final boolean created;
    private volatile String redoLogName;

    private HomeDirectory(Path home, StorageLock lock, int pageSizeBytes, boolean created, String redoLogName) {
        this.home = home;
        this.lock = lock;
        this.pageSizeBytes = pageSizeBytes;
        this.created = created;
        this.redoLogName = redoLogName;
    }

    /** Opens or creates a home whose redo log, if new, is Cairn's. */
    public static HomeDirectory open(Path home, StorageBackend backend, int requestedPageSizeBytes) throws IOException {
        return open(home, backend, requestedPageSizeBytes, DEFAULT_REDO_LOG);
    }

    /**
     * Opens or creates a home.
     *
     * @param requestedPageSizeBytes the page size for a new home, or 0 for "whatever the home has"
     *     ({@link #DEFAULT_PAGE_SIZE_BYTES} for a new one)
     * @throws io.cairn.io.StorageLockedException if another engine holds the home
     * @throws InvalidSettingException if the requested page size is unsupported or differs from the
     *     page size the home was created with
     * @param newHomeRedoLog the redo log implementation a new home records
     * @throws IOException if the format file is unreadable or of another format version
     */
    public static HomeDirectory open(Path home, StorageBackend backend, int requestedPageSizeBytes,
            String newHomeRedoLog) throws IOException {
        requireRedoLogName(newHomeRedoLog);
        Path absolute = home.toAbsolutePath().normalize();
        if (requestedPageSizeBytes != 0 && !PageFormat.isSupportedPageSize(requestedPageSizeBytes)) {
            throw new InvalidSettingException("pageSizeBytes", requestedPageSizeBytes, "4096, 8192, 16384, 32768 or 65536");
        }
        backend.createDirectories(absolute.resolve("data"));
        backend.createDirectories(absolute.resolve("redo"));
        StorageLock lock = backend.lock(absolute.resolve("cairn.lock"));
        try {
            Path formatFile = absolute.resolve("cairn.format");
            if (!Files.exists(formatFile)) {
                int pageSize = requestedPageSizeBytes == 0 ? DEFAULT_PAGE_SIZE_BYTES : requestedPageSizeBytes;
                writeFormat(backend, absolute, pageSize, newHomeRedoLog);
                return new HomeDirectory(absolute, lock, pageSize, true, newHomeRedoLog);
            }
            Properties format = readFormat(backend, formatFile);
            String version = format.getProperty("format");
            if (!Integer.toString(FORMAT_VERSION).equals(version)) {
                throw new IOException(formatFile + " has format version " + version + "; this Cairn reads version "
                        + FORMAT_VERSION);
            }
            int stored = Integer.parseInt(format.getProperty("pageSizeBytes", "0"));
            if (requestedPageSizeBytes != 0 && requestedPageSizeBytes != stored) {
                throw new InvalidSettingException("pageSizeBytes", requestedPageSizeBytes,
                        stored + " (or 0 for the home's own)", "the home " + absolute + " was created with pageSizeBytes=" + stored);
            }
            String redoLog = format.getProperty("redoLog", DEFAULT_REDO_LOG);
            if (!REDO_LOG_NAME.matcher(redoLog).matches()) {
                throw new IOException(formatFile + " names the redo log implementation '" + redoLog
                        + "', which is not a valid name; the file is damaged");
            }
            return new HomeDirectory(absolute, lock, stored, false, redoLog);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The home directory. */
    public Path path() {
        return home;
    }

    /** The page size of every tablespace in this home. */
    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    /** Whether this open created the home. */
    public boolean created() {
        return created;
    }

    public Path dataDirectory() {
        return home.resolve("data");
    }

    /** The directory of the redo log recovery reads: {@link #redoDirectoryFor} the recorded implementation. */
    public Path redoDirectory() {
        return redoDirectoryFor(redoLogName);
    }

    /** The redo log implementation whose files hold the log (recorded in the format file). */
    public String redoLogName() {
        return redoLogName;
    }

    /** Where implementation {@code name} keeps its files: {@code redo/} for Cairn's, else {@code redo-NAME/}. */
    public Path redoDirectoryFor(String name) {
        requireRedoLogName(name);
        return home.resolve(DEFAULT_REDO_LOG.equals(name) ? "redo" : "redo-" + name);
    }

    /**
     * Records durably that implementation {@code name} now holds the log; the moment of a redo log
     * hand-over at which recovery starts reading the new log instead of the old one.
     */
    public void recordRedoLog(StorageBackend backend, String name) throws IOException {
        requireRedoLogName(name);
        writeFormat(backend, home, pageSizeBytes, name);
        redoLogName = name;
    }

    private static void requireRedoLogName(String name) {
        if (name == null || !REDO_LOG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a redo log implementation's name must be 1 to 64 letters, digits, '.',"
                    + " '_' or '-', was " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    public Path doublewriteFile() {
        return home.resolve("dblwr");
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** Written to a temporary name, synced, renamed, and the directory synced: never half a format file. */
    private static void writeFormat(StorageBackend backend, Path home, int pageSizeBytes, String redoLog)
            throws IOException {
        String text = "# Cairn home directory format; do not edit\nformat=" + FORMAT_VERSION
                + "\npageSizeBytes=" + pageSizeBytes + "\nredoLog=" + redoLog + "\n";
        ByteBuffer block = ByteBuffer.allocateDirect(2 * FORMAT_FILE_BYTES).alignedSlice(FORMAT_FILE_BYTES)
                .limit(FORMAT_FILE_BYTES);
        block.put(text.getBytes(StandardCharsets.US_ASCII)).clear();
        Path temporary = home.resolve("cairn.format.tmp");
        try (StorageFile file = backend.open(temporary, OpenOptions.of(FileRole.CONTROL, CreateMode.OPEN_OR_CREATE, 0))) {
            file.write(0, block);
            file.sync(SyncLevel.DATA_AND_METADATA);
        }
        backend.rename(temporary, home.resolve("cairn.format"));
        backend.syncDirectory(home);
    }

    private static Properties readFormat(StorageBackend backend, Path formatFile) throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(2 * FORMAT_FILE_BYTES).alignedSlice(FORMAT_FILE_BYTES)
                .limit(FORMAT_FILE_BYTES);
        try (StorageFile file = backend.open(formatFile,
                OpenOptions.of(FileRole.CONTROL, CreateMode.OPEN_EXISTING, 0).asReadOnly())) {
            file.read(0, block);
        }
        block.flip();
        byte[] bytes = new byte[block.remaining()];
        block.get(bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        Properties properties = new Properties();
        properties.load(new StringReader(new String(bytes, 0, end, StandardCharsets.US_ASCII)));
        return properties;
    }
}
