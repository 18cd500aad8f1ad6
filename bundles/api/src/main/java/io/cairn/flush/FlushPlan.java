package io.cairn.flush;

import java.util.Objects;

/**
 * A policy's answer for one round.
 *
 * <p>The engine carries a valid plan out oldest modification first; it rejects an invalid one
 * (negative counts, missing urgency) and uses the built-in safe policy for that round instead.
 * Whatever the plan says, the engine caps {@code flushListPages + lruPages} at its configured plan
 * limit and raises them when one of its hard limits requires it.
 *
 * @param flushListPages how many pages to write from the flush list (oldest modification first)
 * @param lruPages how many pages to free from the tail of the LRU list (writing them first if dirty)
 * @param lsnLimit write only flush-list pages whose oldest modification is below this LSN;
 *     {@link Long#MAX_VALUE} for no limit
 * @param urgency how pressing this round is
 * @param reason a short phrase shown in status explaining the plan, for example
 *     {@code "redo age 61% of capacity"}; never null
 */
public record FlushPlan(long flushListPages, long lruPages, long lsnLimit, FlushUrgency urgency, String reason) {

    public FlushPlan {
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(reason, "reason");
        if (flushListPages < 0 || lruPages < 0) {
            throw new IllegalArgumentException(
                    "page counts must be >= 0: flushListPages=" + flushListPages + ", lruPages=" + lruPages);
        }
        if (lsnLimit <= 0) {
            throw new IllegalArgumentException("lsnLimit must be > 0, was " + lsnLimit);
        }
    }

    /** A plan that writes nothing. */
    public static FlushPlan nothing(String reason) {
        return new FlushPlan(0, 0, Long.MAX_VALUE, FlushUrgency.IDLE, reason);
    }

    /** The number of pages this plan asks to write or free. */
    public long totalPages() {
        return flushListPages + lruPages;
    }
}
