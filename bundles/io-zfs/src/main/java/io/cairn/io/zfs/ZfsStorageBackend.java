package io.cairn.io.zfs;

import io.cairn.io.CreateMode;
import io.cairn.io.DirectIoUnsupportedException;
import io.cairn.io.FileRole;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.MisalignedIoException;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ZFS-aware backend: per file it detects the file system ({@link ZfsDetector}), chooses direct
 * or buffered I/O ({@link ZfsIoPolicy}) and opens the file through the {@link DirectStorageBackend}
 * ({@link FlushMethod#O_DIRECT}, never a no-fsync mode) or a {@link BufferedStorageBackend}
 * (fsync, or fdatasync for redo). Off ZFS it behaves exactly like the buffered backend.
 *
 * <p><b>Runtime fallback</b> (field report 1): when a direct read or write fails with
 * {@code ENOMEM}, {@code EINVAL} or {@code EIO}, the transfer is retried through the buffered path
 * and the file stays buffered for the rest of its life, including later opens of the same path
 * through this instance. One warning per file is logged on the {@code io.cairn.io.zfs} logger,
 * naming the file, the errno and the OpenZFS version. The file's {@link StorageFile#capabilities()}
 * stay as they were at open (they are constant per handle): the alignment keeps being enforced,
 * and only the {@code direct} claim no longer holds; {@link StorageFile#describe()} shows the switch.
 *
 * <p><b>Capabilities</b> come from the chosen path, with the file system type and the detected
 * facts; on ZFS, {@link IoCapabilities#atomicWriteUnitBytes()} is the record size when the page
 * size divides it (copy-on-write: a write within one record is all-or-nothing).
 *
 * <p>Directory operations and locks are the buffered backend's. Thread-safe.
 */
public final class ZfsStorageBackend extends FilterStorageBackend {

    /** The {@value StorageBackend#NAME_PROPERTY} of this backend. */
    public static final String NAME = "zfs";

    /** The logger for fallback warnings. */
    static final String LOGGER_NAME = "io.cairn.io.zfs";
    private static final Logger LOG = System.getLogger(LOGGER_NAME);

    private final ZfsSettings settings;
    private final ZfsEnvironment environment;
    private final ZfsDetector detector;
    private final StorageBackend directBackend;
    private final BufferedStorageBackend bufferedFsync = new BufferedStorageBackend(SyncMethod.FSYNC);
    private final BufferedStorageBackend bufferedFdatasync = new BufferedStorageBackend(SyncMethod.FDATASYNC);
    /** Files moved to the buffered path after a direct-I/O failure, with the reason. */
    private final Map<Path, String> fellBack = new ConcurrentHashMap<>();

    /** A backend with default settings on the real machine. */
    public ZfsStorageBackend() {
        this(ZfsSettings.defaults());
    }

    /** A backend with the given settings on the real machine. */
    public ZfsStorageBackend(ZfsSettings settings) {
        this(settings, ZfsEnvironment.system(), new DirectStorageBackend(FlushMethod.O_DIRECT));
    }

    /**
     * @param settings the settings
     * @param environment where detection reads the machine's answers
     * @param directBackend opens files on the direct path; it must sync for real on every
     *     {@link io.cairn.io.StorageFile#sync} (the {@code O_DIRECT} flush method), because ZFS does
     *     not make {@code O_DIRECT} writes durable by itself
     */
    public ZfsStorageBackend(ZfsSettings settings, ZfsEnvironment environment, StorageBackend directBackend) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.directBackend = Objects.requireNonNull(directBackend, "directBackend");
        this.detector = new ZfsDetector(environment, settings.zfsCommand(), settings.cliTimeoutMillis(),
                settings.propertyCacheMillis());
    }

    /** The settings. */
    public ZfsSettings settings() {
        return settings;
    }

    /** The detector this backend uses, for status commands that want the facts alone. */
    public ZfsDetector detector() {
        return detector;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected StorageBackend delegate() {
        return bufferedFsync;
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        requireAbsolute(path);
        ZfsFacts facts = detector.detect(path.getParent(), path);
        int pageSizeBytes = options.ioUnitBytes();
        IoChoice choice = ZfsIoPolicy.decide(facts, pageSizeBytes, options.role(), settings.directIo());
        String earlier = fellBack.get(path);
        if (earlier != null && choice.path() == IoPath.DIRECT) {
            choice = new IoChoice(IoPath.BUFFERED_FSYNC, List.of("direct I/O failed on this file before (" + earlier
                    + "), so it stays buffered"), choice.advice());
        }
        if (choice.path() == IoPath.DIRECT) {
            try {
                StorageFile direct = directBackend.open(path, options);
                return new ZfsStorageFile(this, direct, true, options, facts,
                        capabilities(direct.capabilities(), facts, choice, pageSizeBytes, options.role()),
                        directBackend.describe());
            } catch (DirectIoUnsupportedException | MisalignedIoException e) {
                String reason = e instanceof MisalignedIoException
                        ? "the direct-I/O alignment does not fit the I/O unit: " + e.getMessage()
                        : "open(O_DIRECT) was refused: " + e.getMessage();
                warnOnce(path, reason, facts);
                choice = new IoChoice(IoPath.BUFFERED_FSYNC, List.of(reason), choice.advice());
                // The refused open may already have created the file (open(2) creates before it
                // checks O_DIRECT), so an exclusive create must not fail on the retry.
                if (options.createMode() == CreateMode.CREATE_NEW) {
                    options = new OpenOptions(options.role(), CreateMode.OPEN_OR_CREATE, options.readOnly(),
                            options.ioUnitBytes());
                }
            }
        }
        BufferedStorageBackend buffered = bufferedFor(choice.path());
        StorageFile file = buffered.open(path, options);
        return new ZfsStorageFile(this, file, false, options, facts,
                capabilities(file.capabilities(), facts, choice, pageSizeBytes, options.role()), buffered.describe());
    }

    @Override
    public void delete(Path path) throws IOException {
        super.delete(path);
        fellBack.remove(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        super.rename(source, target);
        String reason = fellBack.remove(source);
        if (reason != null) {
            fellBack.put(target, reason);
        } else {
            fellBack.remove(target);
        }
    }

    /**
     * What a data file of {@code directory} would get with the configured page size, plus the
     * path a redo file would get ({@code redoPath}), with all detected facts and the recommended
     * dataset settings.
     */
    @Override
    public IoCapabilities probe(Path directory) throws IOException {
        requireAbsolute(directory);
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no such directory to probe");
        }
        ZfsFacts facts = detector.detect(directory);
        int pageSizeBytes = settings.pageSizeBytes();
        IoChoice choice = ZfsIoPolicy.decide(facts, pageSizeBytes, FileRole.DATA, settings.directIo());
        IoCapabilities base = choice.path() == IoPath.DIRECT
                ? directBackend.probe(directory)
                : bufferedFor(choice.path()).probe(directory);
        IoCapabilities caps = capabilities(base, facts, choice, pageSizeBytes, FileRole.DATA);
        Map<String, String> withRedo = new LinkedHashMap<>(caps.facts());
        withRedo.put("redoPath", ZfsIoPolicy.decide(facts, 0, FileRole.REDO, settings.directIo()).path().label());
        return caps.withFacts(withRedo);
    }

    @Override
    public String describe() {
        return NAME + "(directIo=" + settings.directIo().name().toLowerCase(java.util.Locale.ROOT)
                + ", pageSizeBytes=" + settings.pageSizeBytes() + ", cli=" + settings.zfsCommand()
                + ", cliTimeoutMillis=" + settings.cliTimeoutMillis() + ")";
    }

    // ------------------------------------------------------------------ used by ZfsStorageFile

    /** Opens the buffered replacement for a file whose direct I/O failed. */
    StorageFile openFallback(Path path, OpenOptions options) throws IOException {
        return bufferedFsync.open(path, new OpenOptions(options.role(), CreateMode.OPEN_EXISTING, options.readOnly(),
                options.ioUnitBytes()));
    }

    /** The description of the buffered fallback path. */
    String fallbackDescription() {
        return bufferedFsync.describe();
    }

    /** Records that {@code path} left the direct path because of {@code cause}, warning once per file. */
    void reportDirectFailure(Path path, NativeIoException cause, ZfsFacts facts) {
        warnOnce(path, cause.syscall() + " failed with " + errnoName(cause.errno()), facts);
    }

    private void warnOnce(Path path, String reason, ZfsFacts facts) {
        if (fellBack.putIfAbsent(path, reason) == null) {
            String system = facts.kind() == ZfsKind.ZFS_FUSE ? "zfs-fuse"
                    : "OpenZFS " + facts.versionText().orElse("of unknown version");
            LOG.log(Level.WARNING, "direct I/O on " + path + " failed (" + reason + ") on " + system
                    + " (dataset " + facts.dataset().orElse("unknown") + "); the file now uses buffered I/O + fsync"
                    + " for the rest of its life. Check the kernel log for 'Bad page state' (openzfs/zfs#16642)"
                    + " and consider direct=disabled on the dataset");
        }
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case NativeIoException.ENOMEM -> "ENOMEM";
            case NativeIoException.EINVAL -> "EINVAL";
            case NativeIoException.EIO -> "EIO";
            default -> "errno " + errno;
        };
    }

    // ------------------------------------------------------------------ internals

    private BufferedStorageBackend bufferedFor(IoPath path) {
        return path == IoPath.BUFFERED_FDATASYNC ? bufferedFdatasync : bufferedFsync;
    }

    /**
     * The chosen path's capabilities with the ZFS facts and the atomic write unit: on ZFS a write
     * inside one record is copy-on-write, so a power loss returns the old or the new record, never
     * a mix. That covers a page when the page size divides the record size.
     */
    private static IoCapabilities capabilities(IoCapabilities base, ZfsFacts facts, IoChoice choice, int pageSizeBytes,
            FileRole role) {
        Map<String, String> all = new LinkedHashMap<>(base.facts());
        all.putAll(facts.describe());
        all.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
        all.put("pageSizeBytes", pageSizeBytes > 0 ? Integer.toString(pageSizeBytes) : "unknown");
        all.put("chosenPath", choice.path().label());
        all.put("reason", choice.reason());
        if (!choice.advice().isEmpty()) {
            all.put("advice", String.join("; ", choice.advice()));
        }
        if (facts.isZfs()) {
            boolean direct = choice.path() == IoPath.DIRECT;
            all.put("recommendedDataDataset",
                    settingsText(ZfsIoPolicy.recommendedDataset(facts.kind(), FileRole.DATA, pageSizeBytes, direct)));
            all.put("recommendedRedoDataset",
                    settingsText(ZfsIoPolicy.recommendedDataset(facts.kind(), FileRole.REDO, pageSizeBytes, direct)));
            String changes = datasetChanges(facts, ZfsIoPolicy.recommendedDataset(facts.kind(), role, pageSizeBytes, direct));
            if (!changes.isEmpty()) {
                all.put("datasetChanges", changes);
            }
        }
        int atomicUnitBytes = atomicWriteUnitBytes(facts, pageSizeBytes);
        String fsType = facts.isZfs() ? facts.fileSystemType() : base.fileSystemType();
        return new IoCapabilities(base.bufferAlignmentBytes(), base.offsetAlignmentBytes(), base.direct(), atomicUnitBytes,
                base.writeDurableOnReturn(), base.needsSyncAfterResize(), base.powersafeOverwrite(), fsType, all);
    }

    /** The record size when it is a power of two that the page size divides, else 0. */
    static int atomicWriteUnitBytes(ZfsFacts facts, int pageSizeBytes) {
        OptionalLong record = facts.effectiveRecordSizeBytes();
        if (!facts.isZfs() || record.isEmpty() || pageSizeBytes <= 0) {
            return 0;
        }
        long recordBytes = record.getAsLong();
        if (recordBytes > Integer.MAX_VALUE || Long.bitCount(recordBytes) != 1) {
            return 0;
        }
        return pageSizeBytes <= recordBytes && recordBytes % pageSizeBytes == 0 ? (int) recordBytes : 0;
    }

    private static String settingsText(Map<String, String> settings) {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return text.toString();
    }

    /** The recommended settings that the dataset does not have, as {@code name current -> wanted}. */
    private static String datasetChanges(ZfsFacts facts, Map<String, String> recommended) {
        StringBuilder text = new StringBuilder();
        recommended.forEach((name, wanted) -> {
            String current = facts.property(name).orElse(null);
            if (current == null) {
                return;
            }
            String comparable = name.equals("recordsize")
                    ? ZfsDetector.parseSize(current).stream().mapToObj(ZfsIoPolicy::sizeText).findFirst().orElse(current)
                    : current;
            if (!comparable.equals(wanted)) {
                text.append(text.length() == 0 ? "" : ", ").append(name).append(' ').append(comparable)
                        .append(" -> ").append(wanted);
            }
        });
        return text.toString();
    }

    private static void requireAbsolute(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
    }
}
