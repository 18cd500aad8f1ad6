package io.cairn.bufferpool.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.config.InvalidSettingException;
import io.cairn.status.WaitStatus;
import io.cairn.testkit.InMemoryPageStore;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour specific to the LRU pool: heap cost, LRU mechanics, write-during-flush, waits, geometry. */
class LruBufferPoolTest {

    private static final int PAGE = 4096;
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final InMemoryPageStore store = new InMemoryPageStore(PAGE);
    private final List<LruBufferPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(LruBufferPool::close);
    }

    private LruBufferPool pool(int frames, int chunkFrames, int instances, long oldBlocksTimeMillis, int readAhead) {
        LruBufferPool pool = new LruBufferPool(new BufferPoolConfig((long) frames * PAGE, (long) chunkFrames * PAGE, PAGE,
                instances, 4096, 37, oldBlocksTimeMillis, 1024, readAhead), store);
        pools.add(pool);
        return pool;
    }

    private static void touch(LruBufferPool pool, int spaceId, long pageNo) throws Exception {
        pool.fix(new PageId(spaceId, pageNo), LatchMode.SHARED, FixMode.READ).close();
    }

    private static void assertConsistent(LruBufferPool pool, int instances) {
        for (int i = 0; i < instances; i++) {
            assertEquals(List.of(), pool.instance(i).checkInvariants(), "instance " + i);
        }
    }

    // ------------------------------------------------------------------------------ heap cost

    /**
     * Pool metadata must cost less than 64 heap bytes per frame. Measured two ways on a pool of
     * 65,536 frames: the pool's own sum of its per-frame arrays and hash buckets
     * ({@link LruBufferPool#metadataHeapBytes()}), and the heap bytes the constructing thread
     * allocated while building the pool (which also counts every fixed-size object).
     */
    @Test
    void heapCostOfPoolMetadataMustStayBelow64BytesPerFrame() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        BufferPoolConfig config = new BufferPoolConfig(256L << 20, 16L << 20, PAGE, 4, 4096, 37, 1000, 1024, 56);
        long before = threads.getThreadAllocatedBytes(threadId);
        LruBufferPool pool = new LruBufferPool(config, store);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        pools.add(pool);
        long frames = pool.stats().totalFrames();
        assertEquals(65536, frames);
        double arraysPerFrame = (double) pool.metadataHeapBytes() / frames;
        double allocatedPerFrame = (double) allocated / frames;
        System.out.printf("heap per frame: %.2f bytes in per-frame arrays and hash buckets, %.2f bytes allocated by the"
                + " constructor (%d frames)%n", arraysPerFrame, allocatedPerFrame, frames);
        assertTrue(arraysPerFrame < 64, "metadata arrays: " + arraysPerFrame + " bytes per frame");
        assertTrue(allocatedPerFrame < 64, "allocated while building: " + allocatedPerFrame + " bytes per frame");
    }

    /**
     * Frames must not come out of the JVM's direct memory budget, which defaults to the heap size:
     * otherwise a 4 GiB pool would need a 4 GiB heap setting although the heap holds only metadata.
     */
    @Test
    void framesMustNotCountAgainstTheDirectMemoryLimit() throws Exception {
        java.lang.management.BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(
                java.lang.management.BufferPoolMXBean.class).stream().filter(b -> b.getName().equals("direct"))
                .findFirst().orElseThrow();
        long directBefore = direct.getMemoryUsed();
        LruBufferPool pool = new LruBufferPool(new BufferPoolConfig(256L << 20, 16L << 20, PAGE, 4, 4096, 37, 1000, 1024, 56),
                store);
        pools.add(pool);
        long directGrowth = direct.getMemoryUsed() - directBefore;
        assertTrue(directGrowth < (16L << 20), "a 256 MiB pool took " + directGrowth + " bytes of direct memory");
        // The frames are real memory all the same: pages are read into them.
        for (long pageNo = 0; pageNo < 64; pageNo++) {
            touch(pool, 1, pageNo);
        }
        assertEquals((256L << 20) / PAGE, pool.stats().totalFrames());
    }

    @Test
    void getLongMustReadWhatTheFrameHoldsAndStayInsideIt() throws Exception {
        LruBufferPool pool = new LruBufferPool(new BufferPoolConfig(16L << 20, 16L << 20, PAGE, 1, 4096, 37, 1000, 1024, 0),
                store);
        pools.add(pool);
        for (long pageNo = 0; pageNo < 8; pageNo++) {
            try (PageHandle h = pool.fix(new PageId(3, pageNo), LatchMode.EXCLUSIVE, FixMode.CREATE)) {
                h.frame().putLong(PAGE - 8, 1000 + pageNo);
                h.frame().putLong(0, -pageNo);
            }
        }
        for (long pageNo = 0; pageNo < 8; pageNo++) {
            try (PageHandle h = pool.fix(new PageId(3, pageNo), LatchMode.SHARED, FixMode.READ)) {
                assertEquals(1000 + pageNo, h.getLong(PAGE - 8));
                assertEquals(-pageNo, h.getLong(0));
                assertEquals(h.frame().getLong(PAGE - 8), h.getLong(PAGE - 8));
                assertThrows(IndexOutOfBoundsException.class, () -> h.getLong(PAGE - 4), "must not read the next frame");
                assertThrows(IndexOutOfBoundsException.class, () -> h.getLong(-1));
            }
        }
    }

    // --------------------------------------------------------------------------- LRU mechanics

    @Test
    void newPagesMustEnterAtTheMidpointOnceTheListIsLongEnough() throws Exception {
        LruBufferPool pool = pool(1024, 256, 1, 1000, 0);
        for (int i = 0; i < PoolInstance.OLD_MIN_LEN - 1; i++) {
            touch(pool, 1, i);
        }
        PoolInstance instance = pool.instance(0);
        assertEquals(0, instance.oldLen, "a short list has no old sublist");
        for (int i = PoolInstance.OLD_MIN_LEN - 1; i < 600; i++) {
            touch(pool, 1, i);
        }
        assertEquals(600L * pool.oldRatio >>> 10, instance.oldLen);
        touch(pool, 1, 600);
        instance.lock.lock();
        try {
            int[] order = instance.lruOrderLocked();
            int newest = instance.lookupLocked(1, 600);
            int position = -1;
            for (int i = 0; i < order.length; i++) {
                position = order[i] == newest ? i : position;
            }
            int firstOld = order.length - instance.oldLen;
            assertEquals(firstOld, position, "a new page becomes the head of the old sublist");
            assertTrue((instance.flags(newest) & Chunk.OLD) != 0);
        } finally {
            instance.lock.unlock();
        }
        assertConsistent(pool, 1);
    }

    @Test
    void accessesWithinOldBlocksTimeMustNotPromoteAPage() throws Exception {
        LruBufferPool pool = pool(1024, 256, 1, TimeUnit.HOURS.toMillis(1), 0);
        for (int i = 0; i < 2048; i++) {
            touch(pool, 9, i); // evictions happened: promotions are possible from now on
        }
        touch(pool, 1, 1);
        for (int i = 0; i < 10; i++) {
            touch(pool, 1, 1);
        }
        BufferPoolStats stats = pool.stats();
        assertEquals(0, stats.youngMoves());
        assertEquals(10, stats.notYoungMoves());
        PoolInstance instance = pool.instance(0);
        instance.lock.lock();
        try {
            assertTrue((instance.flags(instance.lookupLocked(1, 1)) & Chunk.OLD) != 0, "the page stays old");
        } finally {
            instance.lock.unlock();
        }
    }

    @Test
    void aYoungPageMustNotBeMovedOnEveryAccess() throws Exception {
        LruBufferPool pool = pool(1024, 256, 1, 0, 0);
        for (int i = 0; i < 2048; i++) {
            touch(pool, 9, i);
        }
        touch(pool, 1, 1);
        touch(pool, 1, 1); // old, accessed again: promoted
        assertEquals(1, pool.stats().youngMoves());
        for (int i = 0; i < 1000; i++) {
            touch(pool, 1, 1);
        }
        assertEquals(1, pool.stats().youngMoves(), "hits on a page near the head must not move it");
        for (int i = 0; i < 200; i++) {
            touch(pool, 2, i); // evictions push the page towards the old sublist
        }
        touch(pool, 1, 1);
        assertEquals(2, pool.stats().youngMoves(), "after a quarter of the young sublist it moves again");
        assertConsistent(pool, 1);
    }

    @Test
    void pagesOfOneExtentMustMapToOneInstanceAndExtentsMustSpreadOverInstances() {
        LruBufferPool pool = pool(8 * 16, 16, 8, 1000, 0);
        Set<Integer> used = new HashSet<>();
        for (long extent = 0; extent < 64; extent++) {
            PoolInstance first = pool.instanceFor(3, extent * 64);
            for (long p = extent * 64; p < extent * 64 + 64; p++) {
                assertEquals(first, pool.instanceFor(3, p));
            }
            used.add(first.index);
        }
        assertTrue(used.size() >= 6, "64 extents should use most of 8 instances: " + used);
    }

    /** An optimistic handle does not pin its page; eviction and reuse of the frame fail validation. */
    @Test
    void anOptimisticHandleMustFailValidationWhenItsPageIsEvictedUnderIt() throws Exception {
        LruBufferPool pool = pool(16, 16, 1, 1000, 0);
        try (PageHandle optimistic = pool.fix(new PageId(1, 1), LatchMode.OPTIMISTIC, FixMode.READ)) {
            assertEquals(1, optimistic.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
            assertTrue(optimistic.validate());
            for (int i = 0; i < 32; i++) {
                touch(pool, 2, i); // 16 frames: page 1 is evicted and its frame reused
            }
            assertEquals(null, pool.fix(new PageId(1, 1), LatchMode.SHARED, FixMode.IF_CACHED));
            optimistic.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET); // safe to read, meaningless
            assertFalse(optimistic.validate());
        }
        assertConsistent(pool, 1);
    }

    @Test
    void cachedPagesMustPutAPageMadeYoungBeforeThePagesNotUsedSince() throws Exception {
        // More pages than frames, so the pool evicts (promotion only starts then, as in InnoDB)
        // and the coldest page left sits in the old sublist; with no old-block time its next
        // access moves it to the head at once.
        LruBufferPool pool = pool(1024, 256, 1, 0, 0);
        for (long pageNo = 0; pageNo < 1100; pageNo++) {
            touch(pool, 1, pageNo);
        }
        List<PageId> before = pool.cachedPages(Integer.MAX_VALUE);
        PageId coldest = before.get(before.size() - 1);
        touch(pool, 1, coldest.pageNo());
        List<PageId> order = pool.cachedPages(Integer.MAX_VALUE);
        assertEquals(before.size(), order.size());
        assertEquals(coldest, order.get(0), "the page used again must lead");
        assertEquals(List.of(coldest), pool.cachedPages(1));
    }

    // ------------------------------------------------------------------------------ flushing

    /** The flusher holds no latch while writing its copy, so a writer can change the page meanwhile. */
    @Test
    void aPageChangedWhileItsCopyIsWrittenMustStayDirty() throws Exception {
        LruBufferPool pool = pool(32, 16, 1, 1000, 0);
        PageId id = new PageId(1, 1);
        change(pool, id, 1, 10, 11);
        AtomicBoolean once = new AtomicBoolean();
        store.beforeWrite(write -> {
            if (once.compareAndSet(false, true)) {
                try {
                    change(pool, id, 2, 20, 21);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        assertEquals(1, pool.flushList(10, Long.MAX_VALUE));
        assertEquals(1, ByteBuffer.wrap(store.stored(id)).getLong(128), "the copy written is the one taken");
        assertEquals(1, pool.stats().dirtyPages(), "the second change is not on disk: the page stays dirty");
        assertEquals(10, pool.oldestModificationLsn(), "with its first oldest LSN (conservative)");
        assertEquals(1, pool.flushList(10, Long.MAX_VALUE));
        assertEquals(2, ByteBuffer.wrap(store.stored(id)).getLong(128));
        assertEquals(0, pool.stats().dirtyPages());
        assertEquals(List.of(), store.violations());
    }

    private static void change(LruBufferPool pool, PageId id, long marker, long start, long end) throws Exception {
        try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
            h.frame().putLong(128, marker);
            h.frame().putLong(InMemoryPageStore.PAGE_LSN_OFFSET, end);
            h.markModified(start, end);
        }
    }

    // --------------------------------------------------------------------------------- waits

    @Test
    void aThreadWaitingForAFrameMustBeListedWithWhatItWaitsForAndItsProgressOwner() throws Exception {
        LruBufferPool pool = pool(16, 16, 1, 1000, 0);
        List<PageHandle> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(pool.fix(new PageId(1, i), LatchMode.SHARED, FixMode.READ));
        }
        FutureTask<Void> task = new FutureTask<>(() -> {
            touch(pool, 2, 1);
            return null;
        });
        Thread waiter = new Thread(task, "frame-waiter");
        waiter.start();
        Blocking.awaitBlocked(waiter, task);
        awaitWaits(pool, 1);
        List<WaitStatus> waits = pool.waits();
        assertEquals(1, waits.size(), waits.toString());
        assertEquals("frame-waiter", waits.get(0).waiter());
        assertTrue(waits.get(0).waitsFor().contains("free frame"), waits.get(0).waitsFor());
        assertTrue(waits.get(0).progressOwner().contains("fixes"), waits.get(0).progressOwner());
        held.remove(0).close();
        task.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of(), pool.waits());
        held.forEach(PageHandle::close);
        assertConsistent(pool, 1);
    }

    @Test
    void aShrinkMustWaitForAFixedPageInAWithdrawnChunk() throws Exception {
        LruBufferPool pool = pool(32, 16, 1, 1000, 0);
        for (int i = 0; i < 16; i++) {
            touch(pool, 1, i); // fills chunk 0 (frames leave the free list in address order)
        }
        PageHandle pinned = pool.fix(new PageId(1, 99), LatchMode.SHARED, FixMode.READ); // in chunk 1
        FutureTask<Void> task = new FutureTask<>(() -> {
            pool.resize(16L * PAGE);
            return null;
        });
        Thread shrinker = new Thread(task, "shrinker");
        shrinker.start();
        Blocking.awaitBlocked(shrinker, task);
        awaitWaits(pool, 1);
        assertTrue(pool.waits().stream().anyMatch(w -> w.waitsFor().contains("withdrawn")), pool.waits().toString());
        assertFalse(task.isDone(), "the shrink must wait while a page of a withdrawn chunk is fixed");
        assertEquals(99, pinned.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        pinned.close();
        task.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertEquals(16, pool.stats().totalFrames());
        touch(pool, 1, 99);
        assertConsistent(pool, 1);
    }

    /** Polls (yielding, bounded) until the pool lists {@code count} waits. */
    private static void awaitWaits(LruBufferPool pool, int count) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (pool.waits().size() < count) {
            if (System.nanoTime() > deadline) {
                fail("expected " + count + " registered waits, have " + pool.waits());
            }
            Thread.yield();
        }
    }


    // ----------------------------------------------------------------------------- read-ahead

    @Test
    void descendingAccessesMustReadThePreviousExtent() throws Exception {
        LruBufferPool pool = pool(512, 16, 1, 1000, 8);
        for (long p = 127; p >= 120; p--) {
            touch(pool, 1, p);
        }
        assertTrue(store.await(() -> store.backgroundReads(1, 0, 64) == 64, BOUND));
        // The pool counts a read-ahead page after the store's read returned: wait for the count too.
        assertTrue(store.await(() -> pool.readAheadPages() == 64, BOUND), "read-ahead pages " + pool.readAheadPages());
    }

    @Test
    void theReadAheadThreadMustStopOnClose() {
        LruBufferPool pool = pool(512, 16, 1, 1000, 8);
        assertTrue(pool.readAheadAlive());
        pool.close();
        assertFalse(pool.readAheadAlive());
        assertFalse(pool(512, 16, 1, 1000, 0).readAheadAlive(), "threshold 0 starts no thread");
    }

    // ------------------------------------------------------------------------------ geometry

    @Test
    void framesMustHonourAnAlignmentLargerThan4096() throws Exception {
        LruBufferPool pool = new LruBufferPool(new BufferPoolConfig(1L << 20, 1L << 19, 16384, 1, 16384, 37, 1000, 1024, 0),
                new InMemoryPageStore(16384));
        pools.add(pool);
        for (int i = 0; i < 10; i++) {
            try (PageHandle h = pool.fix(new PageId(1, i), LatchMode.SHARED, FixMode.READ)) {
                assertEquals(0, h.frame().alignmentOffset(0, 16384));
                assertEquals(16384, h.frame().remaining());
            }
        }
    }

    @Test
    void invalidSettingMessagesMustNameFieldValueAndRange() {
        InvalidSettingException page = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
                () -> LruBufferPool.validate(new BufferPoolConfig(1L << 20, 1L << 20, 5000, 1, 4096, 37, 1000, 1024, 0)));
        assertEquals("invalid setting pageSizeBytes=5000: allowed: 4096, 8192, 16384, 32768 or 65536", page.getMessage());
        InvalidSettingException size = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
                () -> LruBufferPool.validate(new BufferPoolConfig(1L << 20, 1L << 20, 4096, 2, 4096, 37, 1000, 1024, 0)));
        assertEquals("invalid setting sizeBytes=1048576: allowed: from 2097152 to 4297064447"
                + " (1 to 2048 chunks of chunkSizeBytes per instance)", size.getMessage());
        assertEquals(4, LruBufferPool.validate(BufferPoolConfig.defaults(4L << 30, 16384)), "chunks per instance");
    }

    // ---------------------------------------------------------------------------- concurrency

    /** Lists, hash and counters must be consistent after concurrent fixes, changes, flushes and a resize. */
    @Test
    void listsMustStayConsistentUnderConcurrentUse() throws Exception {
        long seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        LruBufferPool pool = pool(1024, 128, 2, 0, 16);
        AtomicLong lsn = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            Thread thread = new Thread(() -> {
                try {
                    for (int op = 0; op < 20000; op++) {
                        PageId id = new PageId(1 + random.nextInt(3), random.nextInt(random.nextBoolean() ? 300 : 1500));
                        int kind = random.nextInt(100);
                        if (kind < 60) {
                            touch(pool, id.spaceId(), id.pageNo());
                        } else if (kind < 90) {
                            change(pool, id, op, lsn.addAndGet(2) - 1, lsn.get());
                        } else if (kind < 97) {
                            pool.flushList(16, Long.MAX_VALUE);
                        } else {
                            pool.flushLru(16);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "lists-" + t);
            threads.add(thread);
            thread.start();
        }
        pool.resize(2048L * PAGE);
        pool.resize(512L * PAGE);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertFalse(thread.isAlive(), thread.getName() + " did not finish; seed " + seed);
        }
        if (failure.get() != null) {
            throw new AssertionError("seed " + seed, failure.get());
        }
        store.await(() -> pool.stats().pendingReads() == 0, BOUND);
        assertConsistent(pool, 2);
        assertEquals(512, pool.stats().totalFrames());
        assertEquals(List.of(), store.violations());
        assertNotNull(pool.toString());
    }
}
