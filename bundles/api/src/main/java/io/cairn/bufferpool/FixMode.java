package io.cairn.bufferpool;

/** What {@link BufferPool#fix} does when the page is not in the pool. */
public enum FixMode {
    /** Read the page from its tablespace (the normal case). */
    READ,
    /**
     * Do not read: the page is being (re)initialised by the caller, so its frame starts zeroed.
     * Requires {@link LatchMode#EXCLUSIVE}.
     */
    CREATE,
    /** Do not read: return null when the page is not cached. */
    IF_CACHED,
    /**
     * Read on behalf of background work (read-ahead, merges). If the tablespace is being dropped
     * or no longer exists, return null quietly instead of failing: the work is simply not needed
     * any more (field report 3).
     */
    BACKGROUND
}
