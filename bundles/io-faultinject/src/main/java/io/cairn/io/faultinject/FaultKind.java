package io.cairn.io.faultinject;

/** What an injected fault does. */
public enum FaultKind {
    /** The operation fails with {@code EIO} and does nothing. */
    EIO,
    /** The operation fails with {@code ENOSPC} and does nothing. */
    ENOSPC,
    /** A write transfers its first half (whole sectors), then fails with {@code EIO}. */
    SHORT_WRITE,
    /** A read succeeds but one random bit of the data read is flipped. */
    BIT_FLIP
}
