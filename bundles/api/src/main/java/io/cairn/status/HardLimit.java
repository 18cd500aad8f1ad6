package io.cairn.status;

/** A limit the engine enforced over the flush policy's plan in the latest page cleaner round. */
public enum HardLimit {
    /** Free frames fell below the floor readers need; LRU flushing was raised. */
    FREE_FRAME_FLOOR,
    /** Redo age passed 15/16 of capacity; flushing ignored the I/O budget. */
    REDO_SYNC_FLUSH,
    /** The plan asked for more than the plan size cap; it was cut. */
    PLAN_SIZE_CAP,
    /** A waiter (checkpoint, shutdown, swap) needed a flush; it was served first. */
    URGENT_WAITER,
    /** The policy failed (threw, answered nonsense, or overran); the safe policy was used. */
    POLICY_REPLACED
}
