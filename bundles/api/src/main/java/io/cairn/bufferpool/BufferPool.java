package io.cairn.bufferpool;

import io.cairn.flush.DirtyPageHistogram;
import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer pool: off-heap page frames with a page hash, free list, LRU list with midpoint insertion
 * and flush list per instance.
 *
 * <p>Thread safety: every method may be called from any thread. Latching rules: a thread latches
 * pages in {@link PageId} order and never waits for I/O while holding a latch it does not need.
 *
 * <p>Getting a frame for a missing page never spins unboundedly: free list first, then a bounded
 * scan of the LRU tail for a clean unfixed page, then writing one dirty page through the
 * {@link PageStore} (which holds the write-ahead rule), then waiting for the page cleaner with the
 * wait registered under its progress owner.
 */
@ProviderType
public interface BufferPool extends AutoCloseable {

    /** The page size in bytes. */
    int pageSizeBytes();

    /**
     * Fixes a page and latches it.
     *
     * @return the handle, or null for {@link FixMode#IF_CACHED} when the page is not cached and for
     *     {@link FixMode#BACKGROUND} when the read was skipped because the tablespace is going away
     * @throws io.cairn.engine.NoSuchTablespaceException if the tablespace does not exist (foreground)
     * @throws io.cairn.engine.CorruptPageException if the page read fails verification
     * @throws IOException if reading the page failed
     */
    PageHandle fix(PageId pageId, LatchMode latchMode, FixMode fixMode) throws IOException;

    /**
     * Writes up to {@code maxPages} dirty pages from the flush lists, oldest modification first,
     * whose oldest modification is below {@code lsnLimit}, and makes them clean.
     *
     * @return the number of pages written
     */
    long flushList(long maxPages, long lsnLimit) throws IOException;

    /**
     * Frees up to {@code maxPages} frames from the LRU tails, writing dirty ones first.
     *
     * @return the number of frames freed
     */
    long flushLru(long maxPages) throws IOException;

    /**
     * The capability behind {@link #flushList(int, long, long)} and {@link #flushLru(int, long)}:
     * into how many parts (instances) the pool's flush and LRU lists divide, so that that many
     * threads can flush at once without competing for the same pages. A pool that cannot divide
     * its lists answers 1, and its partition 0 is the whole pool.
     *
     * @since 1.1
     */
    default int flushPartitions() {
        return 1;
    }

    /**
     * {@link #flushList(long, long)} restricted to one partition's flush list: oldest modification
     * first within that partition. Calls for different partitions may run at the same time and
     * never write the same page.
     *
     * @param partition from 0 to {@link #flushPartitions()} - 1
     * @throws IllegalArgumentException if {@code partition} is outside that range
     * @since 1.1
     */
    default long flushList(int partition, long maxPages, long lsnLimit) throws IOException {
        checkPartition(partition);
        return flushList(maxPages, lsnLimit);
    }

    /**
     * {@link #flushLru(long)} restricted to one partition's LRU tail; calls for different
     * partitions may run at the same time.
     *
     * @param partition from 0 to {@link #flushPartitions()} - 1
     * @throws IllegalArgumentException if {@code partition} is outside that range
     * @since 1.1
     */
    default long flushLru(int partition, long maxPages) throws IOException {
        checkPartition(partition);
        return flushLru(maxPages);
    }

    /**
     * The capability behind a warm replacement: the pages this pool holds, the most recently used
     * first, at most {@code maxPages} of them. When the engine replaces this pool by another, it
     * calls this while nothing fixes, changes or writes a page (every mini-transaction held, the
     * page cleaner stopped, every dirty page written), then loads the listed pages into the new
     * pool from this pool's frames instead of from disk, so the new pool does not start cold.
     *
     * <p>A pool that cannot list its pages answers an empty list (the default); its successor then
     * starts cold, which is correct, only slower.
     *
     * @param maxPages at least 0
     * @throws IllegalArgumentException if {@code maxPages} is negative
     * @since 1.2
     */
    default List<PageId> cachedPages(int maxPages) {
        if (maxPages < 0) {
            throw new IllegalArgumentException("maxPages must be >= 0, was " + maxPages);
        }
        return List.of();
    }

    /**
     * For {@link #cachedPages} of a pool made of instances: asks each instance for its list (the
     * most recently used first, at most {@code maxPages}) and merges them by taking one page of
     * each list in turn, since a page's instance says nothing about how recently it was used.
     *
     * @param instanceList the list of instance {@code i}, for {@code i} from 0 to {@code instances - 1}
     * @throws IllegalArgumentException if {@code maxPages} is negative
     * @since 1.2
     */
    static List<PageId> interleave(int instances, java.util.function.IntFunction<List<PageId>> instanceList,
            int maxPages) {
        if (maxPages < 0) {
            throw new IllegalArgumentException("maxPages must be >= 0, was " + maxPages);
        }
        List<List<PageId>> perInstance = new java.util.ArrayList<>(instances);
        for (int i = 0; i < instances; i++) {
            perInstance.add(instanceList.apply(i));
        }
        List<PageId> pages = new java.util.ArrayList<>();
        for (int rank = 0; pages.size() < maxPages; rank++) {
            boolean any = false;
            for (List<PageId> list : perInstance) {
                if (rank < list.size() && pages.size() < maxPages) {
                    pages.add(list.get(rank));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return pages;
    }

    private void checkPartition(int partition) {
        if (partition < 0 || partition >= flushPartitions()) {
            throw new IllegalArgumentException("flush partition " + partition + " does not exist; allowed: 0 to "
                    + (flushPartitions() - 1));
        }
    }

    /** The smallest oldest-modification LSN of any dirty page, or 0 when no page is dirty. */
    long oldestModificationLsn();

    /**
     * Dirty pages by oldest modification LSN with at most {@code buckets} buckets, for the flush
     * policy's state.
     */
    DirtyPageHistogram dirtyHistogram(int buckets);

    /**
     * Removes every page of a tablespace from the pool without writing it (drop and truncate);
     * waits for pending I/O on those pages to finish first.
     */
    void evictTablespace(int spaceId);

    /**
     * Grows or shrinks the pool in whole chunks while running. Shrinking first moves or frees pages;
     * dirty pages are written first. Returns when the new size is in effect.
     *
     * @throws io.cairn.config.InvalidSettingException if the size is below one chunk per instance
     */
    void resize(long sizeBytes) throws IOException;

    /** Geometry and counters. */
    BufferPoolStats stats();

    /**
     * Releases the frames. REQUIRES: no page fixed, and no dirty page the caller still needs (the
     * engine flushes everything before closing). Idempotent.
     */
    @Override
    void close();
}
