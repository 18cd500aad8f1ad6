package io.cairn.bench.bufferpool;

import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.PageWrite;
import io.cairn.bufferpool.lru.LruBufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The buffer pool's hit path: fix a cached page SHARED (or OPTIMISTIC), read a long from its
 * frame, close. The baseline does the same lookup of the same keys in a {@link ConcurrentHashMap}
 * from {@link PageId} to a frame slice of one direct buffer and the same read, so the difference
 * is what page hash, latch, fix count, LRU bookkeeping and handle cost. A second baseline adds
 * to the map lookup the least any pool with a shared fix count must do: one atomic increment of a
 * per-page counter before the read and one decrement after. With two threads on the same pages,
 * those two atomics move the counter's cache line between the cores, so that baseline carries the
 * machine's core-to-core transfer cost, which a plain map lookup does not.
 *
 * <p>Every page of the key set is cached before measuring (no misses); each thread walks its own
 * shuffled order of the keys. With 4096 pages the frames take 64 MiB: each operation reads one
 * line of a frame in a different 4 KiB memory page, more pages than the TLB maps, so most reads
 * need a page walk; the pool's locked CAS instructions serialize those walks and misses while the
 * baseline's independent loads overlap across iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferPoolHitBenchmark {

    static final int PAGE_BYTES = 16384;
    static final int READ_OFFSET = 64;

    /** Cached pages in the key set: 64 (frames and metadata stay in cache) or 4096 (64 MiB of frames). */
    @Param({"64", "4096"})
    public int pages;

    LruBufferPool pool;
    ConcurrentHashMap<PageId, ByteBuffer> map;
    ConcurrentHashMap<PageId, PinnedFrame> pinnedMap;
    PageId[] ids;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pool = new LruBufferPool(new BufferPoolConfig(128L << 20, 64L << 20, PAGE_BYTES, 1, 4096, 37, 1000, 1024, 0),
                new FormattingStore());
        ids = new PageId[pages];
        map = new ConcurrentHashMap<>();
        pinnedMap = new ConcurrentHashMap<>();
        ByteBuffer frames = ByteBuffer.allocateDirect(pages * PAGE_BYTES);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < pages; i++) {
            ids[i] = new PageId(1 + random.nextInt(8), random.nextInt(1 << 20));
            if (map.containsKey(ids[i])) {
                i--;
                continue;
            }
            pool.fix(ids[i], LatchMode.SHARED, FixMode.READ).close();
            ByteBuffer frame = frames.slice(i * PAGE_BYTES, PAGE_BYTES);
            frame.putLong(READ_OFFSET, ids[i].pageNo());
            map.put(ids[i], frame);
            pinnedMap.put(ids[i], new PinnedFrame(new AtomicLong(), frame));
        }
        if (pool.stats().misses() != pages) {
            throw new IllegalStateException("the key set does not fit the pool: " + pool.stats());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** Each thread's own walk through the keys. */
    @State(Scope.Thread)
    public static class Cursor {
        int[] order;
        int next;

        @Setup(Level.Trial)
        public void setUp(BufferPoolHitBenchmark benchmark) {
            order = new int[benchmark.pages];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }

        int next() {
            int i = order[next];
            next = next + 1 == order.length ? 0 : next + 1;
            return i;
        }
    }

    @Benchmark
    public long poolHitShared(Cursor cursor) throws IOException {
        try (PageHandle h = pool.fix(ids[cursor.next()], LatchMode.SHARED, FixMode.READ)) {
            return h.getLong(READ_OFFSET);
        }
    }

    /** The same through a frame view, as code that reads many values of a page does. */
    @Benchmark
    public long poolHitSharedView(Cursor cursor) throws IOException {
        try (PageHandle h = pool.fix(ids[cursor.next()], LatchMode.SHARED, FixMode.READ)) {
            return h.frame().getLong(READ_OFFSET);
        }
    }

    @Benchmark
    public long poolHitOptimistic(Cursor cursor) throws IOException {
        PageId id = ids[cursor.next()];
        for (;;) {
            try (PageHandle h = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
                long value = h.getLong(READ_OFFSET);
                if (h.validate()) {
                    return value;
                }
            }
        }
    }

    /** Fix SHARED and close without touching the frame: the pool's own cost (no frame slice, no frame data). */
    @Benchmark
    public long poolFixOnly(Cursor cursor) throws IOException {
        try (PageHandle h = pool.fix(ids[cursor.next()], LatchMode.SHARED, FixMode.READ)) {
            return h.latchMode().ordinal();
        }
    }

    @Benchmark
    public long baselineMapLookup(Cursor cursor) {
        return map.get(ids[cursor.next()]).getLong(READ_OFFSET);
    }

    @Benchmark
    public long baselineMapLookupWithPinCount(Cursor cursor) {
        PinnedFrame pinned = pinnedMap.get(ids[cursor.next()]);
        pinned.pins().getAndIncrement();
        long value = pinned.frame().getLong(READ_OFFSET);
        pinned.pins().getAndDecrement();
        return value;
    }

    /** A frame with its own fix counter, as the pin-count baseline's map holds. */
    record PinnedFrame(AtomicLong pins, ByteBuffer frame) {
    }

    /** Pages read as formatted pages carrying their page number; writes are discarded. */
    static final class FormattingStore implements PageStore {
        @Override
        public boolean readPage(PageId pageId, ByteBuffer frame, boolean background) {
            for (int i = 0; i < PAGE_BYTES; i += 8) {
                frame.putLong(i, 0);
            }
            frame.putLong(READ_OFFSET, pageId.pageNo());
            return true;
        }

        @Override
        public void writePages(List<PageWrite> batch) {
        }
    }
}
