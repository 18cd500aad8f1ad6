package io.cairn.bufferpool.clock;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.PageWrite;
import io.cairn.config.InvalidSettingException;
import io.cairn.flush.DirtyPageHistogram;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A buffer pool with CLOCK (second chance) eviction. See the package documentation for the design
 * and what it leaves out; in short: off-heap frames in aligned chunks, instances chosen by space id
 * and extent, and per instance one lock over a page hash, a free list, a clock hand and a flush
 * list ordered by oldest modification. Each frame has a {@link java.util.concurrent.locks.StampedLock}
 * as its page latch and a fix count that keeps it from being evicted.
 *
 * <p>Latching rules for callers (as for every Cairn pool): a thread must not fix a page it already
 * holds exclusively; {@link #flushList}, {@link #evictTablespace} and {@link #resize} may wait for
 * page latches, so their callers hold none; {@link #flushLru} and the frame search inside
 * {@link #fix} only try latches, so they may run while the caller holds latches.
 *
 * <p>Sections: configuration; fix; frames for misses; flushing; dirty-page queries; tablespace
 * eviction; resize; stats and close.
 */
public final class ClockBufferPool implements BufferPool {

    /** The {@value io.cairn.bufferpool.BufferPoolProvider#NAME_PROPERTY} of this implementation. */
    public static final String NAME = "clock";

    static final int MAX_INSTANCES = 64;
    /** A chunk is one direct buffer, whose capacity is an int; 1 GiB leaves room for the alignment. */
    static final long MAX_CHUNK_BYTES = 1L << 30;
    /** Keeps an instance's frame array far from the int limit. */
    static final long MAX_FRAMES_PER_INSTANCE = 1L << 24;
    /** An extent of 64 pages maps to one instance. */
    static final int EXTENT_SHIFT = 6;
    static final int EXTENT_PAGES = 1 << EXTENT_SHIFT;
    /** Pages per call of {@link PageStore#writePages}: each call ends with a sync, so batching matters. */
    static final int WRITE_BATCH_PAGES = 64;

    private static final AtomicLong FRAME_SERIALS = new AtomicLong();

    private final PageStore store;
    private final int pageSizeBytes;
    private final int frameAlignmentBytes;
    private final long chunkSizeBytes;
    private final int framesPerChunk;
    private final int scanDepthAfterDirty;
    private final ClockInstance[] instances;
    /** Serializes resize and close. */
    private final Object resizeMonitor = new Object();
    private volatile boolean closed;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder pagesRead = new LongAdder();
    private final LongAdder pagesWritten = new LongAdder();

    // ============================================================================= configuration

    /**
     * Creates a pool and allocates its frames.
     *
     * @throws InvalidSettingException naming the field if {@code config} is unusable, or
     *     {@code sizeBytes} if the frames cannot be allocated
     */
    public ClockBufferPool(BufferPoolConfig config, PageStore store) {
        Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        int chunksPerInstance = validate(config);
        this.pageSizeBytes = config.pageSizeBytes();
        this.frameAlignmentBytes = config.frameAlignmentBytes();
        this.chunkSizeBytes = config.chunkSizeBytes();
        this.framesPerChunk = (int) (chunkSizeBytes / pageSizeBytes);
        this.scanDepthAfterDirty = config.lruScanDepth();
        this.instances = new ClockInstance[config.instances()];
        for (int i = 0; i < instances.length; i++) {
            instances[i] = new ClockInstance(i);
        }
        for (ClockInstance instance : instances) {
            grow(instance, chunksPerInstance, config.sizeBytes());
        }
    }

    /**
     * Checks a configuration. Fields CLOCK does not use (the LRU settings, read-ahead) are checked
     * against the same ranges as the LRU pool's, so that one configuration suits both and the
     * engine can switch between them.
     *
     * @return the number of chunks per instance it describes
     * @throws InvalidSettingException naming the first unusable field, its value and what is allowed
     */
    public static int validate(BufferPoolConfig config) {
        int pageBytes = config.pageSizeBytes();
        if (pageBytes < 4096 || pageBytes > 65536 || Integer.bitCount(pageBytes) != 1) {
            throw new InvalidSettingException("pageSizeBytes", pageBytes, "4096, 8192, 16384, 32768 or 65536");
        }
        int alignmentBytes = config.frameAlignmentBytes();
        if (alignmentBytes < 4096 || alignmentBytes > pageBytes || Integer.bitCount(alignmentBytes) != 1) {
            throw new InvalidSettingException("frameAlignmentBytes", alignmentBytes,
                    "a power of two from 4096 to the page size (" + pageBytes + ")");
        }
        long chunkBytes = config.chunkSizeBytes();
        if (chunkBytes < pageBytes || chunkBytes > MAX_CHUNK_BYTES || chunkBytes % pageBytes != 0) {
            throw new InvalidSettingException("chunkSizeBytes", chunkBytes,
                    "a multiple of the page size (" + pageBytes + ") up to " + MAX_CHUNK_BYTES);
        }
        InvalidSettingException.requireRange("instances", config.instances(), 1, MAX_INSTANCES);
        int chunks = chunksPerInstance(config.sizeBytes(), config.instances(), chunkBytes, pageBytes);
        InvalidSettingException.requireRange("oldBlocksPct", config.oldBlocksPct(), 5, 95);
        InvalidSettingException.requireRange("oldBlocksTimeMillis", config.oldBlocksTimeMillis(), 0, Integer.MAX_VALUE);
        InvalidSettingException.requireRange("lruScanDepth", config.lruScanDepth(), 1, Integer.MAX_VALUE);
        InvalidSettingException.requireRange("readAheadThreshold", config.readAheadThreshold(), 0, EXTENT_PAGES);
        return chunks;
    }

    private static int chunksPerInstance(long sizeBytes, int instanceCount, long chunkBytes, int pageBytes) {
        long minBytes = instanceCount * chunkBytes;
        long maxChunks = Math.max(1, MAX_FRAMES_PER_INSTANCE / (chunkBytes / pageBytes));
        long maxBytes = minBytes * maxChunks;
        if (sizeBytes < minBytes || sizeBytes / minBytes > maxChunks) {
            throw new InvalidSettingException("sizeBytes", sizeBytes, "from " + minBytes + " to " + maxBytes
                    + " (1 to " + maxChunks + " chunks of chunkSizeBytes per instance)");
        }
        return (int) (sizeBytes / minBytes);
    }

    @Override
    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    ClockInstance instanceFor(PageId pageId) {
        if (instances.length == 1) {
            return instances[0];
        }
        // Dropping the low 6 bits keeps an extent in one instance; the multiply spreads extents.
        long key = ((long) pageId.spaceId() << 40) ^ (pageId.pageNo() >>> EXTENT_SHIFT);
        long mixed = (key ^ (key >>> 29)) * 0xBF58476D1CE4E5B9L;
        return instances[(int) Long.remainderUnsigned(mixed ^ (mixed >>> 32), instances.length)];
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("cannot " + operation + ": the buffer pool is closed");
        }
    }

    // ======================================================================================= fix

    /**
     * {@inheritDoc}
     *
     * <p>A cached page is fixed under the instance lock (which also sets its reference bit) and
     * then latched without it. A missing page is put into the hash with its frame latched
     * exclusively before it is read, so concurrent fixes of it wait on the latch for that one read.
     * An optimistic handle holds no fix: if the page is evicted or changed meanwhile, the
     * exclusive latch taken for that moves the frame's stamp on and {@code validate()} fails.
     */
    @Override
    public PageHandle fix(PageId pageId, LatchMode latchMode, FixMode fixMode) throws IOException {
        Objects.requireNonNull(pageId, "pageId");
        Objects.requireNonNull(latchMode, "latchMode");
        Objects.requireNonNull(fixMode, "fixMode");
        if (fixMode == FixMode.CREATE && latchMode != LatchMode.EXCLUSIVE) {
            throw new IllegalArgumentException("FixMode.CREATE requires LatchMode.EXCLUSIVE, was " + latchMode);
        }
        checkOpen("fix " + pageId);
        ClockInstance instance = instanceFor(pageId);
        for (;;) {
            Frame f;
            boolean installed = false;
            long loadStamp = 0;
            instance.lock.lock();
            try {
                checkOpen("fix " + pageId);
                f = instance.lookupLocked(pageId);
                if (f != null) {
                    f.fixCount++;
                    f.referenced = true;
                } else {
                    if (fixMode == FixMode.IF_CACHED) {
                        return null;
                    }
                    f = obtainFrameLocked(instance);
                    if (instance.lookupLocked(pageId) != null) {
                        // Another thread put the page in while this one looked for a frame.
                        instance.returnUnusedLocked(f);
                        continue;
                    }
                    loadStamp = instance.installLocked(f, pageId, fixMode != FixMode.CREATE);
                    installed = true;
                }
            } finally {
                instance.lock.unlock();
            }
            if (installed) {
                return load(instance, f, pageId, loadStamp, latchMode, fixMode);
            }
            PageHandle handle = latchCached(instance, f, pageId, latchMode, fixMode);
            if (handle != null) {
                return handle;
            }
        }
    }

    /**
     * Reads (or for CREATE zeroes) a page just installed, holding its exclusive latch, then turns
     * that latch into the one asked for.
     *
     * @return the handle, or null for a background read the store skipped
     */
    private PageHandle load(ClockInstance instance, Frame f, PageId pageId, long stamp, LatchMode latchMode,
            FixMode fixMode) throws IOException {
        boolean reads = fixMode != FixMode.CREATE;
        boolean loaded = false;
        try {
            if (reads) {
                loaded = store.readPage(pageId, f.memory.duplicate(), fixMode == FixMode.BACKGROUND);
            } else {
                zero(f);
                loaded = true;
            }
        } finally {
            instance.lock.lock();
            try {
                instance.loadEndedLocked(reads);
                if (loaded) {
                    f.state = Frame.PAGE;
                } else {
                    // Threads waiting on the latch see the frame detached and look the page up again.
                    instance.detachLocked(f);
                }
            } finally {
                instance.lock.unlock();
            }
            if (!loaded) {
                f.latch.unlockWrite(stamp);
                releaseFix(instance, f);
            }
        }
        if (!loaded) {
            return null;
        }
        if (reads) {
            misses.increment();
            pagesRead.increment();
        }
        return switch (latchMode) {
            case EXCLUSIVE -> new ClockPageHandle(this, instance, f, pageId, latchMode, stamp);
            case SHARED -> new ClockPageHandle(this, instance, f, pageId, latchMode, f.latch.tryConvertToReadLock(stamp));
            case OPTIMISTIC -> {
                long observed = f.latch.tryConvertToOptimisticRead(stamp);
                releaseFix(instance, f);
                yield new ClockPageHandle(this, instance, f, pageId, latchMode, observed);
            }
        };
    }

    /**
     * Latches a frame that held the page when it was fixed.
     *
     * @return the handle, or null if the frame no longer holds the page (a failed read, a dropped
     *     tablespace): the caller looks the page up again
     */
    private PageHandle latchCached(ClockInstance instance, Frame f, PageId pageId, LatchMode latchMode,
            FixMode fixMode) {
        long stamp = switch (latchMode) {
            case SHARED -> f.latch.readLock();
            case EXCLUSIVE -> f.latch.writeLock();
            case OPTIMISTIC -> {
                long observed = f.latch.tryOptimisticRead();
                // A writer holds it: wait for it as a reader would, then keep only the observation.
                yield observed != 0 ? observed : f.latch.tryConvertToOptimisticRead(f.latch.readLock());
            }
        };
        boolean holds;
        instance.lock.lock();
        try {
            holds = f.state == Frame.PAGE && pageId.equals(f.pageId);
        } finally {
            instance.lock.unlock();
        }
        if (!holds) {
            unlatch(f, latchMode, stamp);
            releaseFix(instance, f);
            return null;
        }
        if (fixMode == FixMode.CREATE) {
            zero(f);
        }
        hits.increment();
        if (latchMode == LatchMode.OPTIMISTIC) {
            releaseFix(instance, f);
        }
        return new ClockPageHandle(this, instance, f, pageId, latchMode, stamp);
    }

    static void unlatch(Frame f, LatchMode latchMode, long stamp) {
        switch (latchMode) {
            case SHARED -> f.latch.unlockRead(stamp);
            case EXCLUSIVE -> f.latch.unlockWrite(stamp);
            case OPTIMISTIC -> { } // an observation holds nothing
        }
    }

    void releaseFix(ClockInstance instance, Frame f) {
        instance.lock.lock();
        try {
            instance.releaseFixLocked(f);
        } finally {
            instance.lock.unlock();
        }
    }

    void markModified(ClockInstance instance, Frame f, long startLsn, long endLsn) {
        instance.lock.lock();
        try {
            instance.markModifiedLocked(f, startLsn, endLsn);
        } finally {
            instance.lock.unlock();
        }
    }

    private static void zero(Frame f) {
        ByteBuffer target = f.memory.duplicate();
        while (target.remaining() >= Long.BYTES) {
            target.putLong(0L);
        }
        while (target.hasRemaining()) {
            target.put((byte) 0);
        }
    }

    // =========================================================================== frames for misses

    /**
     * Finds a frame for a missing page: the free list, else the hand's search (at most two turns),
     * else writing the dirty page the hand chose and then taking its frame, else waiting until a
     * fix is released or a write ends. REQUIRES the instance lock; it is released while a dirty
     * page is written and while waiting, and held again on return.
     *
     * @return a free frame on no list, the caller's
     * @throws InterruptedIOException if the thread is interrupted while it waits
     */
    private Frame obtainFrameLocked(ClockInstance instance) throws IOException {
        for (;;) {
            checkOpen("fix");
            Frame f = instance.pollFreeLocked();
            if (f != null) {
                return f;
            }
            Frame victim = instance.sweepForVictimLocked(scanDepthAfterDirty);
            if (victim != null && victim.state == Frame.FREE) {
                return victim;
            }
            if (victim != null && instance.beginWriteLocked(victim)) {
                instance.lock.unlock();
                boolean written;
                try {
                    // Only tried: this thread may hold other latches, and waiting here could deadlock.
                    written = writeIfUnlatched(instance, victim);
                } finally {
                    instance.lock.lock();
                }
                if (written) {
                    instance.freeAfterWriteLocked(victim);
                }
                continue;
            }
            try {
                // No timeout needed: the search and this wait happen under one hold of the lock,
                // and everything that could make the search succeed (a fix count reaching 0, a
                // write ending, a frame freed or added, close) signals under that lock.
                instance.changed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a free frame in buffer pool instance "
                        + instance.index);
            }
        }
    }

    // ================================================================================== flushing

    /** A page copied for writing and what finishing its write needs. */
    private record PageCopy(ClockInstance instance, Frame frame, PageWrite write) {
    }

    /**
     * Copies a page whose write began, under its shared latch, so that the write itself holds no
     * latch.
     *
     * @param waitForLatch whether to wait for the latch; if not and the latch is taken, returns null
     */
    private PageCopy copy(ClockInstance instance, Frame f, boolean waitForLatch) {
        long stamp = f.latch.tryReadLock();
        if (stamp == 0) {
            if (!waitForLatch) {
                return null;
            }
            stamp = f.latch.readLock();
        }
        try {
            ByteBuffer bytes = ByteBuffer.allocate(pageSizeBytes);
            bytes.put(f.memory.duplicate()).flip();
            PageId pageId;
            long newestLsn;
            instance.lock.lock();
            try {
                instance.copiedLocked(f);
                pageId = f.pageId;
                newestLsn = f.newestLsn;
            } finally {
                instance.lock.unlock();
            }
            return new PageCopy(instance, f, new PageWrite(pageId, bytes, newestLsn));
        } finally {
            f.latch.unlockRead(stamp);
        }
    }

    private void cancelWrite(ClockInstance instance, Frame f) {
        instance.lock.lock();
        try {
            instance.endWriteLocked(f, false);
        } finally {
            instance.lock.unlock();
        }
    }

    /**
     * Writes copied pages in one call of the store and ends their writes: written pages become
     * clean, and after a failure every page stays dirty.
     */
    private void writeCopies(List<PageCopy> copies) throws IOException {
        if (copies.isEmpty()) {
            return;
        }
        List<PageWrite> writes = new ArrayList<>(copies.size());
        for (PageCopy c : copies) {
            writes.add(c.write());
        }
        boolean written = false;
        try {
            store.writePages(writes);
            written = true;
            pagesWritten.add(copies.size());
        } finally {
            for (PageCopy c : copies) {
                c.instance().lock.lock();
                try {
                    c.instance().endWriteLocked(c.frame(), written);
                } finally {
                    c.instance().lock.unlock();
                }
            }
        }
    }

    /** Writes one page whose write began if its latch is free now; otherwise gives the write up. */
    private boolean writeIfUnlatched(ClockInstance instance, Frame f) throws IOException {
        PageCopy c = copy(instance, f, false);
        if (c == null) {
            cancelWrite(instance, f);
            return false;
        }
        writeCopies(List.of(c));
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Oldest first across all instances. A page is written at most once per call, so a page
     * changed again during its own write does not keep the call going; it stays dirty from that
     * change on.
     */
    @Override
    public long flushList(long maxPages, long lsnLimit) throws IOException {
        return flushList(Arrays.asList(instances), maxPages, lsnLimit);
    }

    /** {@inheritDoc} One partition per instance. */
    @Override
    public int flushPartitions() {
        return instances.length;
    }

    @Override
    public long flushList(int partition, long maxPages, long lsnLimit) throws IOException {
        return flushList(List.of(instances[checkedPartition(partition)]), maxPages, lsnLimit);
    }

    @Override
    public long flushLru(long maxPages) throws IOException {
        checkOpen("flushLru");
        long freed = 0;
        long share = maxPages <= 0 ? 0 : 1 + (maxPages - 1) / instances.length;
        for (ClockInstance instance : instances) {
            if (freed >= maxPages) {
                break;
            }
            freed += flushLru(instance, Math.min(share, maxPages - freed));
        }
        return freed;
    }

    @Override
    public long flushLru(int partition, long maxPages) throws IOException {
        checkOpen("flushLru");
        return flushLru(instances[checkedPartition(partition)], maxPages);
    }

    private int checkedPartition(int partition) {
        if (partition < 0 || partition >= instances.length) {
            throw new IllegalArgumentException("flush partition " + partition + " does not exist; allowed: 0 to "
                    + (instances.length - 1));
        }
        return partition;
    }

    private long flushList(List<ClockInstance> from, long maxPages, long lsnLimit) throws IOException {
        checkOpen("flushList");
        long written = 0;
        Set<Frame> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (written < maxPages) {
            int wanted = (int) Math.min(WRITE_BATCH_PAGES, maxPages - written);
            List<ClockInstance.DirtyPage> picked = new ArrayList<>();
            for (ClockInstance instance : from) {
                instance.lock.lock();
                try {
                    instance.oldestDirtyLocked(lsnLimit, wanted, seen, picked);
                } finally {
                    instance.lock.unlock();
                }
            }
            if (picked.isEmpty()) {
                break;
            }
            // The oldest across instances. A key may be stale by the time its write begins, which
            // only costs order, never correctness: beginning a write checks the page again.
            picked.sort(Comparator.comparingLong(ClockInstance.DirtyPage::oldestLsn)
                    .thenComparingLong(p -> p.frame().serial));
            List<PageCopy> batch = new ArrayList<>();
            for (ClockInstance.DirtyPage page : picked.subList(0, Math.min(wanted, picked.size()))) {
                Frame f = page.frame();
                ClockInstance instance = page.instance();
                seen.add(f);
                boolean begun;
                instance.lock.lock();
                try {
                    begun = f.oldestLsn < lsnLimit && instance.beginWriteLocked(f);
                } finally {
                    instance.lock.unlock();
                }
                if (!begun) {
                    continue;
                }
                PageCopy c = copy(instance, f, false);
                if (c == null) {
                    // Wait for this latch holding no other page back: write what was copied first.
                    try {
                        writeCopies(batch);
                    } catch (IOException | RuntimeException e) {
                        cancelWrite(instance, f);
                        throw e;
                    }
                    written += batch.size();
                    batch.clear();
                    c = copy(instance, f, true);
                }
                batch.add(c);
            }
            writeCopies(batch);
            written += batch.size();
        }
        return written;
    }

    private long flushLru(ClockInstance instance, long maxPages) throws IOException {
        if (maxPages <= 0) {
            return 0;
        }
        int wanted = (int) Math.min(maxPages, Integer.MAX_VALUE);
        List<Frame> dirty = new ArrayList<>();
        long freed;
        instance.lock.lock();
        try {
            freed = instance.sweepForFlushLocked(wanted, dirty);
        } finally {
            instance.lock.unlock();
        }
        List<PageCopy> copies = new ArrayList<>();
        for (Frame f : dirty) {
            PageCopy c = copy(instance, f, false); // the caller may hold latches: only try
            if (c == null) {
                cancelWrite(instance, f);
            } else {
                copies.add(c);
            }
        }
        for (int start = 0; start < copies.size(); start += WRITE_BATCH_PAGES) {
            List<PageCopy> batch = copies.subList(start, Math.min(copies.size(), start + WRITE_BATCH_PAGES));
            try {
                writeCopies(batch);
            } catch (IOException | RuntimeException e) {
                for (PageCopy unwritten : copies.subList(start + batch.size(), copies.size())) {
                    cancelWrite(instance, unwritten.frame());
                }
                throw e;
            }
        }
        instance.lock.lock();
        try {
            for (PageCopy c : copies) {
                if (instance.freeAfterWriteLocked(c.frame())) {
                    freed++;
                }
            }
        } finally {
            instance.lock.unlock();
        }
        return freed;
    }

    // ======================================================================== dirty-page queries

    @Override
    public long oldestModificationLsn() {
        long oldest = 0;
        for (ClockInstance instance : instances) {
            long lsn;
            instance.lock.lock();
            try {
                lsn = instance.oldestModificationLsnLocked();
            } finally {
                instance.lock.unlock();
            }
            if (lsn != 0 && (oldest == 0 || lsn < oldest)) {
                oldest = lsn;
            }
        }
        return oldest;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Bucket bounds are quantiles of the dirty pages' oldest LSNs, so each bucket holds about
     * the same number of pages, and each count is exact at its bound.
     */
    @Override
    public DirtyPageHistogram dirtyHistogram(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("a histogram needs at least 1 bucket, was " + buckets);
        }
        long[][] perInstance = new long[instances.length][];
        int total = 0;
        for (int i = 0; i < instances.length; i++) {
            instances[i].lock.lock();
            try {
                perInstance[i] = instances[i].dirtyLsnsLocked();
            } finally {
                instances[i].lock.unlock();
            }
            total += perInstance[i].length;
        }
        if (total == 0) {
            return DirtyPageHistogram.empty();
        }
        long[] lsns = new long[total];
        int at = 0;
        for (long[] part : perInstance) {
            System.arraycopy(part, 0, lsns, at, part.length);
            at += part.length;
        }
        Arrays.sort(lsns);
        int n = Math.min(buckets, total);
        long[] bounds = new long[n];
        long[] counts = new long[n];
        int used = 0;
        for (int b = 1; b <= n; b++) {
            int last = (int) (((long) b * total + n - 1) / n) - 1;
            long bound = lsns[last];
            while (last + 1 < total && lsns[last + 1] == bound) {
                last++; // a count must include every page at its bound
            }
            if (used > 0 && bounds[used - 1] == bound) {
                continue;
            }
            bounds[used] = bound;
            counts[used] = last + 1;
            used++;
        }
        return DirtyPageHistogram.of(Arrays.copyOf(bounds, used), Arrays.copyOf(counts, used));
    }

    // ====================================================================== tablespace eviction

    /**
     * {@inheritDoc}
     *
     * <p>Per instance, referenced pages before the others (see {@code ClockInstance}); the
     * instances interleaved one page at a time.
     */
    @Override
    public List<PageId> cachedPages(int maxPages) {
        checkOpen("cachedPages");
        return BufferPool.interleave(instances.length, i -> instances[i].cachedPages(maxPages), maxPages);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each page is fixed and latched exclusively, which waits for a read in progress (the
     * reader holds that latch) and for handles; a write in progress is waited for with the latch
     * released, because the writer may itself wait for the shared latch to copy the page. Pages
     * held only optimistically are dropped too; their validation fails. REQUIRES: the caller holds
     * no latch on a page of the tablespace, and the store refuses new reads of it.
     */
    @Override
    public void evictTablespace(int spaceId) {
        checkOpen("evictTablespace");
        for (ClockInstance instance : instances) {
            for (;;) {
                List<PageId> pages;
                instance.lock.lock();
                try {
                    pages = instance.pagesOfSpaceLocked(spaceId);
                } finally {
                    instance.lock.unlock();
                }
                if (pages.isEmpty()) {
                    break;
                }
                for (PageId pageId : pages) {
                    drop(instance, pageId);
                }
            }
        }
    }

    private void drop(ClockInstance instance, PageId pageId) {
        Frame f;
        instance.lock.lock();
        try {
            f = instance.lookupLocked(pageId);
            if (f == null) {
                return;
            }
            f.fixCount++;
        } finally {
            instance.lock.unlock();
        }
        try {
            for (;;) {
                long stamp = f.latch.writeLock();
                instance.lock.lock();
                try {
                    if (f.state != Frame.PAGE || !pageId.equals(f.pageId)) {
                        return; // its read failed meanwhile: already gone
                    }
                    if (!f.writing) {
                        instance.detachLocked(f);
                        return;
                    }
                } finally {
                    instance.lock.unlock();
                    f.latch.unlockWrite(stamp);
                }
                instance.lock.lock();
                try {
                    while (f.writing) {
                        instance.changed.awaitUninterruptibly(); // a write waits for nothing but the store
                    }
                } finally {
                    instance.lock.unlock();
                }
            }
        } finally {
            releaseFix(instance, f);
        }
    }

    // ==================================================================================== resize

    /**
     * {@inheritDoc}
     *
     * <p>Growing allocates whole chunks and puts their frames on the free list. Shrinking
     * withdraws the last chunks of each instance: their free frames leave the free list, clean
     * pages are evicted, dirty pages are written and then evicted, and fixed pages are waited for;
     * pages are not moved into the remaining frames (a later fix reads them again). A write error
     * cancels the shrink of that instance and is rethrown.
     */
    @Override
    public void resize(long sizeBytes) throws IOException {
        synchronized (resizeMonitor) {
            checkOpen("resize");
            int target = chunksPerInstance(sizeBytes, instances.length, chunkSizeBytes, pageSizeBytes);
            for (ClockInstance instance : instances) {
                int have;
                instance.lock.lock();
                try {
                    have = instance.chunkCountLocked();
                } finally {
                    instance.lock.unlock();
                }
                if (target > have) {
                    grow(instance, target - have, sizeBytes);
                } else if (target < have) {
                    shrink(instance, target);
                }
            }
        }
    }

    private void grow(ClockInstance instance, int addedChunks, long sizeBytes) {
        List<Frame> added = new ArrayList<>(addedChunks * framesPerChunk);
        try {
            for (int c = 0; c < addedChunks; c++) {
                // One allocation per chunk, sliced: alignedSlice gives the first frame its alignment,
                // and every later one inherits it because the page size is a multiple of it.
                ByteBuffer chunk = ByteBuffer.allocateDirect((int) chunkSizeBytes + frameAlignmentBytes)
                        .alignedSlice(frameAlignmentBytes);
                for (int slot = 0; slot < framesPerChunk; slot++) {
                    added.add(new Frame(FRAME_SERIALS.incrementAndGet(), chunk.slice(slot * pageSizeBytes, pageSizeBytes)));
                }
            }
        } catch (OutOfMemoryError e) {
            throw new InvalidSettingException("sizeBytes", sizeBytes, "what -XX:MaxDirectMemorySize leaves for frames",
                    "allocating the frames failed (" + e.getMessage() + ")");
        }
        instance.lock.lock();
        try {
            instance.addFramesLocked(added, addedChunks);
        } finally {
            instance.lock.unlock();
        }
    }

    private void shrink(ClockInstance instance, int keptChunks) throws IOException {
        int firstWithdrawn = keptChunks * framesPerChunk;
        instance.lock.lock();
        try {
            instance.withdrawFromLocked(firstWithdrawn);
        } finally {
            instance.lock.unlock();
        }
        boolean done = false;
        boolean interrupted = false;
        try {
            for (;;) {
                List<Frame> dirty = new ArrayList<>();
                instance.lock.lock();
                try {
                    for (int i = firstWithdrawn; i < instance.frameCountLocked(); i++) {
                        Frame f = instance.frameLocked(i);
                        if (!instance.evictCleanLocked(f) && dirty.size() < WRITE_BATCH_PAGES
                                && f.replaceableLocked() && instance.beginWriteLocked(f)) {
                            dirty.add(f);
                        }
                    }
                    if (dirty.isEmpty()) {
                        if (instance.withdrawnFramesEmptyLocked(firstWithdrawn)) {
                            instance.dropWithdrawnLocked(firstWithdrawn, keptChunks);
                            done = true;
                            return;
                        }
                        try {
                            // Fixed pages in withdrawn frames: wait for their fixes to go.
                            instance.changed.await();
                        } catch (InterruptedException e) {
                            interrupted = true; // a half-withdrawn instance must not be left behind
                        }
                        continue;
                    }
                } finally {
                    instance.lock.unlock();
                }
                List<PageCopy> copies = new ArrayList<>(dirty.size());
                for (Frame f : dirty) {
                    copies.add(copy(instance, f, true));
                }
                writeCopies(copies);
            }
        } finally {
            if (!done) {
                instance.lock.lock();
                try {
                    instance.cancelWithdrawLocked();
                } finally {
                    instance.lock.unlock();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ============================================================================= stats and close

    /**
     * {@inheritDoc}
     *
     * <p>{@code lruPages} counts the pages in the clock; {@code youngMoves} counts second chances
     * (the hand found a reference bit set and spared the page); CLOCK has no old sublist, so
     * {@code notYoungMoves} is always 0.
     */
    @Override
    public BufferPoolStats stats() {
        long sizeBytes = 0;
        long totalFrames = 0;
        long freeFrames = 0;
        long pages = 0;
        long dirtyPages = 0;
        long pendingReads = 0;
        long pendingWrites = 0;
        long secondChances = 0;
        for (ClockInstance instance : instances) {
            instance.lock.lock();
            try {
                sizeBytes += instance.chunkCountLocked() * chunkSizeBytes;
                totalFrames += instance.frameCountLocked();
                freeFrames += instance.freeFramesLocked();
                pages += instance.pagesLocked();
                dirtyPages += instance.dirtyPagesLocked();
                pendingReads += instance.pendingReadsLocked();
                pendingWrites += instance.pendingWritesLocked();
                secondChances += instance.secondChancesLocked();
            } finally {
                instance.lock.unlock();
            }
        }
        return new BufferPoolStats(sizeBytes, pageSizeBytes, instances.length, totalFrames, freeFrames, pages,
                dirtyPages, hits.sum(), misses.sum(), pagesRead.sum(), pagesWritten.sum(), secondChances, 0,
                pendingReads, pendingWrites);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Drops every frame; the memory goes when the garbage collector reclaims the direct buffers.
     * Threads waiting for a frame wake and fail.
     */
    @Override
    public void close() {
        synchronized (resizeMonitor) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (ClockInstance instance : instances) {
            instance.lock.lock();
            try {
                instance.clearLocked();
            } finally {
                instance.lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "ClockBufferPool[" + instances.length + " instances, " + pageSizeBytes + " B pages]";
    }

    // ============================================================================ for tests only

    /** Whether a page is in the pool, without touching its reference bit. */
    boolean isCached(PageId pageId) {
        ClockInstance instance = instanceFor(pageId);
        instance.lock.lock();
        try {
            return instance.lookupLocked(pageId) != null;
        } finally {
            instance.lock.unlock();
        }
    }

    /** The index of a page's frame in its instance, or -1. */
    int frameIndex(PageId pageId) {
        ClockInstance instance = instanceFor(pageId);
        instance.lock.lock();
        try {
            return instance.frameIndexLocked(pageId);
        } finally {
            instance.lock.unlock();
        }
    }

    /** The instance a page maps to. */
    int instanceIndex(PageId pageId) {
        return instanceFor(pageId).index;
    }

    /** Every broken invariant of every instance. */
    List<String> checkInvariants() {
        List<String> broken = new ArrayList<>();
        for (ClockInstance instance : instances) {
            instance.lock.lock();
            try {
                for (String b : instance.checkInvariantsLocked()) {
                    broken.add("instance " + instance.index + ": " + b);
                }
            } finally {
                instance.lock.unlock();
            }
        }
        return broken;
    }
}
