package io.cairn.io.direct;

import com.sun.jna.LastErrorException;
import io.cairn.config.InvalidSettingException;
import io.cairn.io.CreateMode;
import io.cairn.io.DirectIoUnsupportedException;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.MisalignedIoException;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.internal.Errors;
import io.cairn.io.direct.internal.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Direct I/O through the C library: {@code O_DIRECT} (optionally with {@code O_DSYNC}),
 * {@code pread}/{@code pwrite}, {@code fsync}/{@code fdatasync}, {@code posix_fallocate},
 * {@code posix_fadvise}. Alignment comes from the kernel per file (statx {@code STATX_DIOALIGN}),
 * never from a constant, and misaligned requests are refused before they reach the kernel.
 *
 * <p>Directory operations and locks are the same as for page-cache I/O and are delegated to a
 * {@link BufferedStorageBackend}.
 *
 * <p>If the file system refuses {@code O_DIRECT}, {@link #open} throws
 * {@link DirectIoUnsupportedException} with a one-line message naming the file system type, the
 * path, the {@code flushMethod} and what to use instead, and leaves no file behind that it created;
 * falling back to another backend is the engine's decision.
 */
public final class DirectStorageBackend extends FilterStorageBackend {

    /** The {@value StorageBackend#NAME_PROPERTY} of this backend. */
    public static final String NAME = "direct";

    private final FlushMethod flushMethod;
    private final boolean forceNoFsyncOnVolatileCache;
    private final DeviceFacts deviceFacts;
    private final BufferedStorageBackend directoryOps = new BufferedStorageBackend(SyncMethod.FDATASYNC);

    /**
     * @param flushMethod how files are opened and synced
     * @param forceNoFsyncOnVolatileCache allow {@link FlushMethod#O_DIRECT_NO_FSYNC} on a device
     *     with a volatile (write-back) or unknown write cache, where a power loss can lose
     *     acknowledged writes; false refuses such opens with {@link InvalidSettingException}
     * @param deviceFacts where alignment and write-cache facts come from
     */
    public DirectStorageBackend(FlushMethod flushMethod, boolean forceNoFsyncOnVolatileCache, DeviceFacts deviceFacts) {
        this.flushMethod = Objects.requireNonNull(flushMethod, "flushMethod");
        this.forceNoFsyncOnVolatileCache = forceNoFsyncOnVolatileCache;
        this.deviceFacts = Objects.requireNonNull(deviceFacts, "deviceFacts");
    }

    /** A backend with the given flush method that reads facts from the real {@code /sys}. */
    public DirectStorageBackend(FlushMethod flushMethod) {
        this(flushMethod, false, DeviceFacts.system());
    }

    /** The flush method. */
    public FlushMethod flushMethod() {
        return flushMethod;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        requireAbsolute(path);
        Path directory = path.getParent();
        checkWriteCache(directory);
        int flags = LibC.O_CLOEXEC | LibC.O_DIRECT | (options.readOnly() ? LibC.O_RDONLY : LibC.O_RDWR);
        if (flushMethod == FlushMethod.O_DSYNC && !options.readOnly()) {
            flags |= LibC.O_DSYNC;
        }
        if (options.createMode() == CreateMode.CREATE_NEW) {
            flags |= LibC.O_CREAT | LibC.O_EXCL;
        } else if (options.createMode() == CreateMode.OPEN_OR_CREATE) {
            flags |= LibC.O_CREAT;
        }
        int fd;
        try {
            fd = LibC.open(path.toString(), flags, 0600);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == NativeIoException.EINVAL) {
                DirectIoUnsupportedException refused = new DirectIoUnsupportedException(path, fileSystemType(directory),
                        "open(O_DIRECT) failed with EINVAL: the file system refuses direct I/O, which flushMethod="
                                + flushMethod + " needs (every flushMethod of the direct backend does); use the"
                                + " buffered backend (cairn.backend=buffered) for files on this file system");
                if (options.createMode() == CreateMode.CREATE_NEW) {
                    // open(2) creates the file before it checks O_DIRECT. O_EXCL proves that this call
                    // created it, and a retry with another backend must not find the name taken.
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException cleanup) {
                        refused.addSuppressed(cleanup);
                    }
                }
                throw refused;
            }
            throw Errors.of("open", e, path);
        }
        try {
            DeviceFacts.Alignment alignment = deviceFacts.alignment(path);
            IoCapabilities caps = capabilities(directory, alignment);
            if (options.ioUnitBytes() % alignment.offsetBytes() != 0) {
                throw new MisalignedIoException("I/O unit of " + options.ioUnitBytes() + " bytes for " + path
                        + " is not a multiple of the direct-I/O alignment " + alignment.offsetBytes()
                        + " bytes (" + alignment.source() + ")");
            }
            return new DirectStorageFile(fd, path, options.readOnly(), flushMethod, caps, describe());
        } catch (IOException | RuntimeException e) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // the original failure is what matters
            }
            throw e;
        }
    }

    /** Directory operations and locks are plain POSIX calls, the same as for page-cache I/O. */
    @Override
    protected StorageBackend delegate() {
        return directoryOps;
    }

    @Override
    public IoCapabilities probe(Path directory) throws IOException {
        requireAbsolute(directory);
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no such directory to probe");
        }
        return capabilities(directory, deviceFacts.alignment(directory));
    }

    @Override
    public String describe() {
        return NAME + "(" + flushMethod + (forceNoFsyncOnVolatileCache ? ", forced" : "") + ")";
    }

    private IoCapabilities capabilities(Path directory, DeviceFacts.Alignment alignment) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("flushMethod", flushMethod.name());
        facts.put("alignmentSource", alignment.source());
        facts.put("device", deviceFacts.deviceNumber(directory));
        facts.put("writeCache", deviceFacts.writeCache(directory).name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return new IoCapabilities(
                alignment.memoryBytes(),
                alignment.offsetBytes(),
                true,
                0,
                // O_DSYNC makes each write durable; O_DIRECT_NO_FSYNC asserts (checked against the
                // device's write cache, or forced) that a completed direct write is on stable media.
                flushMethod != FlushMethod.O_DIRECT,
                // Only plain O_DIRECT leaves size changes to the engine's metadata sync.
                flushMethod == FlushMethod.O_DIRECT,
                false,
                fileSystemType(directory),
                facts);
    }

    private void checkWriteCache(Path directory) throws IOException {
        if (flushMethod != FlushMethod.O_DIRECT_NO_FSYNC || forceNoFsyncOnVolatileCache) {
            return;
        }
        DeviceFacts.WriteCache cache = deviceFacts.writeCache(directory);
        if (cache != DeviceFacts.WriteCache.WRITE_THROUGH) {
            throw new InvalidSettingException("flushMethod", flushMethod,
                    "O_DIRECT or O_DSYNC, or set forceNoFsync=true to accept the risk",
                    "the device " + deviceFacts.deviceNumber(directory) + " under " + directory + " has a "
                            + (cache == DeviceFacts.WriteCache.WRITE_BACK ? "volatile (write back)" : "unknown")
                            + " write cache, so writes acknowledged without a flush can be lost on power loss");
        }
    }

    private static String fileSystemType(Path directory) {
        try {
            return Files.getFileStore(directory).type();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void requireAbsolute(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
    }

    /** Parses a flush method setting, naming the key and the allowed values when it is unknown. */
    public static FlushMethod parseFlushMethod(String key, String value) {
        if (value != null) {
            for (FlushMethod m : FlushMethod.values()) {
                if (m.name().equalsIgnoreCase(value.trim())) {
                    return m;
                }
            }
        }
        throw new InvalidSettingException(key, value, "O_DIRECT, O_DIRECT_NO_FSYNC or O_DSYNC");
    }
}
