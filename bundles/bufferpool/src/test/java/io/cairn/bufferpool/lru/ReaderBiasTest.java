package io.cairn.bufferpool.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.testkit.InMemoryPageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reader bias (shared fixes held in reader slots instead of the latch word): that it is used, and
 * that everything that needs a page unfixed or exclusively latched still sees those fixes.
 */
class ReaderBiasTest {

    private static final int PAGE = 4096;
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Where the stress test's writers put their pattern: 64 longs after the page header. */
    private static final int PATTERN_OFFSET = 128;
    private static final int PATTERN_LONGS = 64;

    private final InMemoryPageStore store = new InMemoryPageStore(PAGE);
    private final List<LruBufferPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(LruBufferPool::close);
    }

    /** A pool whose every eligible shared fix sets bias, so the second shared fix of a page is biased. */
    private LruBufferPool pool(int frames, int instances, int biasOneIn) {
        LruBufferPool pool = new LruBufferPool(new BufferPoolConfig((long) frames * PAGE, (long) frames * PAGE, PAGE,
                instances, 4096, 37, 0, 1024, 0), store);
        pool.setReaderBias(biasOneIn);
        pools.add(pool);
        return pool;
    }

    private static PageHandle shared(LruBufferPool pool, PageId id) throws Exception {
        return pool.fix(id, LatchMode.SHARED, FixMode.READ);
    }

    /** Fixes a page shared until a fix comes back biased (the first one sets the bias). */
    private static LruPageHandle biased(LruBufferPool pool, PageId id) throws Exception {
        for (int attempt = 0; attempt < 1000; attempt++) {
            LruPageHandle h = (LruPageHandle) shared(pool, id);
            if (h.biased()) {
                return h;
            }
            h.close();
        }
        throw new AssertionError("no shared fix of " + id + " was biased in 1000 attempts");
    }

    private static long latchWord(LruBufferPool pool, PageId id) {
        PoolInstance instance = pool.instance(0);
        int frame = instance.lookup(id.spaceId(), id.pageNo());
        assertTrue(frame >= 0, id + " is not cached");
        return Latch.word(instance.chunk(frame), frame & LruBufferPool.SLOT_MASK);
    }

    private static void assertConsistent(LruBufferPool pool, int instances) {
        for (int i = 0; i < instances; i++) {
            assertEquals(List.of(), pool.instance(i).checkInvariants(), "instance " + i);
            assertEquals(0, pool.instance(i).readers.published(), "reader slots still in use in instance " + i);
        }
    }

    @Test
    void aBiasedSharedFixMustNotWriteTheLatchWord() throws Exception {
        LruBufferPool pool = pool(16, 1, 1);
        PageId id = new PageId(1, 3);
        shared(pool, id).close(); // reads the page; bias is set by the first fast-path shared fix
        LruPageHandle h = biased(pool, id);
        long before = latchWord(pool, id);
        try (LruPageHandle second = biased(pool, id)) {
            assertEquals(3, second.getLong(InMemoryPageStore.PAGE_NO_OFFSET));
            assertEquals(before, latchWord(pool, id), "a biased fix must leave the latch word as it was");
        }
        assertEquals(3, h.getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        h.close();
        assertEquals(before, latchWord(pool, id));
        assertEquals(0, Latch.fixCount(before));
        assertTrue((before & Latch.BIAS) != 0);
        assertConsistent(pool, 1);
    }

    /** Only readers came: an optimistic read that overlaps the shared fix that turns bias on stays valid. */
    @Test
    void turningBiasOnMustNotFailAnOptimisticRead() throws Exception {
        LruBufferPool pool = pool(16, 1, 1);
        PageId id = new PageId(1, 4);
        try (PageHandle optimistic = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
            assertEquals(0, latchWord(pool, id) & Latch.BIAS);
            shared(pool, id).close(); // sets the bias (one in one)
            assertTrue((latchWord(pool, id) & Latch.BIAS) != 0);
            biased(pool, id).close();
            assertTrue(optimistic.validate(), "readers alone must not invalidate an optimistic read");
        }
    }

    @Test
    void withBiasOffNoSharedFixMayBeBiased() throws Exception {
        LruBufferPool pool = pool(16, 1, 0);
        PageId id = new PageId(1, 3);
        for (int i = 0; i < 100; i++) {
            try (LruPageHandle h = (LruPageHandle) shared(pool, id)) {
                assertFalse(h.biased());
            }
        }
        assertEquals(0, latchWord(pool, id) & Latch.BIAS);
    }

    @Test
    void anExclusiveFixMustWaitForABiasedReaderAndRevokeTheBias() throws Exception {
        LruBufferPool pool = pool(16, 1, 1);
        PageId id = new PageId(1, 5);
        shared(pool, id).close();
        LruPageHandle reader = biased(pool, id);
        FutureTask<Long> writer = new FutureTask<>(() -> {
            try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                h.frame().putLong(PATTERN_OFFSET, 77);
                h.markModified(10, 11);
                return latchWord(pool, id);
            }
        });
        Thread thread = new Thread(writer, "exclusive-fixer");
        thread.start();
        Blocking.awaitBlocked(thread, writer);
        assertFalse(writer.isDone(), "the exclusive fix must wait while a reader slot holds the page");
        assertEquals(0, reader.getLong(PATTERN_OFFSET), "the reader sees the page unchanged while it holds it");
        reader.close();
        long wordUnderWriter = writer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertTrue(Latch.exclusive(wordUnderWriter));
        assertEquals(0, wordUnderWriter & (Latch.BIAS | Latch.REVOKING), "taking EXCLUSIVE ends the revocation");
        try (PageHandle h = shared(pool, id)) {
            assertEquals(77, h.getLong(PATTERN_OFFSET));
        }
        assertConsistent(pool, 1);
    }

    /**
     * A reader that holds a page through its slot and fixes the same page again while a writer is
     * revoking must not deadlock: the revoker does not block new readers, it only stops new slot
     * readers, so the second fix goes through the word.
     */
    @Test
    void aSecondSharedFixByABiasedReaderMustNotWaitForARevokingWriter() throws Exception {
        LruBufferPool pool = pool(16, 1, 1);
        PageId id = new PageId(1, 6);
        shared(pool, id).close();
        LruPageHandle first = biased(pool, id);
        FutureTask<Void> writer = new FutureTask<>(() -> {
            pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ).close();
            return null;
        });
        Thread thread = new Thread(writer, "revoking-writer");
        thread.start();
        Blocking.awaitBlocked(thread, writer);
        FutureTask<Boolean> again = new FutureTask<>(() -> {
            try (LruPageHandle second = (LruPageHandle) shared(pool, id)) {
                return second.biased();
            }
        });
        again.run(); // on this thread, which holds the first fix
        assertFalse(again.get(), "with a revocation under way the second fix is counted in the word");
        assertFalse(writer.isDone());
        first.close();
        writer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertConsistent(pool, 1);
    }

    @Test
    void evictionMustSkipAPageHeldThroughAReaderSlotAndFreeItOnceReleased() throws Exception {
        LruBufferPool pool = pool(16, 1, 1);
        PageId id = new PageId(1, 1);
        shared(pool, id).close();
        LruPageHandle held = biased(pool, id);
        for (int i = 0; i < 48; i++) {
            pool.fix(new PageId(2, i), LatchMode.EXCLUSIVE, FixMode.READ).close(); // exclusive: no bias on the others
        }
        assertTrue(Latch.fixCount(latchWord(pool, id)) == 0, "the slot reader's fix is not in the word");
        try (PageHandle h = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.IF_CACHED)) {
            assertNotNull(h, "a page held through a reader slot must not be evicted");
        }
        assertEquals(1, held.getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        assertTrue((latchWord(pool, id) & Latch.REVOKING) != 0, "a failed eviction leaves the revocation pending");
        held.close();
        for (int i = 48; i < 96; i++) {
            pool.fix(new PageId(2, i), LatchMode.EXCLUSIVE, FixMode.READ).close();
        }
        assertNull(pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED), "once released the page is evicted as usual");
        assertConsistent(pool, 1);
    }

    @Test
    void aThreadWithAFullStripeMustFixThroughTheLatchWord() throws Exception {
        LruBufferPool pool = pool(64, 1, 1);
        List<LruPageHandle> held = new ArrayList<>();
        int biased = 0;
        for (int i = 0; i < ReaderSlots.SLOTS_PER_STRIPE + 4; i++) {
            PageId id = new PageId(1, i);
            shared(pool, id).close();
            shared(pool, id).close();
            LruPageHandle h = (LruPageHandle) shared(pool, id);
            held.add(h);
            biased += h.biased() ? 1 : 0;
        }
        assertEquals(ReaderSlots.SLOTS_PER_STRIPE, biased, "one stripe holds this many of one thread's fixes");
        for (LruPageHandle h : held) {
            assertEquals(h.pageId().pageNo(), h.getLong(InMemoryPageStore.PAGE_NO_OFFSET));
            h.close();
        }
        assertConsistent(pool, 1);
    }

    @Test
    void droppingATablespaceMustWaitForItsBiasedReaders() throws Exception {
        LruBufferPool pool = pool(16, 1, 1);
        PageId id = new PageId(4, 2);
        shared(pool, id).close();
        LruPageHandle reader = biased(pool, id);
        FutureTask<Void> drop = new FutureTask<>(() -> {
            pool.evictTablespace(4);
            return null;
        });
        Thread thread = new Thread(drop, "dropper");
        thread.start();
        Blocking.awaitBlocked(thread, drop);
        assertFalse(drop.isDone());
        assertEquals(2, reader.getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        reader.close();
        drop.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertNull(pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED));
        assertConsistent(pool, 1);
    }

    /**
     * Readers (biased about half the time), writers, flushes and evictions on a pool smaller than
     * the pages used: a shared or optimistic reader must never see a page a writer is halfway
     * through, and a reader must never read a frame that was reused for another page.
     */
    @Test
    void biasedReadersMustNeverSeeAPageHalfWrittenOrReplaced() throws Exception {
        long seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        LruBufferPool pool = pool(48, 1, 4);
        AtomicLong lsn = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder biasedReads = new LongAdder();
        LongAdder wordReads = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            boolean writer = t == 0;
            Thread thread = new Thread(() -> {
                try {
                    for (int op = 0; op < 40000 && failure.get() == null; op++) {
                        // Mostly 8 hot pages (they get biased), sometimes one of 80 (evictions).
                        PageId id = new PageId(1, random.nextInt(10) < 8 ? random.nextInt(8) : 8 + random.nextInt(72));
                        int kind = random.nextInt(100);
                        if (writer && kind < 40) {
                            try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                                long value = op;
                                for (int i = 0; i < PATTERN_LONGS; i++) {
                                    h.frame().putLong(PATTERN_OFFSET + 8 * i, value);
                                }
                                long end = lsn.addAndGet(2);
                                h.frame().putLong(InMemoryPageStore.PAGE_LSN_OFFSET, end);
                                h.markModified(end - 1, end);
                            }
                        } else if (writer && kind < 45) {
                            pool.flushList(8, Long.MAX_VALUE);
                        } else if (kind < 90) {
                            try (LruPageHandle h = (LruPageHandle) pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                                (h.biased() ? biasedReads : wordReads).increment();
                                checkPage(h, id);
                            }
                        } else {
                            try (PageHandle h = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
                                long pageNo = h.getLong(InMemoryPageStore.PAGE_NO_OFFSET);
                                long first = h.getLong(PATTERN_OFFSET);
                                long last = h.getLong(PATTERN_OFFSET + 8 * (PATTERN_LONGS - 1));
                                if (h.validate() && (pageNo != id.pageNo() || first != last)) {
                                    throw new AssertionError("optimistic read of " + id + " validated a torn view");
                                }
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bias-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertFalse(thread.isAlive(), thread.getName() + " did not finish; seed " + seed);
        }
        if (failure.get() != null) {
            throw new AssertionError("seed " + seed, failure.get());
        }
        assertTrue(biasedReads.sum() > 1000, "too few biased reads to test anything: " + biasedReads + " biased, "
                + wordReads + " through the word");
        assertTrue(wordReads.sum() > 1000, "too few reads through the word: " + wordReads);
        assertTrue(pool.stats().misses() > 100, "the test needs evictions: " + pool.stats().misses() + " misses");
        assertConsistent(pool, 1);
        assertEquals(List.of(), store.violations());
    }

    private static void checkPage(PageHandle h, PageId id) {
        long pageNo = h.getLong(InMemoryPageStore.PAGE_NO_OFFSET);
        if (pageNo != id.pageNo()) {
            throw new AssertionError("shared fix of " + id + " reads page " + pageNo);
        }
        long first = h.getLong(PATTERN_OFFSET);
        for (int i = 1; i < PATTERN_LONGS; i++) {
            long v = h.getLong(PATTERN_OFFSET + 8 * i);
            if (v != first) {
                throw new AssertionError("shared fix of " + id + " sees a half-written page: long 0 is " + first
                        + ", long " + i + " is " + v);
            }
        }
        // Read again after the scan: a writer that got in meanwhile would change it.
        if (h.getLong(PATTERN_OFFSET) != first) {
            throw new AssertionError("page " + id + " changed under a shared fix");
        }
    }

}
