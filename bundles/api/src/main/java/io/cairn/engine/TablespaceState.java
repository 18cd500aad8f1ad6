package io.cairn.engine;

/**
 * A tablespace's lifecycle (field report 3). Transitions only go forward:
 * ACTIVE → STOPPING → DROPPED.
 */
public enum TablespaceState {
    /** Open for all operations. */
    ACTIVE,
    /**
     * Being dropped or truncated: new operations are refused, pending operations and pending I/O
     * are being waited for, and background work on it (read-ahead, flushing) is cancelled quietly.
     */
    STOPPING,
    /** Gone. User calls get {@link NoSuchTablespaceException}. */
    DROPPED
}
