package io.cairn.io.zfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds out whether a path is on ZFS and what the I/O decision needs to know about it, from the
 * answers of a {@link ZfsEnvironment}:
 * <ol>
 *   <li>the mount holding the path ({@code /proc/self/mountinfo}, longest mount-point prefix):
 *       type {@code zfs} or {@code fuse.zfs}, the dataset as mount source; statfs magic
 *       {@code 0x2fc12fc1} also identifies OpenZFS when the mount table does not;</li>
 *   <li>for OpenZFS, {@code /sys/module/zfs/version} and the {@code zfs_dio_enabled} and
 *       {@code zfs_dio_strict} module parameters;</li>
 *   <li>dataset properties through {@code zfs get -Hp -o value PROPERTY DATASET}, one property per
 *       call, because one property the installed {@code zfs} does not know ({@code direct} before
 *       2.3, {@code sync} on zfs-fuse) fails the whole command; a missing or hanging CLI leaves the
 *       properties unknown;</li>
 *   <li>the recordsize from the CLI, else (OpenZFS only) from statfs, which reports it as block size.</li>
 * </ol>
 * Nothing here throws for an unanswered question: the facts say what is unknown and why.
 * Property answers are cached per dataset for a configurable time, so opening many files does not
 * run the CLI for each. Thread-safe.
 */
public final class ZfsDetector {

    /** The dataset properties read, in this order. */
    public static final List<String> PROPERTIES =
            List.of("recordsize", "direct", "primarycache", "compression", "logbias", "atime", "sync", "dedup");

    private final ZfsEnvironment environment;
    private final String zfsCommand;
    private final long cliTimeoutMillis;
    private final long propertyCacheNanos;
    private final Map<String, PropertyAnswers> propertyCache = new ConcurrentHashMap<>();

    /**
     * @param environment where the answers come from
     * @param zfsCommand the {@code zfs} CLI, a name looked up on the PATH or an absolute path
     * @param cliTimeoutMillis how long one CLI call may take before it is destroyed
     * @param propertyCacheMillis how long property answers are reused for a dataset; 0 asks every time
     */
    public ZfsDetector(ZfsEnvironment environment, String zfsCommand, long cliTimeoutMillis, long propertyCacheMillis) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.zfsCommand = Objects.requireNonNull(zfsCommand, "zfsCommand");
        this.cliTimeoutMillis = cliTimeoutMillis;
        this.propertyCacheNanos = propertyCacheMillis * 1_000_000L;
    }

    /** Facts for files of {@code directory}, before any file is opened. */
    public ZfsFacts detect(Path directory) {
        return detect(directory, null);
    }

    /**
     * Facts for {@code file} in {@code directory}; the file's own block size is included when the
     * file exists.
     */
    public ZfsFacts detect(Path directory, Path file) {
        List<String> notes = new ArrayList<>();
        Path target = resolve(directory);
        Optional<MountTable.Mount> mount = Optional.empty();
        try {
            mount = MountTable.mountOf(environment.mountInfo(), target);
            if (mount.isEmpty()) {
                notes.add("no mount in /proc/self/mountinfo holds " + target);
            }
        } catch (IOException e) {
            notes.add("/proc/self/mountinfo not readable: " + e.getMessage());
        }
        OptionalLong magic = environment.statfsMagic(target);
        boolean zfsMagic = magic.isPresent() && magic.getAsLong() == ZfsFacts.ZFS_SUPER_MAGIC;
        String fsType = mount.map(MountTable.Mount::fileSystemType).orElse(zfsMagic ? "zfs" : "unknown");

        ZfsKind kind;
        if (fsType.equals("zfs") || zfsMagic) {
            if (!fsType.equals("zfs")) {
                notes.add("mount table says " + fsType + " but statfs says OpenZFS (0x2fc12fc1)");
                fsType = "zfs";
            }
            kind = ZfsKind.OPENZFS;
        } else if (fsType.equals("fuse.zfs")) {
            kind = ZfsKind.ZFS_FUSE;
        } else {
            kind = ZfsKind.NOT_ZFS;
        }
        Optional<Path> mountPoint = mount.map(MountTable.Mount::mountPoint);
        if (kind == ZfsKind.NOT_ZFS) {
            return new ZfsFacts(kind, fsType, Optional.empty(), mountPoint, magic, Optional.empty(), Optional.empty(),
                    OptionalInt.empty(), OptionalInt.empty(), Map.of(), Map.of(), OptionalLong.empty(), "not ZFS",
                    Optional.empty(), notes);
        }

        Optional<String> dataset = mount.map(MountTable.Mount::source).filter(s -> !s.isBlank());
        Optional<String> versionText = Optional.empty();
        Optional<ZfsVersion> version = Optional.empty();
        OptionalInt dioEnabled = OptionalInt.empty();
        OptionalInt dioStrict = OptionalInt.empty();
        // zfs-fuse has no kernel module; a loaded OpenZFS module on the same machine says nothing
        // about a FUSE mount, so sysfs is only read for OpenZFS.
        if (kind == ZfsKind.OPENZFS) {
            versionText = environment.zfsModuleFile("version");
            version = versionText.flatMap(ZfsVersion::parse);
            if (versionText.isPresent() && version.isEmpty()) {
                notes.add("cannot parse OpenZFS version '" + versionText.get() + "'");
            }
            dioEnabled = tunable("zfs_dio_enabled", notes);
            dioStrict = tunable("zfs_dio_strict", notes);
        }

        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        if (dataset.isPresent()) {
            PropertyAnswers answers = properties(dataset.get());
            properties.putAll(answers.known());
            unknown.putAll(answers.unknown());
        } else {
            for (String name : PROPERTIES) {
                unknown.put(name, "dataset unknown");
            }
        }

        OptionalLong recordSize = OptionalLong.empty();
        String recordSizeSource = "unknown";
        if (properties.containsKey("recordsize")) {
            recordSize = parseSize(properties.get("recordsize"));
            recordSizeSource = "zfs get recordsize";
            if (recordSize.isEmpty()) {
                notes.add("cannot parse recordsize '" + properties.get("recordsize") + "'");
            }
        }
        if (recordSize.isEmpty() && kind == ZfsKind.OPENZFS) {
            // OpenZFS reports the dataset's maximum block size (its recordsize) as f_bsize/f_frsize.
            recordSize = environment.fileSystemBlockSizeBytes(target);
            recordSizeSource = recordSize.isPresent() ? "statfs block size" : "unknown";
        } else if (recordSize.isEmpty()) {
            notes.add("zfs-fuse reports 512-byte blocks in statfs, so the recordsize is known only from the CLI");
        }
        Optional<ZfsEnvironment.FileBlocks> fileBlocks =
                file == null ? Optional.empty() : environment.fileBlocks(file);
        return new ZfsFacts(kind, fsType, dataset, mountPoint, magic, versionText, version, dioEnabled, dioStrict,
                properties, unknown, recordSize, recordSizeSource, fileBlocks, notes);
    }

    private OptionalInt tunable(String name, List<String> notes) {
        Optional<String> text = environment.zfsModuleFile("parameters/" + name);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.get().trim()));
        } catch (NumberFormatException e) {
            notes.add("cannot parse " + name + " '" + text.get() + "'");
            return OptionalInt.empty();
        }
    }

    private PropertyAnswers properties(String dataset) {
        long now = System.nanoTime();
        PropertyAnswers cached = propertyCache.get(dataset);
        if (cached != null && now - cached.askedAtNanos() < propertyCacheNanos) {
            return cached;
        }
        Map<String, String> known = new LinkedHashMap<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        String cliUnavailable = null;
        boolean cacheable = true;
        for (String name : PROPERTIES) {
            if (cliUnavailable != null) {
                unknown.put(name, cliUnavailable);
                continue;
            }
            CommandResult result = environment.run(List.of(zfsCommand, "get", "-Hp", "-o", "value", name, dataset),
                    cliTimeoutMillis);
            switch (result.status()) {
                case EXITED -> {
                    String value = firstLine(result.stdout());
                    if (result.exitCode() == 0 && !value.isEmpty() && !value.equals("-")) {
                        known.put(name, value);
                    } else if (result.exitCode() == 0) {
                        unknown.put(name, "not applicable to this dataset");
                    } else if (result.stderr().contains("invalid property")) {
                        unknown.put(name, "not supported by this zfs: " + result.firstErrorLine());
                    } else {
                        // Other failures (dataset gone, library not initialised) fail fast; the next
                        // property is still asked, so one failure never hides another answer.
                        unknown.put(name, "zfs get failed: " + result.firstErrorLine());
                    }
                }
                // These would repeat for every property, each costing up to the timeout.
                case NOT_FOUND -> cliUnavailable = "zfs CLI not available: " + result.firstErrorLine();
                case TIMED_OUT -> cliUnavailable = "zfs CLI timed out after " + cliTimeoutMillis + " ms";
                case FAILED -> {
                    // Often passing (an interrupted caller): do not let it stick for the cache time.
                    cliUnavailable = "zfs CLI could not run: " + result.firstErrorLine();
                    cacheable = false;
                }
            }
            if (cliUnavailable != null) {
                unknown.put(name, cliUnavailable);
            }
        }
        PropertyAnswers answers = new PropertyAnswers(known, unknown, now);
        if (propertyCacheNanos > 0 && cacheable) {
            propertyCache.put(dataset, answers);
        }
        return answers;
    }

    /** Drops cached property answers, so the next detection asks the CLI again. */
    public void forgetProperties() {
        propertyCache.clear();
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return "";
    }

    /** Parses {@code 16384} (what {@code -p} prints) or {@code 16K}/{@code 1M}. */
    static OptionalLong parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long multiplier = 1;
        if (t.endsWith("K") || t.endsWith("M")) {
            multiplier = t.endsWith("K") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long value = Long.parseLong(t) * multiplier;
            return value > 0 ? OptionalLong.of(value) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The real path of {@code directory}, resolving symlinks of its existing part. */
    private static Path resolve(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null; p = p.getParent()) {
            try {
                Path real = p.toRealPath();
                while (!missing.isEmpty()) {
                    real = real.resolve(missing.pop());
                }
                return real;
            } catch (IOException e) {
                if (p.getFileName() != null) {
                    missing.push(p.getFileName());
                }
            }
        }
        return absolute;
    }

    private record PropertyAnswers(Map<String, String> known, Map<String, String> unknown, long askedAtNanos) {
    }
}
