package io.cairn.io.zfs;

/** The I/O path the ZFS backend chose for a file. */
public enum IoPath {
    /**
     * {@code O_DIRECT} through the direct backend with its {@code O_DIRECT} flush method: every
     * sync is a real {@code fdatasync}/{@code fsync}, because on ZFS {@code O_DIRECT} does not imply
     * {@code O_SYNC} (block pointers reach the disk only at the next TXG sync).
     */
    DIRECT("direct(O_DIRECT)"),
    /** Page-cache I/O, every sync a full {@code fsync}. */
    BUFFERED_FSYNC("buffered(fsync)"),
    /** Page-cache I/O, data syncs with {@code fdatasync}: for redo appends. */
    BUFFERED_FDATASYNC("buffered(fdatasync)");

    private final String label;

    IoPath(String label) {
        this.label = label;
    }

    /** A short operator-facing name, as shown in facts and descriptions. */
    public String label() {
        return label;
    }

    /** Whether this is a page-cache path. */
    public boolean isBuffered() {
        return this != DIRECT;
    }
}
