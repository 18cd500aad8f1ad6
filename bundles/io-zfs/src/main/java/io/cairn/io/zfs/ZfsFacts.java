package io.cairn.io.zfs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What detection found out about the file system holding a path. Every component that could not be
 * learnt is empty; {@link #notes()} and {@link #unknownProperties()} say why.
 *
 * @param kind OpenZFS, zfs-fuse, or not ZFS
 * @param fileSystemType the mount's type ({@code zfs}, {@code fuse.zfs}, {@code ext4}...) or {@code unknown}
 * @param dataset the ZFS dataset (the mount source), for ZFS kinds
 * @param mountPoint the mount point holding the path
 * @param statfsMagic {@code statfs f_type}, when it could be asked
 * @param versionText the contents of {@code /sys/module/zfs/version} (OpenZFS only)
 * @param version {@code versionText} parsed
 * @param dioEnabled the {@code zfs_dio_enabled} module parameter (exists from OpenZFS 2.3)
 * @param dioStrict the {@code zfs_dio_strict} module parameter (exists from OpenZFS 2.4)
 * @param properties dataset properties that the CLI answered ({@code recordsize} in bytes)
 * @param unknownProperties dataset properties that could not be read, each with the reason
 * @param recordSizeBytes the dataset recordsize, from the CLI or (OpenZFS only) statfs
 * @param recordSizeSource where {@code recordSizeBytes} came from
 * @param fileBlocks block size and size of the file itself, when it exists
 * @param notes other detection remarks (mount table unreadable, CLI unavailable...)
 */
public record ZfsFacts(
        ZfsKind kind,
        String fileSystemType,
        Optional<String> dataset,
        Optional<Path> mountPoint,
        OptionalLong statfsMagic,
        Optional<String> versionText,
        Optional<ZfsVersion> version,
        OptionalInt dioEnabled,
        OptionalInt dioStrict,
        Map<String, String> properties,
        Map<String, String> unknownProperties,
        OptionalLong recordSizeBytes,
        String recordSizeSource,
        Optional<ZfsEnvironment.FileBlocks> fileBlocks,
        List<String> notes) {

    /** statfs {@code f_type} of OpenZFS ({@code ZFS_SUPER_MAGIC}). */
    public static final long ZFS_SUPER_MAGIC = 0x2fc12fc1L;

    public ZfsFacts {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fileSystemType, "fileSystemType");
        properties = Map.copyOf(properties);
        unknownProperties = Map.copyOf(unknownProperties);
        Objects.requireNonNull(recordSizeSource, "recordSizeSource");
        notes = List.copyOf(notes);
    }

    /** Whether the path is on ZFS of either kind. */
    public boolean isZfs() {
        return kind != ZfsKind.NOT_ZFS;
    }

    /** A dataset property as the CLI printed it, if it answered. */
    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /**
     * The record size that governs writes to this file: the file's own block size once it has
     * more than one block (it keeps the recordsize in force when it grew), else the dataset's.
     */
    public OptionalLong effectiveRecordSizeBytes() {
        if (fileBlocks.isPresent()) {
            ZfsEnvironment.FileBlocks blocks = fileBlocks.get();
            if (blocks.blockSizeBytes() > 0 && blocks.sizeBytes() > blocks.blockSizeBytes()) {
                return OptionalLong.of(blocks.blockSizeBytes());
            }
        }
        return recordSizeBytes;
    }

    /**
     * The detected facts as operator-facing strings (lower-camel-case keys): {@code zfs},
     * {@code fsType}, {@code dataset}, {@code version}, {@code recordsize}, {@code direct} and the
     * other properties, with {@code unknown (...)} for what could not be learnt.
     */
    public Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("zfs", kind == ZfsKind.NOT_ZFS ? "false" : kind == ZfsKind.ZFS_FUSE ? "zfs-fuse" : "openzfs");
        facts.put("fsType", fileSystemType);
        mountPoint.ifPresent(p -> facts.put("mountPoint", p.toString()));
        statfsMagic.ifPresent(m -> facts.put("statfsMagic", "0x" + Long.toHexString(m)));
        if (!isZfs()) {
            return facts;
        }
        facts.put("dataset", dataset.orElse("unknown"));
        if (kind == ZfsKind.OPENZFS) {
            facts.put("version", versionText.orElse("unknown (/sys/module/zfs/version not readable)"));
            facts.put("dioEnabled", dioEnabled.isPresent() ? Integer.toString(dioEnabled.getAsInt()) : "absent");
            facts.put("dioStrict", dioStrict.isPresent() ? Integer.toString(dioStrict.getAsInt()) : "absent");
        } else {
            facts.put("version", "zfs-fuse");
        }
        facts.put("recordsize", recordSizeBytes.isPresent() ? Long.toString(recordSizeBytes.getAsLong()) : "unknown");
        facts.put("recordsizeSource", recordSizeSource);
        fileBlocks.ifPresent(b -> facts.put("fileBlockSizeBytes", Long.toString(b.blockSizeBytes())));
        for (String name : ZfsDetector.PROPERTIES) {
            if (name.equals("recordsize")) {
                continue;
            }
            String value = properties.get(name);
            facts.put(name, value != null ? value : "unknown (" + unknownProperties.getOrDefault(name, "not read") + ")");
        }
        if (!notes.isEmpty()) {
            facts.put("detectionNotes", String.join("; ", notes));
        }
        return facts;
    }
}
