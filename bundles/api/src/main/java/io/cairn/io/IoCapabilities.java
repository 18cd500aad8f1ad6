package io.cairn.io;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend guarantees for a file, or for the files of a directory before any is opened
 * ({@link StorageBackend#probe(java.nio.file.Path)}). The engine changes its behaviour on these
 * facts, the way SQLite's pager reads a VFS's device characteristics: the buffer pool aligns its
 * frames to {@link #bufferAlignmentBytes()}, the doublewrite area is skipped when
 * {@link #atomicWriteUnitBytes()} covers a page, and a size change is followed by a metadata sync
 * when {@link #needsSyncAfterResize()} is true.
 *
 * <p>A backend must never claim more than it delivers: the conformance kit checks alignment claims
 * directly and atomicity claims by simulated power loss. Claiming less is always safe.
 *
 * <p>Growth rule: a later minor version may add components; it will keep this canonical
 * constructor, and every new component's value under this constructor means "no guarantee".
 *
 * @param bufferAlignmentBytes required alignment of the memory address of every transfer buffer,
 *     a power of two; 1 when any address works
 * @param offsetAlignmentBytes required alignment of every file offset and transfer length, a
 *     power of two; 1 when any offset and length work
 * @param direct whether transfers bypass the operating system's page cache; "direct" never
 *     implies "durable" (see {@link #writeDurableOnReturn()})
 * @param atomicWriteUnitBytes a write that lies entirely within one block of this size (a block
 *     starting at a multiple of the size) is all-or-nothing through a power loss, for example a
 *     page inside one ZFS record; 0 when nothing is guaranteed
 * @param writeDurableOnReturn whether a completed write already survives power loss (for example
 *     {@code O_DSYNC}); size changes may still need a sync, see {@link #needsSyncAfterResize()}
 * @param needsSyncAfterResize whether a size change (extending write, allocate, truncate) is
 *     durable only after {@link StorageFile#sync(SyncLevel) sync(DATA_AND_METADATA)}; false only
 *     when the backend itself makes every size change durable before returning
 * @param powersafeOverwrite whether a power loss during a write can damage only the bytes of that
 *     write, never neighbouring bytes in the same sector
 * @param fileSystemType the detected file system type ({@code ext4}, {@code xfs}, {@code zfs},
 *     {@code fuse.zfs}, ...) or {@code unknown}
 * @param facts other detected facts worth showing an operator (file system version, record size,
 *     device write-cache mode, why a path was chosen); keys are lower camel case, never null
 */
public record IoCapabilities(
        int bufferAlignmentBytes,
        int offsetAlignmentBytes,
        boolean direct,
        int atomicWriteUnitBytes,
        boolean writeDurableOnReturn,
        boolean needsSyncAfterResize,
        boolean powersafeOverwrite,
        String fileSystemType,
        Map<String, String> facts) {

    public IoCapabilities {
        requirePowerOfTwo("bufferAlignmentBytes", bufferAlignmentBytes);
        requirePowerOfTwo("offsetAlignmentBytes", offsetAlignmentBytes);
        if (atomicWriteUnitBytes != 0) {
            requirePowerOfTwo("atomicWriteUnitBytes", atomicWriteUnitBytes);
        }
        Objects.requireNonNull(fileSystemType, "fileSystemType");
        facts = Map.copyOf(Objects.requireNonNull(facts, "facts"));
    }

    /**
     * The capabilities of plain page-cache I/O: no alignment, nothing atomic, nothing durable
     * until synced, size changes need a metadata sync.
     */
    public static IoCapabilities pageCache(String fileSystemType, Map<String, String> facts) {
        return new IoCapabilities(1, 1, false, 0, false, true, false, fileSystemType, facts);
    }

    /** Whether a transfer of {@code buffer.remaining()} bytes at {@code fileOffset} meets both alignments. */
    public boolean isAligned(long fileOffset, ByteBuffer buffer) {
        return MisalignedIoException.problem(this, fileOffset, buffer) == null;
    }

    /**
     * Throws {@link MisalignedIoException} naming the first violated rule when a transfer does not
     * meet this file's alignment; backends call it before a request reaches the kernel.
     */
    public void checkAligned(long fileOffset, ByteBuffer buffer) {
        String problem = MisalignedIoException.problem(this, fileOffset, buffer);
        if (problem != null) {
            throw new MisalignedIoException(problem);
        }
    }

    /** This record with {@code facts} replaced. */
    public IoCapabilities withFacts(Map<String, String> newFacts) {
        return new IoCapabilities(bufferAlignmentBytes, offsetAlignmentBytes, direct, atomicWriteUnitBytes,
                writeDurableOnReturn, needsSyncAfterResize, powersafeOverwrite, fileSystemType, newFacts);
    }

    private static void requirePowerOfTwo(String name, int value) {
        if (value <= 0 || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(name + " must be a positive power of two, was " + value);
        }
    }
}
