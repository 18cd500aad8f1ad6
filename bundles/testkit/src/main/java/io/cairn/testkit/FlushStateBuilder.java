package io.cairn.testkit;

import io.cairn.flush.DirtyPageHistogram;
import io.cairn.flush.FlushState;

/**
 * Builds {@link FlushState}s for policy tests: start from {@link #typical()} and change only what a
 * test is about.
 *
 * <pre>{@code
 * FlushState busy = FlushStateBuilder.typical().dirtyPages(6000).redoAgeBytes(80 << 20).build();
 * FlushState older = FlushStateBuilder.from(busy).currentLsn(busy.currentLsn() + (8 << 20)).build();
 * }</pre>
 *
 * <p>Three values follow the others unless set explicitly, so that a state stays consistent when
 * one field changes: {@code lruPages} is {@code poolPages - freePages}; the async and sync flush
 * ages are 7/8 and 15/16 of {@code redoCapacityBytes} (InnoDB's points); the dirty-page histogram
 * spreads {@code dirtyPages} evenly over the LSNs from the oldest modification to the current LSN
 * ({@link #uniformHistogram}). {@code checkpointLsn} defaults to the oldest modification.
 *
 * <p>{@link #currentLsn(long)} moves only the current LSN, so it changes the redo age;
 * {@link #redoAgeBytes(long)} places the oldest modification that far below the current LSN.
 * Not thread-safe; {@link #build()} may be called any number of times.
 */
public final class FlushStateBuilder {

    /** Buckets of the derived histogram, as many as the engine's page cleaner uses. */
    public static final int HISTOGRAM_BUCKETS = 16;

    private long roundNo = 2;
    private long sinceLastRoundMillis = 1000;
    private boolean serverActive = true;
    private long poolPages = 8192;
    private long dirtyPages = 1024;
    private long freePages = 1024;
    private Long lruPages;
    private long currentLsn = 1L << 32;
    private long oldestModificationLsn = currentLsn - (8L << 20);
    private Long checkpointLsn;
    private long redoCapacityBytes = 100L << 20;
    private Long asyncFlushAgeBytes;
    private Long syncFlushAgeBytes;
    private double lsnRateBytesPerSecond = 1 << 20;
    private double lsnAvgRateBytesPerSecond = 1 << 20;
    private double flushRatePagesPerSecond = 100;
    private double pageAvgRatePagesPerSecond = 100;
    private long ioCapacityPagesPerSecond = 200;
    private long ioCapacityMaxPagesPerSecond = 2000;
    private DirtyPageHistogram dirtyHistogram;
    private long timeBudgetNanos = 50_000_000;

    private FlushStateBuilder() {
    }

    /**
     * An active server in its second round, one second after the first: 8192 pool pages, 1024 free,
     * 1024 dirty; 100 MiB of redo capacity with the oldest dirty page 8 MiB behind the current LSN
     * (below InnoDB's 10% low water mark); 1 MiB/s of redo and 100 pages/s flushed, both averages
     * the same; I/O capacity 200 and 2000 pages/s (InnoDB's defaults); the engine's 50 ms time
     * budget.
     */
    public static FlushStateBuilder typical() {
        return new FlushStateBuilder();
    }

    /** A builder holding every value of {@code state} explicitly, the histogram included. */
    public static FlushStateBuilder from(FlushState state) {
        FlushStateBuilder b = new FlushStateBuilder();
        b.roundNo = state.roundNo();
        b.sinceLastRoundMillis = state.sinceLastRoundMillis();
        b.serverActive = state.serverActive();
        b.poolPages = state.poolPages();
        b.dirtyPages = state.dirtyPages();
        b.freePages = state.freePages();
        b.lruPages = state.lruPages();
        b.currentLsn = state.currentLsn();
        b.oldestModificationLsn = state.oldestModificationLsn();
        b.checkpointLsn = state.checkpointLsn();
        b.redoCapacityBytes = state.redoCapacityBytes();
        b.asyncFlushAgeBytes = state.asyncFlushAgeBytes();
        b.syncFlushAgeBytes = state.syncFlushAgeBytes();
        b.lsnRateBytesPerSecond = state.lsnRateBytesPerSecond();
        b.lsnAvgRateBytesPerSecond = state.lsnAvgRateBytesPerSecond();
        b.flushRatePagesPerSecond = state.flushRatePagesPerSecond();
        b.pageAvgRatePagesPerSecond = state.pageAvgRatePagesPerSecond();
        b.ioCapacityPagesPerSecond = state.ioCapacityPagesPerSecond();
        b.ioCapacityMaxPagesPerSecond = state.ioCapacityMaxPagesPerSecond();
        b.dirtyHistogram = state.dirtyHistogram();
        b.timeBudgetNanos = state.timeBudgetNanos();
        return b;
    }

    /** An independent builder with the same values (derived values stay derived). */
    public FlushStateBuilder copy() {
        FlushStateBuilder b = new FlushStateBuilder();
        b.roundNo = roundNo;
        b.sinceLastRoundMillis = sinceLastRoundMillis;
        b.serverActive = serverActive;
        b.poolPages = poolPages;
        b.dirtyPages = dirtyPages;
        b.freePages = freePages;
        b.lruPages = lruPages;
        b.currentLsn = currentLsn;
        b.oldestModificationLsn = oldestModificationLsn;
        b.checkpointLsn = checkpointLsn;
        b.redoCapacityBytes = redoCapacityBytes;
        b.asyncFlushAgeBytes = asyncFlushAgeBytes;
        b.syncFlushAgeBytes = syncFlushAgeBytes;
        b.lsnRateBytesPerSecond = lsnRateBytesPerSecond;
        b.lsnAvgRateBytesPerSecond = lsnAvgRateBytesPerSecond;
        b.flushRatePagesPerSecond = flushRatePagesPerSecond;
        b.pageAvgRatePagesPerSecond = pageAvgRatePagesPerSecond;
        b.ioCapacityPagesPerSecond = ioCapacityPagesPerSecond;
        b.ioCapacityMaxPagesPerSecond = ioCapacityMaxPagesPerSecond;
        b.dirtyHistogram = dirtyHistogram;
        b.timeBudgetNanos = timeBudgetNanos;
        return b;
    }

    public FlushStateBuilder roundNo(long roundNo) {
        this.roundNo = roundNo;
        return this;
    }

    public FlushStateBuilder sinceLastRoundMillis(long millis) {
        this.sinceLastRoundMillis = millis;
        return this;
    }

    /** Round 1: no previous round, so {@code sinceLastRoundMillis} 0 and an idle server, as the engine reports it. */
    public FlushStateBuilder firstRound() {
        this.roundNo = 1;
        this.sinceLastRoundMillis = 0;
        this.serverActive = false;
        return this;
    }

    public FlushStateBuilder serverActive(boolean active) {
        this.serverActive = active;
        return this;
    }

    public FlushStateBuilder poolPages(long pages) {
        this.poolPages = pages;
        return this;
    }

    public FlushStateBuilder dirtyPages(long pages) {
        this.dirtyPages = pages;
        return this;
    }

    public FlushStateBuilder freePages(long pages) {
        this.freePages = pages;
        return this;
    }

    /** Sets the LRU length explicitly instead of {@code poolPages - freePages}. */
    public FlushStateBuilder lruPages(long pages) {
        this.lruPages = pages;
        return this;
    }

    /** Moves only the current LSN (the oldest modification stays, so the redo age changes). */
    public FlushStateBuilder currentLsn(long lsn) {
        this.currentLsn = lsn;
        return this;
    }

    public FlushStateBuilder oldestModificationLsn(long lsn) {
        this.oldestModificationLsn = lsn;
        return this;
    }

    /** Places the oldest modification {@code bytes} below the current LSN. */
    public FlushStateBuilder redoAgeBytes(long bytes) {
        this.oldestModificationLsn = currentLsn - bytes;
        return this;
    }

    public FlushStateBuilder checkpointLsn(long lsn) {
        this.checkpointLsn = lsn;
        return this;
    }

    /** Sets the redo capacity; the async and sync flush ages follow it unless set explicitly. */
    public FlushStateBuilder redoCapacityBytes(long bytes) {
        this.redoCapacityBytes = bytes;
        return this;
    }

    public FlushStateBuilder asyncFlushAgeBytes(long bytes) {
        this.asyncFlushAgeBytes = bytes;
        return this;
    }

    public FlushStateBuilder syncFlushAgeBytes(long bytes) {
        this.syncFlushAgeBytes = bytes;
        return this;
    }

    public FlushStateBuilder lsnRateBytesPerSecond(double rate) {
        this.lsnRateBytesPerSecond = rate;
        return this;
    }

    public FlushStateBuilder lsnAvgRateBytesPerSecond(double rate) {
        this.lsnAvgRateBytesPerSecond = rate;
        return this;
    }

    public FlushStateBuilder flushRatePagesPerSecond(double rate) {
        this.flushRatePagesPerSecond = rate;
        return this;
    }

    public FlushStateBuilder pageAvgRatePagesPerSecond(double rate) {
        this.pageAvgRatePagesPerSecond = rate;
        return this;
    }

    /** Sets the redo rate of the last round and its average to the same value. */
    public FlushStateBuilder lsnRatesBytesPerSecond(double rate) {
        return lsnRateBytesPerSecond(rate).lsnAvgRateBytesPerSecond(rate);
    }

    /** Sets the flush rate of the last round and its average to the same value. */
    public FlushStateBuilder flushRatesPagesPerSecond(double rate) {
        return flushRatePagesPerSecond(rate).pageAvgRatePagesPerSecond(rate);
    }

    public FlushStateBuilder ioCapacityPagesPerSecond(long pages) {
        this.ioCapacityPagesPerSecond = pages;
        return this;
    }

    public FlushStateBuilder ioCapacityMaxPagesPerSecond(long pages) {
        this.ioCapacityMaxPagesPerSecond = pages;
        return this;
    }

    /** Sets the histogram explicitly instead of deriving it from the dirty pages and LSNs. */
    public FlushStateBuilder dirtyHistogram(DirtyPageHistogram histogram) {
        this.dirtyHistogram = histogram;
        return this;
    }

    /** Goes back to deriving the histogram ({@link #uniformHistogram}) at {@link #build()}. */
    public FlushStateBuilder derivedHistogram() {
        this.dirtyHistogram = null;
        return this;
    }

    public FlushStateBuilder timeBudgetNanos(long nanos) {
        this.timeBudgetNanos = nanos;
        return this;
    }

    /**
     * The state.
     *
     * @throws IllegalArgumentException where {@link FlushState} rejects the values (negative page
     *     counts, oldest modification ahead of the current LSN)
     */
    public FlushState build() {
        long lru = lruPages != null ? lruPages : Math.max(0, poolPages - freePages);
        long asyncAge = asyncFlushAgeBytes != null ? asyncFlushAgeBytes : redoCapacityBytes / 8 * 7;
        long syncAge = syncFlushAgeBytes != null ? syncFlushAgeBytes : redoCapacityBytes / 16 * 15;
        DirtyPageHistogram histogram = dirtyHistogram != null ? dirtyHistogram
                : uniformHistogram(oldestModificationLsn, currentLsn, dirtyPages, HISTOGRAM_BUCKETS);
        return new FlushState(roundNo, sinceLastRoundMillis, serverActive, poolPages, dirtyPages, freePages, lru,
                currentLsn, oldestModificationLsn, checkpointLsn != null ? checkpointLsn : oldestModificationLsn,
                redoCapacityBytes, asyncAge, syncAge, lsnRateBytesPerSecond, lsnAvgRateBytesPerSecond,
                flushRatePagesPerSecond, pageAvgRatePagesPerSecond, ioCapacityPagesPerSecond,
                ioCapacityMaxPagesPerSecond, histogram, timeBudgetNanos);
    }

    /**
     * {@code dirtyPages} spread evenly over the LSNs from {@code oldestLsn} to {@code currentLsn}
     * in at most {@code buckets} buckets, the last one at {@code currentLsn}; all pages at
     * {@code oldestLsn} when the two are equal; empty without dirty pages. Works for any
     * {@code oldestLsn <= currentLsn} and page count without overflowing.
     */
    public static DirtyPageHistogram uniformHistogram(long oldestLsn, long currentLsn, long dirtyPages, int buckets) {
        if (dirtyPages <= 0) {
            return DirtyPageHistogram.empty();
        }
        long span = currentLsn - oldestLsn;
        if (span < 0) {
            span = Long.MAX_VALUE; // oldest <= current: only an overflow gets here
        }
        if (span == 0 || buckets <= 1) {
            return DirtyPageHistogram.of(new long[] {currentLsn}, new long[] {dirtyPages});
        }
        int n = (int) Math.min(buckets, span);
        long step = span / n;
        long[] upToLsn = new long[n];
        long[] pages = new long[n];
        for (int i = 0; i < n; i++) {
            upToLsn[i] = i == n - 1 ? currentLsn : oldestLsn + step * (i + 1);
            pages[i] = dirtyPages / n * (i + 1) + dirtyPages % n * (i + 1) / n;
        }
        return DirtyPageHistogram.of(upToLsn, pages);
    }
}
