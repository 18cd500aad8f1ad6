package io.cairn.engine.core;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lower bounds of mini-transactions that are between appending their redo and putting their
 * pages on the flush list. A checkpoint must not pass them: in that window a change is in the log
 * but on no dirty page yet, so "the oldest dirty page" alone would let the checkpoint skip it.
 * (InnoDB tracks the same window with its "recent closed" buffer.)
 */
final class CommitTracker {

    private final ConcurrentSkipListMap<Long, AtomicInteger> inFlight = new ConcurrentSkipListMap<>();

    /** Registers a commit whose redo starts at or after {@code lowerBoundLsn}; returns the bound. */
    long enter(long lowerBoundLsn) {
        inFlight.compute(lowerBoundLsn, (lsn, count) -> {
            if (count == null) {
                return new AtomicInteger(1);
            }
            count.incrementAndGet();
            return count;
        });
        return lowerBoundLsn;
    }

    /** Ends the registration made by {@link #enter}. */
    void exit(long lowerBoundLsn) {
        inFlight.computeIfPresent(lowerBoundLsn, (lsn, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** The smallest registered bound, or {@link Long#MAX_VALUE} when no commit is in the window. */
    long oldestInFlight() {
        var first = inFlight.firstEntry();
        return first == null ? Long.MAX_VALUE : first.getKey();
    }
}
