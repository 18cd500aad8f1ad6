package io.cairn.bufferpool.lru;

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
import io.cairn.status.WaitStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A buffer pool after InnoDB's design (innodb.md section 1): off-heap frames in chunks, several
 * instances, and per instance a page hash, a free list, an LRU list with midpoint insertion and a
 * flush list ordered by oldest modification. Plain Java; the DS component in {@code internal} only
 * adapts it to {@link io.cairn.bufferpool.BufferPoolProvider}, and embedded users construct it
 * directly.
 *
 * <p>Implementation notes:
 * <ol>
 *   <li>Metadata is kept in primitive arrays per chunk ({@link Chunk}); no object per frame.
 *   <li>A hit costs a lock-free page-hash lookup and one CAS on the frame's latch word
 *       ({@link Latch}); a release one more CAS. Pool locks are taken only on misses, on the first
 *       access of a read-ahead page and when a page is moved in the LRU list, which is rationed:
 *       an old page moves after {@code oldBlocksTimeMillis}, a young one only after it drifted
 *       past the first quarter of the young sublist.
 *   <li>A missing page is installed in the hash with its frame latched exclusively before it is
 *       read, so concurrent fixes wait for that one read.
 *   <li>A free frame comes from the free list, else from the clean unfixed pages among the last
 *       {@code lruScanDepth} pages of the LRU list, else by writing one dirty page (through the
 *       {@link PageStore}, which holds the write-ahead rule) and evicting it, else by waiting,
 *       registered in {@link #waits()}, until a fix is released or a write finishes.
 *   <li>Flushing copies a page under a shared latch and writes the copy without holding any latch
 *       ({@link FlushBatch}).
 *   <li>Threads: callers' threads do all work except linear read-ahead, which runs on one
 *       background thread per pool.
 * </ol>
 *
 * <p>Latching rules for callers: a thread must not fix a page it already holds exclusively (it
 * would wait for itself); {@link #flushList}, {@link #evictTablespace} and {@link #resize} may wait
 * for page latches, so their callers hold none; {@link #flushLru} and frame allocation inside
 * {@link #fix} only try latches and may be called while holding latches.
 *
 * <p>Section map: configuration; fix and release; free frames; flushing; dirty-page queries;
 * tablespace eviction; resize; read-ahead; stats and close.
 */
public final class LruBufferPool implements BufferPool {

    /** The {@value io.cairn.bufferpool.BufferPoolProvider#NAME_PROPERTY} of this implementation. */
    public static final String NAME = "lru";

    static final int NIL = -1;
    /** A frame number is {@code chunk << CHUNK_SHIFT | slot}. */
    static final int CHUNK_SHIFT = 20;
    static final int SLOT_MASK = (1 << CHUNK_SHIFT) - 1;
    static final int MAX_CHUNKS_PER_INSTANCE = 1 << (31 - CHUNK_SHIFT);
    static final long MAX_CHUNK_BYTES = 1L << 30;
    static final int MAX_INSTANCES = 64;
    static final int MAX_OLD_BLOCKS_TIME_MILLIS = 1 << 29;
    static final int EXTENT_SHIFT = 6;
    static final int EXTENT_PAGES = 1 << EXTENT_SHIFT;
    /** Pages per write to the page store. */
    static final int FLUSH_BATCH_PAGES = 64;

    private static final long WAIT_SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SPARE_FLUSH_BUFFERS = 4;
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    private static final long INSTALLED = 1L << 32;

    /** A dirty page chosen for writing; verified again under its latch before it is copied. */
    record DirtyPage(PoolInstance instance, int frame, int spaceId, long pageNo, long oldestLsn) {
    }

    private final PageStore store;
    final int pageSizeBytes;
    final int alignmentBytes;
    final long chunkSizeBytes;
    final int framesPerChunk;
    /** innodb_old_blocks_pct as a share of 1024, clamped to [51, 1024] as InnoDB does. */
    final int oldRatio;
    final int oldBlocksTimeMillis;
    final int lruScanDepth;
    final int readAheadThreshold;

    private final PoolInstance[] instances;
    private final Latch latch = new Latch();
    private final long epochNanos = System.nanoTime();
    private final ByteBuffer zeroPage;
    /** Reusable copy buffers for flush batches and for single pages; at most SPARE_FLUSH_BUFFERS each. */
    private final ConcurrentLinkedQueue<ByteBuffer> spareFlushBuffers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ByteBuffer> sparePageBuffers = new ConcurrentLinkedQueue<>();
    private final ReadAhead readAhead;
    private final WaitList waits = new WaitList();
    /** Serializes resize and close. */
    private final Object resizeMonitor = new Object();
    private volatile boolean closed;
    /** See {@link #drawBias()}: one in 16 eligible shared fixes sets reader bias. */
    static final int DEFAULT_BIAS_ONE_IN = 16;
    private volatile int biasOneIn = DEFAULT_BIAS_ONE_IN;

    /** Counted without a locked instruction: the hit path's only atomic is the latch CAS. */
    private final ThreadCounter hits = new ThreadCounter();
    private final LongAdder misses = new LongAdder();
    private final LongAdder pagesRead = new LongAdder();
    private final LongAdder pagesWritten = new LongAdder();
    private final LongAdder youngMoves = new LongAdder();
    private final LongAdder notYoungMoves = new LongAdder();
    private final LongAdder readAheadPages = new LongAdder();

    // ============================================================================= configuration

    /**
     * Creates a pool and allocates its frames.
     *
     * @throws InvalidSettingException naming the field if {@code config} is unusable, or
     *     {@code sizeBytes} if the frames cannot be allocated
     */
    public LruBufferPool(BufferPoolConfig config, PageStore store) {
        Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        int chunksPerInstance = validate(config);
        this.pageSizeBytes = config.pageSizeBytes();
        this.alignmentBytes = config.frameAlignmentBytes();
        this.chunkSizeBytes = config.chunkSizeBytes();
        this.framesPerChunk = (int) (chunkSizeBytes / pageSizeBytes);
        this.oldRatio = Math.max(51, Math.min(1024, config.oldBlocksPct() * 1024 / 100));
        this.oldBlocksTimeMillis = (int) config.oldBlocksTimeMillis();
        this.lruScanDepth = config.lruScanDepth();
        this.readAheadThreshold = config.readAheadThreshold();
        this.zeroPage = ByteBuffer.allocateDirect(pageSizeBytes).asReadOnlyBuffer();
        this.instances = new PoolInstance[config.instances()];
        for (int i = 0; i < instances.length; i++) {
            instances[i] = new PoolInstance(this, i, latch);
        }
        try {
            for (PoolInstance instance : instances) {
                grow(instance, chunksPerInstance);
            }
        } catch (OutOfMemoryError e) {
            throw new InvalidSettingException("sizeBytes", config.sizeBytes(), "what the process can allocate off the heap",
                    "allocating the frames failed (" + e.getMessage() + ")");
        }
        int poolId = POOL_IDS.incrementAndGet();
        this.readAhead = readAheadThreshold == 0 ? null : new ReadAhead(this, "cairn-bufferpool-" + poolId + "-read-ahead");
        if (readAhead != null) {
            readAhead.start();
        }
    }

    /**
     * Checks a configuration.
     *
     * @return the number of chunks per instance it describes
     * @throws InvalidSettingException naming the first unusable field, its value and the allowed range
     */
    public static int validate(BufferPoolConfig config) {
        int page = config.pageSizeBytes();
        if (page < 4096 || page > 65536 || Integer.bitCount(page) != 1) {
            throw new InvalidSettingException("pageSizeBytes", page, "4096, 8192, 16384, 32768 or 65536");
        }
        int alignment = config.frameAlignmentBytes();
        if (alignment < 4096 || alignment > page || Integer.bitCount(alignment) != 1) {
            throw new InvalidSettingException("frameAlignmentBytes", alignment,
                    "a power of two from 4096 to pageSizeBytes (" + page + ")");
        }
        long chunk = config.chunkSizeBytes();
        if (chunk < page || chunk > MAX_CHUNK_BYTES || chunk % page != 0) {
            throw new InvalidSettingException("chunkSizeBytes", chunk,
                    "a multiple of pageSizeBytes (" + page + ") from " + page + " to " + MAX_CHUNK_BYTES);
        }
        InvalidSettingException.requireRange("instances", config.instances(), 1, MAX_INSTANCES);
        int chunks = chunksPerInstance(config.sizeBytes(), config.instances(), chunk);
        InvalidSettingException.requireRange("oldBlocksPct", config.oldBlocksPct(), 5, 95);
        InvalidSettingException.requireRange("oldBlocksTimeMillis", config.oldBlocksTimeMillis(), 0,
                MAX_OLD_BLOCKS_TIME_MILLIS);
        InvalidSettingException.requireRange("lruScanDepth", config.lruScanDepth(), 1, Integer.MAX_VALUE);
        InvalidSettingException.requireRange("readAheadThreshold", config.readAheadThreshold(), 0, EXTENT_PAGES);
        return chunks;
    }

    private static int chunksPerInstance(long sizeBytes, int instances, long chunkSizeBytes) {
        long unit = instances * chunkSizeBytes;
        long max = unit * (MAX_CHUNKS_PER_INSTANCE + 1) - 1;
        if (sizeBytes < unit || sizeBytes > max) {
            throw new InvalidSettingException("sizeBytes", sizeBytes, "from " + unit + " to " + max
                    + " (1 to " + MAX_CHUNKS_PER_INSTANCE + " chunks of chunkSizeBytes per instance)");
        }
        return (int) (sizeBytes / unit);
    }

    @Override
    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    int nowMillis() {
        return (int) ((System.nanoTime() - epochNanos) / 1_000_000L);
    }

    PoolInstance instanceFor(int spaceId, long pageNo) {
        PoolInstance[] is = instances;
        if (is.length == 1) {
            return is[0];
        }
        // Page number without its low 6 bits: a whole extent maps to one instance.
        int h = PoolInstance.hash(spaceId, pageNo >>> EXTENT_SHIFT);
        return is[(int) (((h & 0xFFFF_FFFFL) * is.length) >>> 32)];
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("cannot " + operation + ": the buffer pool is closed");
        }
    }

    // ============================================================================ fix and release

    /**
     * {@inheritDoc}
     *
     * <p>The common cases, a shared or optimistic fix of a cached page nobody latched exclusively,
     * are kept small enough to be inlined into the caller: a lock-free lookup, then for SHARED one
     * CAS that takes fix and latch and an identity check, for OPTIMISTIC no atomic instruction at
     * all (a seqlock read: word, identity, word again). Everything else goes through
     * {@link #fixSlow}.
     *
     * <p>An optimistic handle holds no fix: the page may even be evicted while it is open, which
     * bumps the frame's sequence, so {@link PageHandle#validate()} fails and the caller fixes it
     * again; the handle keeps the chunk's memory reachable, so reading it stays safe.
     */
    @Override
    public PageHandle fix(PageId pageId, LatchMode latchMode, FixMode fixMode) throws IOException {
        if (latchMode != LatchMode.EXCLUSIVE && fixMode != null && fixMode != FixMode.CREATE && !closed) {
            int spaceId = pageId.spaceId();
            long pageNo = pageId.pageNo();
            PoolInstance instance = instanceFor(spaceId, pageNo);
            int frame = instance.lookup(spaceId, pageNo);
            Chunk c = frame == NIL ? null : instance.chunkOrNull(frame);
            if (c != null) {
                int slot = frame & SLOT_MASK;
                long w = Latch.word(c, slot);
                if ((w & Latch.EXCLUSIVE) == 0) {
                    if (latchMode == LatchMode.SHARED) {
                        if ((w & Latch.BIAS) != 0) {
                            LruPageHandle biased = fixBiased(instance, c, slot, frame, pageId);
                            if (biased != null) {
                                return biased;
                            }
                        } else if (Latch.fixCount(w) < Latch.FIX_MAX && Latch.sharedCount(w) < Latch.SHARED_MAX) {
                            long next = w + Latch.FIX_ONE + Latch.SHARED_ONE;
                            if (Latch.mayBias(w) && drawBias()) {
                                next |= Latch.BIAS; // no sequence bump: optimistic readers see no change
                            }
                            if (Latch.cas(c, slot, w, next)) {
                                if (c.holds(slot, spaceId, pageNo)) {
                                    hits.increment();
                                    onAccess(instance, c, slot, frame);
                                    return new LruPageHandle(this, instance, c, slot, frame, pageId, LatchMode.SHARED,
                                            Latch.sequence(next), LruPageHandle.NO_READER_SLOT);
                                }
                                undo(instance, c, slot, frame, LatchMode.SHARED);
                            }
                        }
                    } else if (latchMode == LatchMode.OPTIMISTIC && c.holds(slot, spaceId, pageNo)
                            && Latch.unchangedSince(c, slot, w)) {
                        hits.increment();
                        onAccess(instance, c, slot, frame);
                        return new LruPageHandle(this, instance, c, slot, frame, pageId, LatchMode.OPTIMISTIC,
                                Latch.sequence(w), LruPageHandle.NO_READER_SLOT);
                    }
                }
            }
        }
        return fixSlow(pageId, latchMode, fixMode);
    }

    /**
     * A shared fix of a page under reader bias: publish a reader slot, then check that the bias
     * still holds and the frame still holds the page. Touches no line other fixing threads write.
     *
     * @return the handle, or null (the caller takes the slow path)
     */
    private LruPageHandle fixBiased(PoolInstance instance, Chunk c, int slot, int frame, PageId pageId) {
        int index = instance.readers.tryPublish(frame);
        if (index < 0) {
            return null;
        }
        long w = Latch.word(c, slot);
        if ((w & Latch.BIAS) != 0 && c.holds(slot, pageId.spaceId(), pageId.pageNo())) {
            hits.increment();
            onAccess(instance, c, slot, frame);
            return new LruPageHandle(this, instance, c, slot, frame, pageId, LatchMode.SHARED, Latch.sequence(w), index);
        }
        releaseSlot(instance, c, slot, frame, index);
        return null;
    }

    /**
     * Whether a shared fix that could set reader bias does. A random one in {@link #biasOneIn}, so
     * that a page read again and again ends up biased soon while a page that is written between
     * reads (each write revokes the bias, which costs a scan of the reader slots) rarely is.
     */
    private boolean drawBias() {
        int oneIn = biasOneIn;
        return oneIn > 0 && ThreadLocalRandom.current().nextInt(oneIn) == 0;
    }

    /**
     * Sets how often a shared fix turns on reader bias: one in {@code oneIn} eligible fixes; 0
     * never (every shared fix counts itself in the latch word). For tests and experiments.
     */
    void setReaderBias(int oneIn) {
        if (oneIn < 0) {
            throw new IllegalArgumentException("reader bias is one in N shared fixes with N >= 0 (0: never), was " + oneIn);
        }
        biasOneIn = oneIn;
    }

    /** Releases a shared fix held through a reader slot. */
    void releaseSlot(PoolInstance instance, Chunk c, int slot, int frame, int readerSlot) {
        latch.releaseSlot(c, slot, frame, instance.readers, readerSlot);
        instance.fixReleased();
    }

    private PageHandle fixSlow(PageId pageId, LatchMode latchMode, FixMode fixMode) throws IOException {
        Objects.requireNonNull(pageId, "pageId");
        Objects.requireNonNull(latchMode, "latchMode");
        Objects.requireNonNull(fixMode, "fixMode");
        if (closed) {
            checkOpen("fix " + pageId);
        }
        if (fixMode == FixMode.CREATE && latchMode != LatchMode.EXCLUSIVE) {
            throw new IllegalArgumentException("FixMode.CREATE requires LatchMode.EXCLUSIVE, was " + latchMode);
        }
        int spaceId = pageId.spaceId();
        long pageNo = pageId.pageNo();
        if (pageNo > Chunk.MAX_PAGE_NO || spaceId < 0) {
            throw new IllegalArgumentException("cannot fix " + pageId + ": the pool holds space ids from 0 and page"
                    + " numbers up to " + Chunk.MAX_PAGE_NO);
        }
        PoolInstance instance = instanceFor(spaceId, pageNo);
        for (;;) {
            int frame = instance.lookup(spaceId, pageNo);
            if (frame == NIL) {
                long reserved = reserve(instance, spaceId, pageNo, fixMode);
                if (reserved == NIL) {
                    return null; // IF_CACHED and not cached
                }
                frame = (int) reserved;
                if ((reserved & INSTALLED) != 0) {
                    return load(instance, frame, pageId, latchMode, fixMode);
                }
            }
            LruPageHandle handle = fixCached(instance, frame, pageId, latchMode);
            if (handle != null) {
                if (fixMode == FixMode.CREATE) {
                    zero(instance.chunk(frame), frame & SLOT_MASK);
                }
                return handle;
            }
        }
    }

    /**
     * Fixes and latches a frame that a lookup found, if it still holds the page.
     *
     * @return the handle, or null if the frame no longer holds the page (look it up again)
     */
    private LruPageHandle fixCached(PoolInstance instance, int frame, PageId pageId, LatchMode mode) {
        Chunk c = instance.chunkOrNull(frame);
        if (c == null) {
            return null;
        }
        int slot = frame & SLOT_MASK;
        if (mode == LatchMode.OPTIMISTIC) {
            // No fix: wait until no writer holds the frame, then read identity between two reads of the word.
            long stamp = latch.await(c, slot, frame, instance.readers, pageId.spaceId(), pageId.pageNo(), mode);
            if (stamp == Latch.MISMATCH || !Latch.unchangedSince(c, slot, stamp)) {
                return null;
            }
            hits.increment();
            onAccess(instance, c, slot, frame);
            return new LruPageHandle(this, instance, c, slot, frame, pageId, mode, stamp, LruPageHandle.NO_READER_SLOT);
        }
        long w = Latch.word(c, slot);
        boolean latched;
        for (;;) {
            Latch.checkFixRoom(w, c, slot);
            long next;
            if (Latch.exclusive(w)) {
                next = w + Latch.FIX_ONE; // a writer, a read in progress, or a free frame: wait or retry
                latched = false;
            } else if (mode == LatchMode.SHARED && Latch.sharedCount(w) < Latch.SHARED_MAX) {
                next = w + Latch.FIX_ONE + Latch.SHARED_ONE;
                latched = true;
            } else if (mode == LatchMode.EXCLUSIVE && Latch.sharedCount(w) == 0
                    && (w & (Latch.BIAS | Latch.REVOKING)) == 0) {
                next = (w + Latch.FIX_ONE) | Latch.EXCLUSIVE;
                latched = true;
            } else {
                next = w + Latch.FIX_ONE;
                latched = false;
            }
            long witness = Latch.exchange(c, slot, w, next);
            if (witness == w) {
                break;
            }
            w = witness;
        }
        long stamp = Latch.sequence(w);
        if (!c.holds(slot, pageId.spaceId(), pageId.pageNo())) {
            if (latched) {
                undo(instance, c, slot, frame, mode);
            } else {
                releaseFixOnly(instance, c, slot);
            }
            return null;
        }
        if (!latched) {
            stamp = latch.await(c, slot, frame, instance.readers, pageId.spaceId(), pageId.pageNo(), mode);
            if (stamp == Latch.MISMATCH) {
                releaseFixOnly(instance, c, slot);
                return null;
            }
        }
        hits.increment();
        onAccess(instance, c, slot, frame);
        return new LruPageHandle(this, instance, c, slot, frame, pageId, mode, stamp, LruPageHandle.NO_READER_SLOT);
    }

    /** Gives up a fix and latch taken on a frame that turned out to hold another page. */
    private void undo(PoolInstance instance, Chunk c, int slot, int frame, LatchMode mode) {
        long after = mode == LatchMode.SHARED ? latch.releaseShared(c, slot, frame)
                : latch.releaseExclusive(c, slot, frame, false);
        if (Latch.fixCount(after) == 0) {
            instance.fixReleased();
        }
    }

    private static void releaseFixOnly(PoolInstance instance, Chunk c, int slot) {
        if (Latch.fixCount(Latch.releaseFix(c, slot)) == 0) {
            instance.fixReleased();
        }
    }

    /** Releases a handle's latch and fix (the handle's close); an optimistic handle holds neither. */
    void release(PoolInstance instance, Chunk c, int slot, int frame, LatchMode mode) {
        long after;
        if (mode == LatchMode.SHARED) {
            after = latch.releaseShared(c, slot, frame);
        } else if (mode == LatchMode.EXCLUSIVE) {
            after = latch.releaseExclusive(c, slot, frame, true);
        } else {
            return;
        }
        if (Latch.fixCount(after) == 0) {
            instance.fixReleased();
        }
    }

    /**
     * The LRU side of an access (InnoDB buf_page_make_young_if_needed): nothing moves before the
     * instance evicted anything; an old page moves to the head when its first access is at least
     * {@code oldBlocksTimeMillis} ago (with 0: on any access after the first); a young page only
     * once it drifted past the first quarter of the young sublist, measured in evictions.
     */
    private void onAccess(PoolInstance instance, Chunk c, int slot, int frame) {
        if ((c.flags[slot] & Chunk.ACCESSED) == 0 || instance.freedClock != 0) {
            onAccessSlow(instance, c, slot, frame);
        }
    }

    private void onAccessSlow(PoolInstance instance, Chunk c, int slot, int frame) {
        int fl = c.flags[slot];
        if ((fl & Chunk.ACCESSED) == 0) {
            instance.firstAccess(frame);
            return;
        }
        int clock = instance.freedClock;
        if (clock == 0) {
            return;
        }
        int stamp = c.ints[slot * Chunk.INTS + Chunk.I_STAMP];
        if ((fl & Chunk.OLD) != 0) {
            if (oldBlocksTimeMillis == 0 || nowMillis() - stamp >= oldBlocksTimeMillis) {
                if (instance.makeYoung(frame)) {
                    youngMoves.increment();
                }
            } else {
                notYoungMoves.increment();
            }
        } else if (clock - stamp >= instance.youngQuarter) {
            if (instance.makeYoung(frame)) {
                youngMoves.increment();
            }
        }
    }

    /**
     * The miss path under the instance lock: finds the page (someone else installed it), or
     * installs it in a free frame, exclusively latched with one fix for this thread.
     *
     * @return NIL if not cached and {@code fixMode} is IF_CACHED; a frame found; or a frame
     *     installed by this call, marked with {@link #INSTALLED}
     */
    private long reserve(PoolInstance instance, int spaceId, long pageNo, FixMode fixMode) throws IOException {
        int spare = NIL;
        for (;;) {
            instance.lock.lock();
            try {
                int found = instance.lookupLocked(spaceId, pageNo);
                if (found != NIL) {
                    if (spare != NIL) {
                        instance.pushFreeLocked(spare);
                    }
                    return found;
                }
                if (fixMode == FixMode.IF_CACHED) {
                    return NIL;
                }
                int frame = spare != NIL ? spare : instance.popFreeLocked();
                if (frame != NIL) {
                    instance.installLocked(frame, spaceId, pageNo, fixMode == FixMode.CREATE ? Chunk.PAGE : Chunk.READING);
                    return frame | INSTALLED;
                }
            } finally {
                instance.lock.unlock();
            }
            spare = obtainFreeFrame(instance);
        }
    }

    /** Reads (or zeroes) a page this thread installed, then turns its latch into the requested one. */
    private PageHandle load(PoolInstance instance, int frame, PageId pageId, LatchMode latchMode, FixMode fixMode)
            throws IOException {
        Chunk c = instance.chunk(frame);
        int slot = frame & SLOT_MASK;
        if (fixMode == FixMode.CREATE) {
            zero(c, slot);
            instance.completeCreate(frame);
            return new LruPageHandle(this, instance, c, slot, frame, pageId, LatchMode.EXCLUSIVE, 0,
                    LruPageHandle.NO_READER_SLOT);
        }
        boolean background = fixMode == FixMode.BACKGROUND;
        misses.increment();
        boolean read;
        try {
            read = store.readPage(pageId, c.writableView(slot), background);
        } catch (IOException | RuntimeException | Error e) {
            instance.abandonRead(frame);
            throw e;
        }
        if (!read) {
            instance.abandonRead(frame);
            if (background) {
                return null; // the tablespace is going away: quietly not needed (field report 3)
            }
            throw new IOException("the page store skipped a foreground read of " + pageId
                    + "; only background reads may be skipped");
        }
        instance.completeRead(frame, true);
        pagesRead.increment();
        long stamp = 0;
        if (latchMode != LatchMode.EXCLUSIVE) {
            long after = latch.downgrade(c, slot, frame, latchMode);
            stamp = Latch.sequence(after);
            if (Latch.fixCount(after) == 0) {
                instance.fixReleased();
            }
        }
        return new LruPageHandle(this, instance, c, slot, frame, pageId, latchMode, stamp, LruPageHandle.NO_READER_SLOT);
    }

    private void zero(Chunk c, int slot) {
        c.memory.put(slot * pageSizeBytes, zeroPage, 0, pageSizeBytes);
    }

    /** A handle's markModified: REQUIRES the exclusive latch. */
    void markModified(PoolInstance instance, Chunk c, int slot, int frame, long startLsn, long endLsn) {
        if (startLsn <= 0 || endLsn < startLsn) {
            throw new IllegalArgumentException("LSNs must satisfy 0 < startLsn <= endLsn, were " + startLsn + " and "
                    + endLsn);
        }
        int base = slot * Chunk.LONGS;
        if (endLsn > c.longs[base + Chunk.L_NEWEST]) {
            c.longs[base + Chunk.L_NEWEST] = endLsn;
        }
        if (c.longs[base + Chunk.L_OLDEST] == 0) {
            instance.addDirty(frame, startLsn);
        }
    }

    // ================================================================================ free frames

    /**
     * Gets a free frame for a miss (InnoDB buf_LRU_get_free_block): free list, then clean unfixed
     * pages in the LRU tail ({@code lruScanDepth} on the first attempt, the whole list after), then
     * a single-page flush of the first dirty unfixed page in the tail, then a registered wait until
     * a fix is released, a write finishes or the pool grows. Never spins: every retry follows a
     * write or a signal (or a one-second timeout that only re-checks and reports).
     *
     * @return a frame off every list, exclusively latched by the pool
     */
    private int obtainFreeFrame(PoolInstance instance) throws IOException {
        boolean registered = false;
        WaitList.Entry wait = null;
        try {
            for (int attempt = 0;; attempt++) {
                int depth = attempt == 0 ? lruScanDepth : Integer.MAX_VALUE;
                DirtyPage victim;
                instance.lock.lock();
                try {
                    int frame = instance.takeFreeLocked(depth);
                    if (frame != NIL) {
                        return frame;
                    }
                    victim = instance.dirtyVictimLocked(depth);
                    if (victim == null) {
                        if (!registered) {
                            // Register before the next scan: a release after that scan sees us.
                            registered = true;
                            instance.frameWaiters.incrementAndGet();
                            wait = waits.begin("a free frame in buffer pool instance " + instance.index + " ("
                                    + instance.totalFrames + " frames, every one fixed or being written)",
                                    "threads holding page fixes in that instance; this thread writes dirty pages itself");
                            continue;
                        }
                        instance.changed.awaitNanos(WAIT_SLICE_NANOS);
                        wait.reportIfLong();
                        continue;
                    }
                } finally {
                    instance.lock.unlock();
                }
                // Single-page flush: write it, and if nobody fixed it meanwhile it becomes free.
                writeDirty(List.of(victim), Long.MAX_VALUE, false, true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free frame in buffer pool instance "
                    + instance.index);
        } finally {
            if (registered) {
                instance.frameWaiters.decrementAndGet();
            }
            if (wait != null) {
                wait.close();
            }
        }
    }

    // =================================================================================== flushing

    @Override
    public long flushList(long maxPages, long lsnLimit) throws IOException {
        checkOpen("flushList");
        return flushList(instances, maxPages, lsnLimit);
    }

    /** One partition per instance: an instance's lists are guarded by its own locks. */
    @Override
    public int flushPartitions() {
        return instances.length;
    }

    @Override
    public long flushList(int partition, long maxPages, long lsnLimit) throws IOException {
        checkOpen("flushList");
        return flushList(new PoolInstance[] {partitionInstance(partition)}, maxPages, lsnLimit);
    }

    @Override
    public long flushLru(int partition, long maxPages) throws IOException {
        checkOpen("flushLru");
        return flushLru(partitionInstance(partition), maxPages);
    }

    private PoolInstance partitionInstance(int partition) {
        if (partition < 0 || partition >= instances.length) {
            throw new IllegalArgumentException("flush partition " + partition + " does not exist; allowed: 0 to "
                    + (instances.length - 1));
        }
        return instances[partition];
    }

    /** Oldest modification first across {@code from}, in batches. */
    private long flushList(PoolInstance[] from, long maxPages, long lsnLimit) throws IOException {
        long written = 0;
        List<DirtyPage> candidates = new ArrayList<>();
        // A page changed while its copy was written stays dirty (with its old oldest LSN) and would
        // come first again: each call tries a page once.
        Set<Long> tried = new HashSet<>();
        while (written < maxPages) {
            int want = (int) Math.min(FLUSH_BATCH_PAGES, maxPages - written);
            candidates.clear();
            for (PoolInstance instance : from) {
                instance.gatherFlushCandidates(want, lsnLimit, tried, candidates);
            }
            if (candidates.isEmpty()) {
                break;
            }
            candidates.sort(Comparator.comparingLong(DirtyPage::oldestLsn));
            List<DirtyPage> batch = candidates.size() > want ? candidates.subList(0, want) : candidates;
            for (DirtyPage page : batch) {
                tried.add(page.instance().key(page.frame()));
            }
            written += writeDirty(batch, lsnLimit, true, false, null);
        }
        return written;
    }

    @Override
    public long flushLru(long maxPages) throws IOException {
        checkOpen("flushLru");
        long freed = 0;
        for (int i = 0; i < instances.length && freed < maxPages; i++) {
            long quota = (maxPages - freed + instances.length - i - 1) / (instances.length - i);
            freed += flushLru(instances[i], quota);
        }
        return freed;
    }

    /** Frees up to {@code quota} frames from one instance's LRU tail, writing dirty ones first. */
    private long flushLru(PoolInstance instance, long quota) throws IOException {
        List<DirtyPage> dirty = new ArrayList<>();
        long freedHere = 0;
        instance.lock.lock();
        try {
            int scanned = 0;
            for (int f = instance.lruTail; f != NIL && scanned < lruScanDepth && freedHere + dirty.size() < quota;
                    scanned++) {
                int prev = instance.lruPrevLocked(f);
                if (instance.evictIfReplaceableLocked(f)) {
                    freedHere++;
                } else {
                    DirtyPage page = instance.dirtyCandidateLocked(f);
                    if (page != null) {
                        dirty.add(page);
                    }
                }
                f = prev;
            }
        } finally {
            instance.lock.unlock();
        }
        long[] freedByWrites = {0};
        writeDirty(dirty, Long.MAX_VALUE, false, true, freedByWrites);
        return freedHere + freedByWrites[0];
    }

    /**
     * Writes the given dirty pages in batches: each is latched shared, re-checked, claimed, copied
     * and released; then the batch goes to the page store.
     *
     * @param lsnLimit only pages whose oldest modification is below it are written
     * @param blocking wait for latches (flush-list flushing, whose caller holds none); before
     *     waiting, the pages collected so far are written, so no claim is held while blocked
     * @param evict free the frames of written pages that nobody fixed meanwhile
     * @param freed incremented by the frames freed; may be null
     * @return pages written
     */
    long writeDirty(List<DirtyPage> pages, long lsnLimit, boolean blocking, boolean evict, long[] freed)
            throws IOException {
        if (pages.isEmpty()) {
            return 0;
        }
        long written = 0;
        try (FlushBatch batch = new FlushBatch(this, takeFlushBuffer(pages.size() == 1), pageSizeBytes)) {
            for (DirtyPage page : pages) {
                PoolInstance instance = page.instance();
                int frame = page.frame();
                Chunk c = instance.chunkOrNull(frame);
                if (c == null) {
                    continue;
                }
                int slot = frame & SLOT_MASK;
                long w = Latch.tryFixShared(c, slot, -1);
                if (w == Latch.MISMATCH) {
                    if (!blocking) {
                        continue;
                    }
                    written += batch.write(evict, freed);
                    Latch.addFix(c, slot);
                    if (latch.await(c, slot, frame, instance.readers, page.spaceId(), page.pageNo(), LatchMode.SHARED)
                            == Latch.MISMATCH) {
                        releaseFixOnly(instance, c, slot);
                        continue;
                    }
                    w = Latch.word(c, slot);
                }
                try {
                    if (!c.holds(slot, page.spaceId(), page.pageNo())) {
                        continue;
                    }
                    long oldest = c.oldest(slot);
                    if (oldest == 0 || oldest >= lsnLimit) {
                        continue;
                    }
                    boolean claimed;
                    instance.lock.lock();
                    try {
                        claimed = instance.claimWriteLocked(frame);
                    } finally {
                        instance.lock.unlock();
                    }
                    if (claimed) {
                        batch.add(instance, c, slot, frame, Latch.sequence(w));
                    }
                } finally {
                    release(instance, c, slot, frame, LatchMode.SHARED);
                }
                if (batch.isFull()) {
                    written += batch.write(evict, freed);
                }
            }
            written += batch.write(evict, freed);
        }
        return written;
    }

    void writeToStore(List<PageWrite> batch) throws IOException {
        store.writePages(batch);
        pagesWritten.add(batch.size());
    }

    /**
     * After a page's copy was written: evicts it (if asked and nobody fixed it meanwhile) or marks
     * it clean, in both cases only if no exclusive latch was taken since the copy.
     *
     * @return true if the frame was freed
     */
    boolean finishWrite(PoolInstance instance, Chunk c, int frame, PageId pageId, long sequence, boolean evict) {
        int slot = frame & SLOT_MASK;
        if (evict) {
            if (latch.tryLatchForEviction(c, slot, frame, instance.readers, sequence)) {
                instance.lock.lock();
                try {
                    if (c.holds(slot, pageId.spaceId(), pageId.pageNo()) && c.state(slot) == Chunk.PAGE
                            && (c.flags[slot] & Chunk.WRITING) == 0) {
                        instance.removeDirty(frame);
                        instance.detachLocked(frame, false);
                        instance.freedClock++;
                        instance.pushFreeLocked(frame);
                        return true;
                    }
                    latch.releaseExclusiveWithoutFix(c, slot, frame);
                    return false;
                } finally {
                    instance.lock.unlock();
                }
            }
        }
        if (Latch.tryFixShared(c, slot, sequence) == Latch.MISMATCH) {
            return false; // latched exclusively or changed since the copy: stays dirty
        }
        try {
            if (c.holds(slot, pageId.spaceId(), pageId.pageNo())) {
                instance.removeDirty(frame);
            }
        } finally {
            release(instance, c, slot, frame, LatchMode.SHARED);
        }
        return false;
    }

    /** An aligned direct buffer for one page (single-page flushes) or a whole batch, reused when possible. */
    private ByteBuffer takeFlushBuffer(boolean onePage) {
        ConcurrentLinkedQueue<ByteBuffer> spares = onePage ? sparePageBuffers : spareFlushBuffers;
        ByteBuffer buffer = spares.poll();
        if (buffer == null) {
            int bytes = (onePage ? 1 : FLUSH_BATCH_PAGES) * pageSizeBytes;
            buffer = ByteBuffer.allocateDirect(bytes + alignmentBytes).alignedSlice(alignmentBytes).limit(bytes).slice();
        }
        return buffer;
    }

    void returnFlushBuffer(ByteBuffer buffer) {
        ConcurrentLinkedQueue<ByteBuffer> spares = buffer.capacity() == pageSizeBytes ? sparePageBuffers
                : spareFlushBuffers;
        // Approximate bound (size() and offer() race); a few extra buffers are harmless.
        if (spares.size() < SPARE_FLUSH_BUFFERS) {
            spares.offer(buffer);
        }
    }

    // ========================================================================= dirty-page queries

    @Override
    public long oldestModificationLsn() {
        long oldest = 0;
        for (PoolInstance instance : instances) {
            long lsn = instance.oldestModificationLsn();
            if (lsn != 0 && (oldest == 0 || lsn < oldest)) {
                oldest = lsn;
            }
        }
        return oldest;
    }

    @Override
    public DirtyPageHistogram dirtyHistogram(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be at least 1, was " + buckets);
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (PoolInstance instance : instances) {
            long low = instance.oldestModificationLsn();
            if (low != 0) {
                min = Math.min(min, low);
                max = Math.max(max, instance.newestOldestLsn());
            }
        }
        if (max == 0) {
            return DirtyPageHistogram.empty();
        }
        long span = max - min;
        int count = (int) Math.min(buckets, span + 1);
        long[] bounds = new long[count];
        for (int i = 0; i < count; i++) {
            // min + span * (i + 1) / count without overflow; strictly increasing because count <= span + 1.
            bounds[i] = min + (span / count) * (i + 1) + (span % count) * (i + 1) / count;
        }
        long[] counts = new long[count];
        for (PoolInstance instance : instances) {
            instance.countDirty(bounds, counts);
        }
        for (int i = 1; i < count; i++) {
            counts[i] += counts[i - 1];
        }
        return DirtyPageHistogram.of(bounds, counts);
    }

    // ======================================================================= tablespace eviction

    /**
     * {@inheritDoc}
     *
     * <p>Each instance's LRU list from its head, the instances' lists interleaved.
     */
    @Override
    public List<PageId> cachedPages(int maxPages) {
        checkOpen("cachedPages");
        return BufferPool.interleave(instances.length, i -> instances[i].cachedPages(maxPages), maxPages);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each page is latched exclusively first, which waits for a read in progress (the reader
     * holds that latch) and for handles; then for a write in progress; then it is dropped. Pages
     * fixed only optimistically are dropped too (their validation fails). REQUIRES: the caller
     * holds no latch on a page of the tablespace, and new reads of it are refused by the page store.
     */
    @Override
    public void evictTablespace(int spaceId) {
        checkOpen("evictTablespace");
        for (PoolInstance instance : instances) {
            for (;;) {
                long[] pages;
                instance.lock.lock();
                try {
                    pages = instance.framesOfSpaceLocked(spaceId);
                } finally {
                    instance.lock.unlock();
                }
                if (pages.length == 0) {
                    break;
                }
                for (int i = 0; i < pages.length; i += 2) {
                    dropPage(instance, (int) pages[i], spaceId, pages[i + 1]);
                }
            }
        }
    }

    private void dropPage(PoolInstance instance, int frame, int spaceId, long pageNo) {
        Chunk c = instance.chunkOrNull(frame);
        if (c == null) {
            return;
        }
        int slot = frame & SLOT_MASK;
        Latch.addFix(c, slot);
        if (latch.await(c, slot, frame, instance.readers, spaceId, pageNo, LatchMode.EXCLUSIVE) == Latch.MISMATCH) {
            releaseFixOnly(instance, c, slot);
            return;
        }
        instance.lock.lock();
        try {
            while ((c.flags[slot] & Chunk.WRITING) != 0) {
                instance.changed.awaitUninterruptibly(); // the writer never waits for anything but the store
            }
            instance.removeDirty(frame);
            instance.detachLocked(frame, true);
            instance.pushFreeLocked(frame);
        } finally {
            instance.lock.unlock();
        }
    }

    // ===================================================================================== resize

    /**
     * {@inheritDoc}
     *
     * <p>Growing allocates the new chunks outside the instance lock and then adds their frames to
     * the free list. Shrinking withdraws the last chunks of each instance: their free frames are
     * retired at once, clean pages evicted, dirty pages written and evicted, and fixed pages
     * waited for (a registered wait); then the chunks are dropped. Waits are not interruptible
     * (an interrupted shrink would leave the instance half withdrawn); an I/O error cancels the
     * shrink of that instance and is rethrown.
     */
    @Override
    public void resize(long sizeBytes) throws IOException {
        synchronized (resizeMonitor) {
            checkOpen("resize");
            int target = chunksPerInstance(sizeBytes, instances.length, chunkSizeBytes);
            for (PoolInstance instance : instances) {
                int have = instance.chunks.length;
                if (target > have) {
                    try {
                        grow(instance, target);
                    } catch (OutOfMemoryError e) {
                        throw new InvalidSettingException("sizeBytes", sizeBytes, "what the process can allocate off the heap",
                                "allocating the frames failed (" + e.getMessage() + ")");
                    }
                } else if (target < have) {
                    shrink(instance, target);
                }
            }
        }
    }

    private void grow(PoolInstance instance, int targetChunks) {
        int have = instance.chunks.length;
        Chunk[] added = new Chunk[targetChunks - have];
        for (int i = 0; i < added.length; i++) {
            added[i] = new Chunk(have + i, framesPerChunk, pageSizeBytes, alignmentBytes);
        }
        instance.lock.lock();
        try {
            Chunk[] next = Arrays.copyOf(instance.chunks, targetChunks);
            System.arraycopy(added, 0, next, have, added.length);
            instance.chunks = next;
            instance.totalFrames += added.length * framesPerChunk;
            // Pushed in reverse so that frames come off the free list in address order.
            for (int ci = targetChunks - 1; ci >= have; ci--) {
                for (int slot = framesPerChunk - 1; slot >= 0; slot--) {
                    instance.pushFreeLocked(ci << CHUNK_SHIFT | slot);
                }
            }
            geometryChangedLocked(instance);
        } finally {
            instance.lock.unlock();
        }
    }

    private void geometryChangedLocked(PoolInstance instance) {
        instance.youngQuarter = Math.max(1, (int) ((long) instance.totalFrames * (1024 - oldRatio) / 4096));
        instance.rehashLocked();
        instance.changed.signalAll();
    }

    private void shrink(PoolInstance instance, int keep) throws IOException {
        int have = instance.chunks.length;
        int withdrawn = (have - keep) * framesPerChunk;
        instance.lock.lock();
        try {
            instance.withdrawFrom = keep;
            instance.retireWithdrawnFreeFramesLocked();
        } finally {
            instance.lock.unlock();
        }
        boolean registered = false;
        boolean interrupted = false;
        boolean done = false;
        WaitList.Entry wait = null;
        try {
            for (;;) {
                List<DirtyPage> dirty = new ArrayList<>();
                instance.lock.lock();
                try {
                    Chunk[] cs = instance.chunks;
                    for (int ci = keep; ci < have; ci++) {
                        for (int slot = 0; slot < framesPerChunk; slot++) {
                            int frame = ci << CHUNK_SHIFT | slot;
                            if (cs[ci].state(slot) == Chunk.PAGE && !instance.evictIfReplaceableLocked(frame)) {
                                DirtyPage page = instance.dirtyCandidateLocked(frame);
                                if (page != null) {
                                    dirty.add(page);
                                }
                            }
                        }
                    }
                    if (instance.retiredFrames == withdrawn) {
                        instance.chunks = Arrays.copyOf(cs, keep);
                        instance.totalFrames -= withdrawn;
                        instance.retiredFrames = 0;
                        instance.withdrawFrom = Integer.MAX_VALUE;
                        geometryChangedLocked(instance);
                        done = true;
                        return;
                    }
                    if (dirty.isEmpty()) {
                        if (!registered) {
                            registered = true;
                            instance.frameWaiters.incrementAndGet();
                            wait = waits.begin("pages in " + (have - keep) + " withdrawn chunks of buffer pool instance "
                                    + instance.index + " to be unfixed (shrink)", "threads holding those page fixes");
                            continue;
                        }
                        try {
                            instance.changed.awaitNanos(WAIT_SLICE_NANOS);
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                        wait.reportIfLong();
                        continue;
                    }
                } finally {
                    instance.lock.unlock();
                }
                writeDirty(dirty, Long.MAX_VALUE, true, true, null);
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
            if (registered) {
                instance.frameWaiters.decrementAndGet();
            }
            if (wait != null) {
                wait.close();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ================================================================================= read-ahead

    /** From the access detector, under an instance lock: queue a read of one extent. */
    void requestReadAhead(int spaceId, long firstPageNo, int pendingReads, int frames) {
        // InnoDB skips read-ahead when reads already pending exceed half the instance.
        if (readAhead != null && !closed && pendingReads <= frames / 2) {
            readAhead.offer(spaceId, firstPageNo);
        }
    }

    /**
     * On the read-ahead thread: reads the missing pages of one extent as background reads, in
     * page order. Stops at the first page the store skips (the tablespace is being dropped: the
     * rest would be skipped too) and when no frame is free without writing or waiting.
     */
    void readAheadExtent(int spaceId, long firstPageNo) throws IOException {
        for (long pageNo = firstPageNo; pageNo < firstPageNo + EXTENT_PAGES; pageNo++) {
            if (closed || !readAheadPage(spaceId, pageNo)) {
                return;
            }
        }
    }

    private boolean readAheadPage(int spaceId, long pageNo) throws IOException {
        PoolInstance instance = instanceFor(spaceId, pageNo);
        int frame;
        instance.lock.lock();
        try {
            if (instance.lookupLocked(spaceId, pageNo) != NIL) {
                return true;
            }
            if (instance.pendingReads > instance.totalFrames / 2) {
                return false;
            }
            frame = instance.takeFreeLocked(lruScanDepth);
            if (frame == NIL) {
                return false;
            }
            instance.installLocked(frame, spaceId, pageNo, Chunk.READING);
        } finally {
            instance.lock.unlock();
        }
        Chunk c = instance.chunk(frame);
        int slot = frame & SLOT_MASK;
        boolean read;
        try {
            read = store.readPage(new PageId(spaceId, pageNo), c.writableView(slot), true);
        } catch (IOException | RuntimeException | Error e) {
            instance.abandonRead(frame);
            throw e;
        }
        if (!read) {
            instance.abandonRead(frame);
            return false;
        }
        instance.completeRead(frame, false);
        pagesRead.increment();
        readAheadPages.increment();
        if (Latch.fixCount(latch.releaseExclusive(c, slot, frame, true)) == 0) {
            instance.fixReleased();
        }
        return true;
    }

    // ============================================================================= stats and close

    @Override
    public BufferPoolStats stats() {
        long sizeBytes = 0;
        long total = 0;
        long free = 0;
        long lru = 0;
        long dirty = 0;
        long pendingReads = 0;
        long pendingWrites = 0;
        for (PoolInstance instance : instances) {
            instance.lock.lock();
            try {
                sizeBytes += instance.chunks.length * chunkSizeBytes;
                total += instance.totalFrames;
                free += instance.freeLen;
                lru += instance.lruLen;
                pendingReads += instance.pendingReads;
                pendingWrites += instance.pendingWrites;
            } finally {
                instance.lock.unlock();
            }
            instance.flushLock.lock();
            try {
                dirty += instance.dirtyPages;
            } finally {
                instance.flushLock.unlock();
            }
        }
        return new BufferPoolStats(sizeBytes, pageSizeBytes, instances.length, total, free, lru, dirty, hits.sum(),
                misses.sum(), pagesRead.sum(), pagesWritten.sum(), youngMoves.sum(), notYoungMoves.sum(), pendingReads,
                pendingWrites);
    }

    /** Pages read by read-ahead since the pool was created (included in {@link BufferPoolStats#pagesRead()}). */
    public long readAheadPages() {
        return readAheadPages.sum();
    }

    /**
     * The threads currently waiting inside the pool for a free frame or for a shrink, with what
     * they wait for and who must make progress (for the engine's status and watchdog).
     */
    public List<WaitStatus> waits() {
        return waits.snapshot();
    }

    /**
     * Heap bytes of the pool's metadata that grow with the frame count: the per-frame arrays of
     * every chunk and the page-hash buckets, counted as element bytes plus array headers. Fixed
     * per-instance and per-pool objects (locks, counters, the read-ahead thread) are excluded.
     */
    public long metadataHeapBytes() {
        long bytes = 0;
        for (PoolInstance instance : instances) {
            for (Chunk chunk : instance.chunks) {
                bytes += chunk.metadataHeapBytes();
            }
            bytes += 16 + 4L * instance.buckets.length;
        }
        return bytes;
    }

    /** Whether the read-ahead thread is running (tests). */
    boolean readAheadAlive() {
        return readAhead != null && readAhead.isAlive();
    }

    /** Instance {@code index} (tests). */
    PoolInstance instance(int index) {
        return instances[index];
    }

    /**
     * {@inheritDoc}
     *
     * <p>Stops the read-ahead thread and drops the frames (the memory is freed when the garbage
     * collector reclaims the direct buffers).
     */
    @Override
    public void close() {
        synchronized (resizeMonitor) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (readAhead != null) {
            readAhead.stop();
        }
        for (PoolInstance instance : instances) {
            instance.lock.lock();
            try {
                instance.chunks = new Chunk[0];
                instance.buckets = PoolInstance.emptyBuckets(16);
                instance.freeHead = NIL;
                instance.freeLen = 0;
                instance.lruHead = NIL;
                instance.lruTail = NIL;
                instance.lruLen = 0;
                instance.oldHead = NIL;
                instance.oldLen = 0;
                instance.totalFrames = 0;
                instance.flushLock.lock();
                try {
                    instance.flushHead = NIL;
                    instance.flushTail = NIL;
                    instance.dirtyPages = 0;
                } finally {
                    instance.flushLock.unlock();
                }
            } finally {
                instance.lock.unlock();
            }
        }
        spareFlushBuffers.clear();
        sparePageBuffers.clear();
    }

    @Override
    public String toString() {
        return "LruBufferPool[" + instances.length + " instances, " + pageSizeBytes + " B pages]";
    }
}
