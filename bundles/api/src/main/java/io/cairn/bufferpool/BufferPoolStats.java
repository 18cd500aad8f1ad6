package io.cairn.bufferpool;

/**
 * A snapshot of a buffer pool's geometry and counters. Counters count since the pool was created.
 *
 * @param sizeBytes current frame memory
 * @param pageSizeBytes the page size
 * @param instances pool instances
 * @param totalFrames frames in all instances
 * @param freeFrames frames on the free lists
 * @param lruPages pages on the LRU lists
 * @param dirtyPages pages on the flush lists
 * @param hits fixes served from the pool
 * @param misses fixes that had to read
 * @param pagesRead pages read (misses plus read-ahead)
 * @param pagesWritten pages written by flushing and eviction
 * @param youngMoves pages moved to the young end of the LRU list
 * @param notYoungMoves accesses that left a page in the old sublist
 * @param pendingReads reads in progress
 * @param pendingWrites writes in progress
 */
public record BufferPoolStats(
        long sizeBytes,
        int pageSizeBytes,
        int instances,
        long totalFrames,
        long freeFrames,
        long lruPages,
        long dirtyPages,
        long hits,
        long misses,
        long pagesRead,
        long pagesWritten,
        long youngMoves,
        long notYoungMoves,
        long pendingReads,
        long pendingWrites) {

    /** Hits per fix as a ratio from 0 to 1; 1 when nothing was fixed yet. */
    public double hitRate() {
        long fixes = hits + misses;
        return fixes == 0 ? 1.0 : (double) hits / fixes;
    }

    /** The dirty share as a percentage of used and free frames (InnoDB's formula). */
    public double dirtyPct() {
        return dirtyPages * 100.0 / (1 + lruPages + freeFrames);
    }
}
