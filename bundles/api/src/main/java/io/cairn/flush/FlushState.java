package io.cairn.flush;

import java.util.Objects;

/**
 * An immutable snapshot of everything a flush policy may base a round's plan on. Built by the
 * page cleaner at the start of each round; a policy must not keep state outside what this record
 * carries (the rates and averages here are the history it needs).
 *
 * <p>Counts are in pages, LSNs and redo sizes in bytes of redo, rates per second.
 *
 * @param roundNo the round's sequence number, from 1, increasing by one per round
 * @param sinceLastRoundMillis wall time since the previous round started (0 in the first round)
 * @param serverActive whether any mini-transaction committed since the previous round
 * @param poolPages frames in the buffer pool
 * @param dirtyPages pages on the flush list
 * @param freePages frames on the free list
 * @param lruPages pages on the LRU list (clean and dirty)
 * @param currentLsn the LSN up to which all committed changes are on the flush list
 * @param oldestModificationLsn the oldest modification LSN of any dirty page, or
 *     {@code currentLsn} when none is dirty
 * @param checkpointLsn the LSN of the latest checkpoint
 * @param redoCapacityBytes the redo capacity: how far the current LSN may run ahead of the checkpoint
 * @param asyncFlushAgeBytes redo age at which flushing must speed up (7/8 of capacity, as InnoDB)
 * @param syncFlushAgeBytes redo age at which the engine flushes synchronously (15/16 of capacity)
 * @param lsnRateBytesPerSecond redo generated per second over the last round
 * @param lsnAvgRateBytesPerSecond the smoothed redo rate (InnoDB's {@code lsn_avg_rate})
 * @param flushRatePagesPerSecond pages written per second over the last round
 * @param pageAvgRatePagesPerSecond the smoothed flush rate (InnoDB's {@code page_avg_rate})
 * @param ioCapacityPagesPerSecond the engine's configured normal I/O budget
 * @param ioCapacityMaxPagesPerSecond the engine's configured maximum I/O budget outside sync flushing
 * @param dirtyHistogram dirty pages by oldest modification LSN
 * @param timeBudgetNanos how long {@link FlushPolicy#plan(FlushState)} may take before the engine
 *     abandons its answer
 */
public record FlushState(
        long roundNo,
        long sinceLastRoundMillis,
        boolean serverActive,
        long poolPages,
        long dirtyPages,
        long freePages,
        long lruPages,
        long currentLsn,
        long oldestModificationLsn,
        long checkpointLsn,
        long redoCapacityBytes,
        long asyncFlushAgeBytes,
        long syncFlushAgeBytes,
        double lsnRateBytesPerSecond,
        double lsnAvgRateBytesPerSecond,
        double flushRatePagesPerSecond,
        double pageAvgRatePagesPerSecond,
        long ioCapacityPagesPerSecond,
        long ioCapacityMaxPagesPerSecond,
        DirtyPageHistogram dirtyHistogram,
        long timeBudgetNanos) {

    public FlushState {
        Objects.requireNonNull(dirtyHistogram, "dirtyHistogram");
        if (poolPages < 0 || dirtyPages < 0 || freePages < 0 || lruPages < 0) {
            throw new IllegalArgumentException("page counts must be >= 0");
        }
        if (oldestModificationLsn > currentLsn) {
            throw new IllegalArgumentException("oldestModificationLsn " + oldestModificationLsn
                    + " is ahead of currentLsn " + currentLsn);
        }
    }

    /** The redo age: how far the oldest unflushed change lies behind the current LSN, in bytes. */
    public long redoAgeBytes() {
        return currentLsn - oldestModificationLsn;
    }

    /**
     * The share of dirty pages as InnoDB computes it: {@code dirty * 100 / (1 + lru + free)},
     * a percentage from 0 to 100.
     */
    public double dirtyPct() {
        return dirtyPages * 100.0 / (1 + lruPages + freePages);
    }
}
