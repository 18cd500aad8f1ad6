package io.cairn.io.direct;

/**
 * How the direct backend opens files and what its syncs do, named after InnoDB's
 * {@code innodb_flush_method} values (innodb.md section 4; field reports 2 and 4).
 */
public enum FlushMethod {
    /**
     * Files are opened {@code O_DIRECT}: data bypasses the page cache; every sync is a real
     * {@code fdatasync} or {@code fsync}. "Direct" is not "durable": the device may still cache.
     */
    O_DIRECT,
    /**
     * {@code O_DIRECT} without data syncs. Size changes (extending writes, allocate, truncate) are
     * still followed by {@code fsync} before they are reported done, because O_DIRECT moves data,
     * not the inode's size and block map (MySQL Bug #45892). Only safe when the device has no
     * volatile write cache, so the backend refuses it on a write-back device unless forced.
     */
    O_DIRECT_NO_FSYNC,
    /**
     * Files are opened {@code O_DIRECT | O_DSYNC}: every write is durable when it returns; a sync
     * is needed only after size changes, which the backend performs itself.
     */
    O_DSYNC;

    /** Whether data syncs must reach the device (false only for {@link #O_DIRECT_NO_FSYNC}). */
    public boolean syncsData() {
        return this == O_DIRECT;
    }
}
