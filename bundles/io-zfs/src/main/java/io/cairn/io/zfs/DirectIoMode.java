package io.cairn.io.zfs;

/** Whether the ZFS backend may use direct I/O at all. */
public enum DirectIoMode {
    /** Direct I/O where {@link ZfsIoPolicy} finds it safe and useful; buffered I/O elsewhere. */
    AUTO,
    /** Never direct I/O: every file uses buffered I/O (the operator's emergency switch). */
    OFF
}
