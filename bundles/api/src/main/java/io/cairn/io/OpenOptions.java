package io.cairn.io;

import java.util.Objects;

/**
 * How to open a file.
 *
 * @param role what the engine uses the file for; backends may pick their I/O path from it
 * @param createMode whether the file may or must be created
 * @param readOnly open without write access; writes, size changes and syncs then fail with
 *     {@link java.nio.channels.NonWritableChannelException}
 * @param ioUnitBytes the size of the engine's usual transfer on this file (the page size for data
 *     files, the log block size for redo), or 0 when unknown; a backend may refuse an open whose
 *     unit is not a multiple of its alignment, with {@link MisalignedIoException}
 */
public record OpenOptions(FileRole role, CreateMode createMode, boolean readOnly, int ioUnitBytes) {

    public OpenOptions {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createMode, "createMode");
        if (ioUnitBytes < 0) {
            throw new IllegalArgumentException("ioUnitBytes must be >= 0, was " + ioUnitBytes);
        }
    }

    /** Read-write open of a file with the given role and transfer unit. */
    public static OpenOptions of(FileRole role, CreateMode createMode, int ioUnitBytes) {
        return new OpenOptions(role, createMode, false, ioUnitBytes);
    }

    /** This options object with {@link #readOnly()} set. */
    public OpenOptions asReadOnly() {
        return new OpenOptions(role, createMode, true, ioUnitBytes);
    }
}
