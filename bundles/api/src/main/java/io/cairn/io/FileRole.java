package io.cairn.io;

/**
 * What the engine uses a file for. Backends may choose a different I/O path per role (for example
 * InnoDB's {@code O_DSYNC} opens only the redo log with {@code O_SYNC}); the engine configures a
 * backend per role, so a data file and a redo file may live on different backends.
 */
public enum FileRole {
    /** Tablespace files: page-sized random reads and writes, flushed by the page cleaner. */
    DATA,
    /** Redo log files: sequential appends in log-block units, synced at commit. */
    REDO,
    /** The doublewrite file: page batches written and synced before their in-place writes. */
    DOUBLEWRITE,
    /** Small control files (home lock, format marker): read and written whole, rarely. */
    CONTROL
}
