package io.cairn.io.zfs;

import io.cairn.io.FileRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The decision table: from detected {@link ZfsFacts}, the page size and the file's role to an
 * {@link IoPath} with reasons. A pure function; the facts come from {@link ZfsDetector}.
 *
 * <table>
 *   <caption>Rows, checked in this order</caption>
 *   <tr><th>condition</th><th>path</th><th>why</th></tr>
 *   <tr><td>not ZFS</td><td>buffered + fsync (redo: fdatasync)</td><td>this backend adds nothing there</td></tr>
 *   <tr><td>role REDO</td><td>buffered + fdatasync</td><td>small synchronous appends go to the ZIL</td></tr>
 *   <tr><td>role CONTROL</td><td>buffered + fsync</td><td>tiny whole-file writes</td></tr>
 *   <tr><td>zfs-fuse</td><td>buffered + fsync</td><td>O_DIRECT is accepted but bypasses nothing</td></tr>
 *   <tr><td>OpenZFS version unknown</td><td>buffered + fsync</td><td>cannot check the gates below</td></tr>
 *   <tr><td>OpenZFS &lt; 0.8</td><td>buffered + fsync</td><td>{@code open(O_DIRECT)} fails with EINVAL</td></tr>
 *   <tr><td>OpenZFS 0.8 to 2.2.x</td><td>buffered + fsync</td><td>O_DIRECT is accepted but copies through the ARC</td></tr>
 *   <tr><td>OpenZFS 2.3+</td><td>direct + fsync</td><td>only if none of: deny-listed build (2.3.99-N with
 *       N &lt; 96, 2.3.0-rc1..rc3), {@link DirectIoMode#OFF}, {@code direct=disabled} or unknown,
 *       {@code zfs_dio_enabled=0} or unknown, page size not a multiple of 4 KiB, page size &ne;
 *       recordsize (or unknown); otherwise buffered + fsync</td></tr>
 * </table>
 *
 * <p>Direct I/O is never chosen without syncs: on ZFS, {@code O_DIRECT} moves the data but block
 * pointers reach the disk only at the next TXG, so a no-fsync mode would lose acknowledged writes.
 */
public final class ZfsIoPolicy {

    /** Linux's page size on the platforms Cairn supports: the unit of OpenZFS 2.3 direct-I/O alignment. */
    public static final int KERNEL_PAGE_SIZE_BYTES = 4096;

    private ZfsIoPolicy() {
    }

    /**
     * Chooses the I/O path for a file.
     *
     * @param facts what detection found for the file's directory (and the file itself)
     * @param pageSizeBytes the engine's transfer unit for the file, 0 when unknown
     * @param role what the file is used for
     * @param mode whether direct I/O may be used at all
     */
    public static IoChoice decide(ZfsFacts facts, int pageSizeBytes, FileRole role, DirectIoMode mode) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mode, "mode");
        List<String> reasons = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        if (!facts.isZfs()) {
            reasons.add("not ZFS (" + facts.fileSystemType() + ")");
            return new IoChoice(role == FileRole.REDO ? IoPath.BUFFERED_FDATASYNC : IoPath.BUFFERED_FSYNC, reasons, advice);
        }
        String dataset = facts.dataset().orElse("the dataset");
        if (role == FileRole.REDO) {
            reasons.add("redo files always use buffered I/O + fdatasync: small synchronous appends go to the ZIL");
            return new IoChoice(IoPath.BUFFERED_FDATASYNC, reasons, advice);
        }
        if (role == FileRole.CONTROL) {
            reasons.add("control files are small whole-file writes: buffered I/O + fsync");
            return new IoChoice(IoPath.BUFFERED_FSYNC, reasons, advice);
        }
        if (facts.kind() == ZfsKind.ZFS_FUSE) {
            reasons.add("zfs-fuse: O_DIRECT is accepted but bypasses no cache, so buffered I/O + fsync");
            adviseMetadataCaching(facts, dataset, advice);
            return new IoChoice(IoPath.BUFFERED_FSYNC, reasons, advice);
        }
        Optional<ZfsVersion> maybeVersion = facts.version();
        if (maybeVersion.isEmpty()) {
            reasons.add(facts.versionText().isPresent()
                    ? "OpenZFS version '" + facts.versionText().get() + "' cannot be parsed, so direct I/O is not used"
                    : "OpenZFS version unknown (/sys/module/zfs/version not readable), so direct I/O is not used");
            adviseMetadataCaching(facts, dataset, advice);
            return new IoChoice(IoPath.BUFFERED_FSYNC, reasons, advice);
        }
        ZfsVersion version = maybeVersion.get();
        if (!version.isAtLeast(0, 8, 0)) {
            reasons.add("OpenZFS " + version + " is older than 0.8: open(O_DIRECT) fails with EINVAL, so buffered I/O + fsync");
            adviseMetadataCaching(facts, dataset, advice);
            return new IoChoice(IoPath.BUFFERED_FSYNC, reasons, advice);
        }
        if (!version.isAtLeast(2, 3, 0)) {
            reasons.add("OpenZFS " + version + " (0.8 to 2.2.x) accepts O_DIRECT but still copies through the ARC,"
                    + " so buffered I/O + fsync");
            adviseMetadataCaching(facts, dataset, advice);
            return new IoChoice(IoPath.BUFFERED_FSYNC, reasons, advice);
        }

        List<String> blockers = new ArrayList<>();
        denied(version).ifPresent(blockers::add);
        if (mode == DirectIoMode.OFF) {
            blockers.add("direct I/O is turned off by configuration (directIo=off)");
        }
        Optional<String> direct = facts.property("direct");
        if (direct.isEmpty()) {
            blockers.add("dataset property direct is unknown ("
                    + facts.unknownProperties().getOrDefault("direct", "not read")
                    + "); direct I/O is used only when direct is known not to be disabled");
        } else if (direct.get().equals("disabled")) {
            blockers.add("dataset " + dataset + " has direct=disabled (O_DIRECT would be silently served by the ARC)");
        }
        if (facts.dioEnabled().isEmpty()) {
            blockers.add("module parameter zfs_dio_enabled is not readable");
        } else if (facts.dioEnabled().getAsInt() == 0) {
            blockers.add("module parameter zfs_dio_enabled=0 turns Direct I/O off for every dataset");
        }
        if (pageSizeBytes <= 0) {
            blockers.add("the page size (I/O unit) of the file is not known");
        } else if (pageSizeBytes % KERNEL_PAGE_SIZE_BYTES != 0) {
            blockers.add("page size " + pageSizeBytes + " is not a multiple of 4 KiB (OpenZFS 2.3 fails such O_DIRECT"
                    + " transfers with EINVAL)");
        }
        OptionalLong record = facts.effectiveRecordSizeBytes();
        boolean fileRecord = record.isPresent() && facts.recordSizeBytes().isPresent()
                && record.getAsLong() != facts.recordSizeBytes().getAsLong();
        if (record.isEmpty()) {
            blockers.add("recordsize unknown");
        } else if (pageSizeBytes > 0 && record.getAsLong() != pageSizeBytes) {
            blockers.add("page size " + pageSizeBytes + " differs from the " + (fileRecord ? "file's record size " : "recordsize ")
                    + record.getAsLong() + ": direct writes that do not cover whole records go through the ARC anyway");
        }

        if (!blockers.isEmpty()) {
            reasons.add("OpenZFS " + version + ": buffered I/O + fsync because " + String.join("; ", blockers));
            adviseMetadataCaching(facts, dataset, advice);
        } else {
            reasons.add("OpenZFS " + version + " with direct=" + direct.get() + ", zfs_dio_enabled=1 and page size ="
                    + " recordsize = " + pageSizeBytes + ": Direct I/O bypasses the ARC");
            reasons.add("every sync is still a real fsync: O_DIRECT does not imply O_SYNC on ZFS");
            if (facts.dioStrict().orElse(0) == 1) {
                advice.add("zfs_dio_strict=1: a misaligned O_DIRECT request fails with EINVAL instead of falling back");
            }
        }
        if (!version.isAtLeast(2, 3, 3)) {
            reasons.add("warning: OpenZFS " + version + " is below 2.3.3, the recommended minimum for Direct I/O"
                    + " (2.3.1 and 2.3.3 fix Direct I/O page pinning and iterator offsets)");
        } else if (version.isDevelopmentBuild()) {
            advice.add("OpenZFS " + version + " is a development build: which Direct I/O fixes it has cannot be told"
                    + " from the version; prefer a release");
        } else if (!version.isAtLeast(2, 3, 8) || (version.major() == 2 && version.minor() == 4 && !version.isAtLeast(2, 4, 3))) {
            advice.add("prefer OpenZFS 2.3.8+ or 2.4.3+ (Direct I/O use-after-free and ARC statistics fixes)");
        }
        Optional<String> dedup = facts.property("dedup");
        if (dedup.isPresent() && !dedup.get().equals("off")) {
            advice.add("dataset " + dataset + " has dedup=" + dedup.get() + ": Direct I/O writes are not deduplicated");
        }
        return new IoChoice(blockers.isEmpty() ? IoPath.DIRECT : IoPath.BUFFERED_FSYNC, reasons, advice);
    }

    /**
     * Why a build's Direct I/O must not be used, if it is deny-listed: OpenZFS master builds before
     * {@code c8a326aab7} (2.3.99-96) and 2.3.0-rc1..rc3 put the kernel zero page twice
     * ({@code BUG: Bad page state}, {@code ENOMEM} in MySQL with O_DIRECT; openzfs/zfs#16642,
     * field report 1).
     */
    public static Optional<String> denied(ZfsVersion version) {
        if (version.major() == 2 && version.minor() == 3 && version.patch() == 99) {
            if (version.commitsSinceTag() < 0) {
                return Optional.of("OpenZFS " + version + " is a 2.3.99 development build without a commit count, so it"
                        + " cannot be shown to contain the O_DIRECT 'Bad page state' fix (2.3.99-96, openzfs/zfs#16642)");
            }
            if (version.commitsSinceTag() < 96) {
                return Optional.of("OpenZFS " + version + " is deny-listed: development builds before 2.3.99-96 crash"
                        + " the kernel with 'Bad page state' under O_DIRECT (openzfs/zfs#16642)");
            }
        }
        if (version.major() == 2 && version.minor() == 3 && version.patch() == 0 && version.releaseCandidate() >= 1
                && version.releaseCandidate() <= 3) {
            return Optional.of("OpenZFS " + version + " is deny-listed: 2.3.0-rc1 to rc3 lack the O_DIRECT"
                    + " 'Bad page state' fix (in 2.3.0-rc4, openzfs/zfs#16642)");
        }
        return Optional.empty();
    }

    /**
     * The dataset settings recommended for files of {@code role} (zfs.md section 7): data files
     * {@code recordsize} = page size, {@code compression=lz4} ({@code on} on zfs-fuse, which has no
     * lz4), {@code atime=off}, {@code logbias=throughput}, and {@code primarycache=metadata} while
     * direct I/O is off; redo files {@code recordsize=128K}, {@code logbias=latency}.
     *
     * @return property to value, in {@code zfs set} syntax; empty when not ZFS
     */
    public static Map<String, String> recommendedDataset(ZfsKind kind, FileRole role, int pageSizeBytes,
            boolean directIo) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (kind == ZfsKind.NOT_ZFS) {
            return settings;
        }
        if (role == FileRole.REDO) {
            settings.put("recordsize", "128K");
            settings.put("logbias", "latency");
            return settings;
        }
        if (pageSizeBytes > 0) {
            settings.put("recordsize", sizeText(pageSizeBytes));
        }
        settings.put("compression", kind == ZfsKind.ZFS_FUSE ? "on" : "lz4");
        settings.put("atime", "off");
        settings.put("logbias", "throughput");
        if (!directIo) {
            settings.put("primarycache", "metadata");
        }
        return settings;
    }

    /** {@code 16384} as {@code 16K}, the way {@code zfs set} takes it. */
    static String sizeText(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "M";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + "K" : Long.toString(bytes);
    }

    private static void adviseMetadataCaching(ZfsFacts facts, String dataset, List<String> advice) {
        String current = facts.property("primarycache").orElse("unknown");
        if (!current.equals("metadata") && !current.equals("none")) {
            advice.add("set primarycache=metadata on " + dataset + " (now " + current + ") so pages are not cached"
                    + " twice, in the ARC and in the buffer pool");
        }
    }
}
