package io.cairn.bufferpool.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.testkit.InMemoryPageStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CLOCK itself, open box: which page the hand takes, what it must never take, who waits and who
 * wakes them, and how a shrink treats withdrawn frames. Layouts rely on one documented fact of the
 * implementation: frames come off a fresh pool's free list in address order, so with one instance
 * the n-th page read lands in frame n (each test checks that before relying on it).
 */
class ClockBufferPoolTest {

    private static final int PAGE = 4096;
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final int MARKER_OFFSET = 128;

    private final InMemoryPageStore store = new InMemoryPageStore(PAGE);
    private final List<ClockBufferPool> pools = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();

    @AfterEach
    void stopWorkersAndClosePools() throws InterruptedException {
        for (Thread worker : workers) {
            worker.join(BOUND.toMillis());
        }
        pools.forEach(ClockBufferPool::close);
    }

    private ClockBufferPool pool(int frames, int chunkFrames, int instances, int lruScanDepth) {
        ClockBufferPool pool = new ClockBufferPool(new BufferPoolConfig((long) frames * PAGE, (long) chunkFrames * PAGE,
                PAGE, instances, 4096, 37, 1000, lruScanDepth, 0), store);
        pools.add(pool);
        return pool;
    }

    private static PageId page(int spaceId, long pageNo) {
        return new PageId(spaceId, pageNo);
    }

    private static void touch(ClockBufferPool pool, PageId id) throws Exception {
        pool.fix(id, LatchMode.SHARED, FixMode.READ).close();
    }

    private static void modify(ClockBufferPool pool, PageId id, long marker, long startLsn, long endLsn) throws Exception {
        try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
            h.frame().putLong(MARKER_OFFSET, marker);
            h.frame().putLong(InMemoryPageStore.PAGE_LSN_OFFSET, endLsn);
            h.markModified(startLsn, endLsn);
        }
    }

    private long storedMarker(PageId id) {
        byte[] content = store.stored(id);
        return content == null ? 0 : ByteBuffer.wrap(content).getLong(MARKER_OFFSET);
    }

    /** Reads pages 0 to {@code count - 1} of a space in order and checks that page n sits in frame n. */
    private static void fillInOrder(ClockBufferPool pool, int spaceId, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            touch(pool, page(spaceId, i));
        }
        for (int i = 0; i < count; i++) {
            assertEquals(i, pool.frameIndex(page(spaceId, i)), "layout assumption: page " + i + " in frame " + i);
        }
    }

    private static void assertConsistent(ClockBufferPool pool) {
        assertEquals(List.of(), pool.checkInvariants());
        BufferPoolStats stats = pool.stats();
        assertEquals(stats.totalFrames(), stats.freeFrames() + stats.lruPages(), "every frame free or holding a page: "
                + stats);
    }

    /** A task on its own thread, so that a test can see it block. */
    private <T> FutureTask<T> start(String name, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        workers.add(thread);
        thread.start();
        return task;
    }

    private Thread threadOf(String name) {
        return workers.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    /** Waits until the named worker is parked or blocked (not running, not spinning), or done. */
    private void awaitParked(String name, FutureTask<?> task) {
        Thread thread = threadOf(name);
        long deadlineNanos = System.nanoTime() + BOUND.toNanos();
        while (!task.isDone()) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                fail(name + " neither parked nor finished within " + BOUND + " (state " + state + ")");
            }
            Thread.onSpinWait();
        }
    }

    private static <T> T result(FutureTask<T> task) throws Exception {
        return task.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------- the hand

    @Test
    void aPageAccessedSinceTheHandLastPassedMustSurviveOneSweepButNotTwo() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        fillInOrder(pool, 1, 16);
        // Every page was just read, so every bit is set: the hand clears all 16, then takes frame 0.
        touch(pool, page(2, 0));
        assertFalse(pool.isCached(page(1, 0)));
        for (int i = 1; i < 16; i++) {
            assertTrue(pool.isCached(page(1, i)), "page " + i + " had its bit cleared, not its page taken");
        }
        PageId accessed = page(1, 5);
        touch(pool, accessed); // after the hand passed it: its bit is set again
        for (int n = 1; n <= 14; n++) { // the hand goes once round frames 1 to 15
            touch(pool, page(2, n));
        }
        assertTrue(pool.isCached(accessed), "the page accessed since the hand passed must survive this turn");
        for (int i = 1; i < 16; i++) {
            if (i != 5) {
                assertFalse(pool.isCached(page(1, i)), "page " + i + " was not accessed again and must be evicted");
            }
        }
        touch(pool, page(2, 15)); // the next turn: its bit was cleared on the way and not set again
        assertFalse(pool.isCached(accessed), "a second chance is for one turn only");
        for (int n = 0; n <= 15; n++) {
            assertTrue(pool.isCached(page(2, n)), "newly read page " + n + " has its own second chance");
        }
        assertTrue(pool.stats().youngMoves() > 0, "second chances are counted");
        assertConsistent(pool);
    }

    @Test
    void aFixedPageMustNeverBeEvictedHoweverOftenTheHandPasses() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageId shared = page(1, 1);
        PageId exclusive = page(1, 2);
        try (PageHandle s = pool.fix(shared, LatchMode.SHARED, FixMode.READ);
                PageHandle x = pool.fix(exclusive, LatchMode.EXCLUSIVE, FixMode.READ)) {
            x.frame().putLong(MARKER_OFFSET, 42);
            x.frame().putLong(InMemoryPageStore.PAGE_LSN_OFFSET, 11);
            x.markModified(10, 11);
            for (int i = 0; i < 20 * 16; i++) { // twenty turns of the hand
                touch(pool, page(2, i));
                pool.flushLru(2);
            }
            assertTrue(pool.isCached(shared));
            assertTrue(pool.isCached(exclusive));
            assertEquals(1, s.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET), "the fixed frame still holds its page");
            assertEquals(42, x.frame().getLong(MARKER_OFFSET));
            assertEquals(0, store.writes(exclusive).size(), "a fixed dirty page is not even written by eviction");
        }
        assertEquals(1, store.reads(shared));
        assertEquals(1, store.reads(exclusive));
        assertConsistent(pool);
    }

    @Test
    void anOptimisticHandleHoldsNoFixSoItsPageMayBeEvictedAndValidationThenFails() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageId id = page(1, 1);
        try (PageHandle h = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
            assertTrue(h.validate());
            for (int i = 0; i < 40; i++) {
                touch(pool, page(2, i));
            }
            assertFalse(pool.isCached(id));
            assertFalse(h.validate(), "the frame was reused: what the handle reads is not the page any more");
        }
    }

    @Test
    void theSweepMustTakeACleanPageBeforeWritingADirtyOne() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        fillInOrder(pool, 1, 16);
        for (int i = 0; i < 15; i++) {
            modify(pool, page(1, i), 100 + i, 10 + i, 10 + i);
        }
        touch(pool, page(2, 0));
        assertFalse(pool.isCached(page(1, 15)), "the only clean page goes");
        assertEquals(0, store.pagesWritten(), "no write while a clean page is within reach");
        for (int i = 0; i < 15; i++) {
            assertTrue(pool.isCached(page(1, i)));
        }
    }

    @Test
    void aDirtyCandidateMustBeWrittenAndFreedWhenNoCleanPageIsWithinTheScanDepth() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 2);
        fillInOrder(pool, 1, 16);
        for (int i = 0; i < 15; i++) {
            modify(pool, page(1, i), 100 + i, 10 + i, 10 + i);
        }
        touch(pool, page(2, 0));
        assertFalse(pool.isCached(page(1, 0)), "the first dirty candidate is written and its frame reused");
        assertEquals(100, storedMarker(page(1, 0)), "and it was written before its frame was reused");
        assertTrue(pool.isCached(page(1, 15)), "the clean page lies beyond the scan depth");
        assertEquals(List.of(), store.violations());
        assertConsistent(pool);
    }

    // ---------------------------------------------------------------------- waiting and waking

    @Test
    void aThreadWaitingForAFrameMustParkAndWakeWhenAFixIsReleased() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        List<PageHandle> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(pool.fix(page(1, i), LatchMode.SHARED, FixMode.READ));
        }
        FutureTask<Long> fixer = start("needs-a-frame", () -> {
            try (PageHandle h = pool.fix(page(2, 7), LatchMode.SHARED, FixMode.READ)) {
                return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
            }
        });
        awaitParked("needs-a-frame", fixer);
        assertFalse(fixer.isDone(), "every frame is fixed: nothing can be evicted");
        held.remove(3).close();
        assertEquals(7L, result(fixer), "releasing a fix must wake the waiting thread");
        assertFalse(pool.isCached(page(1, 3)), "the released page made room");
        for (PageHandle h : held) {
            h.close();
        }
        assertConsistent(pool);
    }

    @Test
    void aThreadWaitingForAFrameMustWakeWhenTheWriteOfTheOnlyCandidateEnds() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageId dirty = page(1, 0);
        modify(pool, dirty, 5, 10, 11);
        List<PageHandle> held = new ArrayList<>();
        for (int i = 1; i < 16; i++) {
            held.add(pool.fix(page(1, i), LatchMode.SHARED, FixMode.READ));
        }
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWrite = new CountDownLatch(1);
        AtomicBoolean gated = new AtomicBoolean();
        store.beforeWrite(w -> {
            if (w.pageId().equals(dirty) && gated.compareAndSet(false, true)) {
                writing.countDown();
                try {
                    assertTrue(finishWrite.await(BOUND.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        FutureTask<Long> flusher = start("flusher", () -> pool.flushList(1, Long.MAX_VALUE));
        assertTrue(writing.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        FutureTask<Long> fixer = start("needs-a-frame", () -> {
            try (PageHandle h = pool.fix(page(2, 9), LatchMode.SHARED, FixMode.READ)) {
                return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
            }
        });
        awaitParked("needs-a-frame", fixer);
        assertFalse(fixer.isDone(), "the only unfixed page is being written: it cannot be evicted yet");
        finishWrite.countDown();
        assertEquals(1L, result(flusher));
        assertEquals(9L, result(fixer), "the end of the write must wake the waiting thread");
        assertEquals(5, storedMarker(dirty));
        assertFalse(pool.isCached(dirty));
        for (PageHandle h : held) {
            h.close();
        }
        assertConsistent(pool);
    }

    // ------------------------------------------------------------------------------- shrink

    @Test
    void aShrinkMustWaitForFixedPagesInWithdrawnFramesAndWriteTheirChanges() throws Exception {
        ClockBufferPool pool = pool(32, 16, 1, 1024);
        fillInOrder(pool, 1, 32);
        PageId fixed = page(1, 20); // frame 20: the second chunk, which the shrink withdraws
        PageId dirtyUnfixed = page(1, 25);
        modify(pool, dirtyUnfixed, 250, 30, 31);
        PageHandle h = pool.fix(fixed, LatchMode.EXCLUSIVE, FixMode.READ);
        h.frame().putLong(MARKER_OFFSET, 200);
        h.frame().putLong(InMemoryPageStore.PAGE_LSN_OFFSET, 41);
        h.markModified(40, 41);
        FutureTask<Void> shrink = start("shrink", () -> {
            pool.resize(16L * PAGE);
            return null;
        });
        awaitParked("shrink", shrink);
        assertFalse(shrink.isDone(), "a fixed page in a withdrawn frame must hold the shrink back");
        assertEquals(250, storedMarker(dirtyUnfixed), "the unfixed dirty page was written meanwhile");
        assertEquals(32, pool.stats().totalFrames(), "the frames go only when the shrink completes");
        // A miss during the shrink must get a frame that stays: never a withdrawn one.
        touch(pool, page(2, 0));
        int frameIndex = pool.frameIndex(page(2, 0));
        assertTrue(frameIndex >= 0 && frameIndex < 16, "a miss during a shrink used withdrawn frame " + frameIndex);
        h.close();
        result(shrink);
        BufferPoolStats stats = pool.stats();
        assertEquals(16, stats.totalFrames());
        assertEquals(16L * PAGE, stats.sizeBytes());
        assertEquals(200, storedMarker(fixed), "the change made under the fix was written before its frame went");
        assertFalse(pool.isCached(fixed));
        assertEquals(0, stats.dirtyPages());
        assertConsistent(pool);
        assertEquals(200, readMarker(pool, fixed));
    }

    @Test
    void aGrowMustWakeAThreadWaitingForAFrame() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        List<PageHandle> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(pool.fix(page(1, i), LatchMode.SHARED, FixMode.READ));
        }
        FutureTask<Long> fixer = start("needs-a-frame", () -> {
            try (PageHandle h = pool.fix(page(2, 3), LatchMode.SHARED, FixMode.READ)) {
                return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
            }
        });
        awaitParked("needs-a-frame", fixer);
        pool.resize(32L * PAGE);
        assertEquals(3L, result(fixer), "new frames must wake the waiting thread");
        assertTrue(pool.frameIndex(page(2, 3)) >= 16);
        for (PageHandle h : held) {
            h.close();
        }
        assertConsistent(pool);
    }

    private static long readMarker(ClockBufferPool pool, PageId id) throws Exception {
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            return h.frame().getLong(MARKER_OFFSET);
        }
    }

    // ---------------------------------------------------------------------------- dirty pages

    @Test
    void aPageChangedWhileItsCopyIsWrittenMustStayDirtyFromThatChange() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageId id = page(1, 1);
        modify(pool, id, 1, 10, 11);
        AtomicBoolean once = new AtomicBoolean();
        store.beforeWrite(w -> {
            if (w.pageId().equals(id) && once.compareAndSet(false, true)) {
                // The writer holds no latch now, so a mini-transaction may change the page.
                FutureTask<Void> change = start("changer", () -> {
                    modify(pool, id, 2, 20, 21);
                    return null;
                });
                try {
                    result(change);
                } catch (Exception e) {
                    throw new AssertionError("the change during the write failed", e);
                }
            }
        });
        assertEquals(1, pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE), "written once per call, not again and again");
        assertEquals(1, storedMarker(id), "the write carried the copy taken before the change");
        assertEquals(1, pool.stats().dirtyPages(), "the change is not on disk: the page must stay dirty");
        assertEquals(20, pool.oldestModificationLsn(), "dirty from the change made during the write, not before");
        assertEquals(1, pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(2, storedMarker(id));
        assertEquals(0, pool.stats().dirtyPages());
        assertEquals(List.of(), store.violations());
    }

    /** Latches a page exclusively on its own thread until the returned latch is counted down. */
    private CountDownLatch holdExclusively(ClockBufferPool pool, PageId id, String name) throws Exception {
        CountDownLatch latched = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(name, () -> {
            try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                latched.countDown();
                assertTrue(release.await(BOUND.toSeconds(), TimeUnit.SECONDS));
            }
            return null;
        });
        assertTrue(latched.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        return release;
    }

    @Test
    void flushListMustWriteWhatItCopiedBeforeWaitingForALatchedPage() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageId free = page(1, 1);
        PageId latched = page(1, 2);
        modify(pool, free, 1, 10, 11);
        modify(pool, latched, 2, 20, 21);
        CountDownLatch release = holdExclusively(pool, latched, "holder");
        FutureTask<Long> flusher = start("flusher", () -> pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE));
        awaitParked("flusher", flusher);
        assertTrue(store.await(() -> storedMarker(free) == 1, BOUND), "the unlatched page must not wait for the other");
        assertEquals(0, storedMarker(latched));
        assertFalse(flusher.isDone(), "a flush-list flush waits for a latched page");
        release.countDown();
        assertEquals(2L, result(flusher));
        assertEquals(2, storedMarker(latched));
        assertEquals(0, pool.stats().dirtyPages());
    }

    @Test
    void aFailedWriteBeforeWaitingForALatchedPageMustLeaveNoWriteInProgress() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        store.strictWriteAhead(true); // redo durable to LSN 0: every write fails
        modify(pool, page(1, 1), 1, 10, 11);
        modify(pool, page(1, 2), 2, 20, 21);
        CountDownLatch release = holdExclusively(pool, page(1, 2), "holder");
        assertThrows(java.io.IOException.class, () -> pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE));
        BufferPoolStats stats = pool.stats();
        assertEquals(0, stats.pendingWrites(), "the latched page's write began and must have been given up");
        assertEquals(2, stats.dirtyPages());
        release.countDown();
        store.durableLsn(100);
        assertEquals(2, pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE));
        assertConsistent(pool);
    }

    @Test
    void changesMarkedOutOfLsnOrderMustKeepTheOldestStartLsn() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        modify(pool, page(1, 1), 1, 100, 110);
        modify(pool, page(1, 2), 1, 70, 80);
        modify(pool, page(1, 1), 2, 50, 120); // recovery may apply an older change later
        assertEquals(50, pool.oldestModificationLsn());
        assertEquals(1, pool.flushList(1, Long.MAX_VALUE));
        assertEquals(List.of(page(1, 1)), store.writes().stream().map(w -> w.pageId()).toList(),
                "the flush list must order by the corrected oldest LSN");
        assertEquals(120, store.writes().get(0).newestModificationLsn());
    }

    // ----------------------------------------------------------------------- geometry, handles

    @Test
    void framesMustHonourAnAlignmentLargerThan4096() throws Exception {
        int pageBytes = 16384;
        InMemoryPageStore bigPages = new InMemoryPageStore(pageBytes);
        ClockBufferPool pool = new ClockBufferPool(new BufferPoolConfig(8L * pageBytes, 4L * pageBytes, pageBytes, 2,
                pageBytes, 37, 1000, 1024, 0), bigPages);
        pools.add(pool);
        for (int i = 0; i < 8; i++) {
            try (PageHandle h = pool.fix(page(1, 64L * i), LatchMode.SHARED, FixMode.READ)) {
                assertEquals(0, h.frame().alignmentOffset(0, pageBytes), "frame of page " + 64 * i);
                assertEquals(pageBytes, h.frame().capacity());
            }
        }
    }

    @Test
    void anExtentMustMapToOneInstanceAndExtentsMustSpreadOverAllInstances() {
        ClockBufferPool pool = pool(128, 16, 8, 1024);
        Set<Integer> used = new HashSet<>();
        for (int extent = 0; extent < 64; extent++) {
            int first = pool.instanceIndex(page(3, extent * 64L));
            for (int p = 1; p < 64; p++) {
                assertEquals(first, pool.instanceIndex(page(3, extent * 64L + p)), "extent " + extent);
            }
            used.add(first);
        }
        assertEquals(8, used.size(), "64 extents must reach every one of 8 instances: " + used);
        assertEquals(8, pool.flushPartitions());
    }

    @Test
    void aClosedHandleMustRefuseItsFrameAndCloseAgainQuietly() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageHandle h = pool.fix(page(1, 1), LatchMode.EXCLUSIVE, FixMode.READ);
        h.close();
        assertThrows(IllegalStateException.class, h::frame);
        assertThrows(IllegalStateException.class, () -> h.markModified(1, 2));
        h.close();
        try (PageHandle again = pool.fix(page(1, 1), LatchMode.EXCLUSIVE, FixMode.IF_CACHED)) {
            assertNotNull(again, "the single close released latch and fix");
        }
        assertConsistent(pool);
    }

    @Test
    void aFrameMustNotReturnToTheFreeListWhileAThreadWaitingForItsFailedReadStillHoldsIt() throws Exception {
        ClockBufferPool pool = pool(16, 16, 1, 1024);
        PageId id = page(1, 4);
        store.corruptPage(id);
        InMemoryPageStore.ReadGate gate = store.gateRead(id);
        FutureTask<Void> first = start("first-reader", () -> {
            pool.fix(id, LatchMode.SHARED, FixMode.READ).close();
            return null;
        });
        assertTrue(gate.awaitStarted(BOUND));
        FutureTask<Void> second = start("second-reader", () -> {
            pool.fix(id, LatchMode.SHARED, FixMode.READ).close();
            return null;
        });
        awaitParked("second-reader", second);
        gate.open();
        assertThrows(java.util.concurrent.ExecutionException.class, () -> result(first));
        assertThrows(java.util.concurrent.ExecutionException.class, () -> result(second),
                "the waiter retries the read itself and fails the same way");
        assertEquals(16, pool.stats().freeFrames());
        assertConsistent(pool);
    }
}
