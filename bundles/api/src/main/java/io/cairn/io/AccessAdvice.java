package io.cairn.io;

/**
 * A hint about a range of a file, as {@code posix_fadvise(2)} takes it. Advice never changes what a
 * read returns; a backend that cannot act on it ignores it.
 */
public enum AccessAdvice {
    /** No particular pattern. */
    NORMAL,
    /** Reads will be mostly sequential (read-ahead, redo scans during recovery). */
    SEQUENTIAL,
    /** Reads will be random; read-ahead by the OS would waste I/O. */
    RANDOM,
    /** The range will be needed soon. */
    WILL_NEED,
    /** The range will not be needed soon; cached copies may be dropped. */
    DONT_NEED
}
