package io.cairn.kv;

/** The order a {@link Cursor} visits keys in. */
public enum ScanDirection {
    /** Ascending unsigned lexicographic order. */
    FORWARD,
    /** Descending order. */
    BACKWARD
}
