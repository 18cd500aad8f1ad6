package io.cairn.io.buffered;

import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.StorageLock;
import io.cairn.io.buffered.internal.FileSystems;
import io.cairn.io.buffered.internal.PosixLock;
import io.cairn.io.buffered.internal.ReopeningChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Page-cache I/O through positional {@link java.nio.channels.FileChannel} calls. Plain Java: the
 * DS component in {@code internal} is only an adapter, and embedded users construct this directly.
 *
 * <p>Guarantees: no alignment, no atomic writes, durable only after sync, size changes need a
 * metadata sync (the engine does it). Thread-safe.
 */
public final class BufferedStorageBackend implements StorageBackend {

    /** The {@value StorageBackend#NAME_PROPERTY} of this backend. */
    public static final String NAME = "buffered";

    private final SyncMethod syncMethod;

    public BufferedStorageBackend(SyncMethod syncMethod) {
        this.syncMethod = Objects.requireNonNull(syncMethod, "syncMethod");
    }

    /** The sync method this backend was built with. */
    public SyncMethod syncMethod() {
        return syncMethod;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        requireAbsolute(path);
        return new BufferedStorageFile(ReopeningChannel.open(path, options), options, syncMethod,
                capabilitiesFor(path.getParent()), describe());
    }

    @Override
    public void delete(Path path) throws IOException {
        requireAbsolute(path);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path.toString(), null, "no such file to delete");
        }
        Files.delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        requireAbsolute(source);
        requireAbsolute(target);
        // ATOMIC_MOVE maps to rename(2), which replaces the target atomically on POSIX systems.
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        requireAbsolute(directory);
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        requireAbsolute(directory);
        FileSystems.createDirectoriesDurably(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        requireAbsolute(directory);
        FileSystems.syncDirectory(directory);
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        requireAbsolute(lockFile);
        return PosixLock.acquire(lockFile);
    }

    @Override
    public IoCapabilities probe(Path directory) throws IOException {
        requireAbsolute(directory);
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no such directory to probe");
        }
        return capabilitiesFor(directory);
    }

    @Override
    public String describe() {
        return NAME + "(syncMethod=" + syncMethod.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    private IoCapabilities capabilitiesFor(Path directory) throws IOException {
        String type = FileSystems.fileSystemType(directory);
        return IoCapabilities.pageCache(type, Map.of(
                "syncMethod", syncMethod.name().toLowerCase(java.util.Locale.ROOT),
                "blockSizeBytes", Long.toString(FileSystems.blockSizeBytes(directory))));
    }

    private static void requireAbsolute(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
    }
}
