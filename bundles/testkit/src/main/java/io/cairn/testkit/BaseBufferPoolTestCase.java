package io.cairn.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.config.InvalidSettingException;
import io.cairn.engine.CorruptPageException;
import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.flush.DirtyPageHistogram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BufferPool} as tests. A pool passes by extending this class and
 * implementing {@link #newPool(BufferPoolConfig, PageStore)}:
 *
 * <pre>{@code
 * class MyBufferPoolTest extends BaseBufferPoolTestCase {
 *     protected BufferPool newPool(BufferPoolConfig config, PageStore store) { return new MyBufferPool(config, store); }
 * }
 * }</pre>
 *
 * <p>Every test runs against an {@link InMemoryPageStore} that records reads and writes and checks
 * the write-ahead rule. Pages are 4 KiB; geometries are small so that eviction happens at once.
 * Nothing here sleeps to synchronize: blocked threads are recognised by their thread state, and
 * asynchronous effects are awaited on the store's notifications, each with a generous bound that
 * only matters when the pool is broken. Randomised tests print their seed; set
 * {@code -Dcairn.testkit.seed=N} to replay one.
 *
 * <p>Hooks for legitimate differences: {@link #supportsScanResistance()} and
 * {@link #supportsReadAhead()}; tests that do not apply are skipped with a reason.
 */
public abstract class BaseBufferPoolTestCase {

    /** The page size of every kit test. */
    protected static final int PAGE = 4096;
    /** Frames per chunk in the kit's geometries. */
    protected static final int CHUNK_FRAMES = 16;
    /** Where the kit keeps a counter in its pages, and a copy of it (a torn update shows as a difference). */
    protected static final int COUNTER_OFFSET = 64;
    protected static final int COUNTER_COPY_OFFSET = 2048;
    /** Where the kit puts markers. */
    protected static final int MARKER_OFFSET = 128;

    private static final Duration BOUND = Duration.ofSeconds(30);

    /** The store of the current test. */
    protected InMemoryPageStore store;

    private final List<BufferPool> pools = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private long seed;

    /** Creates the pool under test. */
    protected abstract BufferPool newPool(BufferPoolConfig config, PageStore store) throws Exception;

    /** Whether the pool keeps a hot working set through a one-time scan (LRU with midpoint insertion, CLOCK-Pro, ...). */
    protected boolean supportsScanResistance() {
        return true;
    }

    /** Whether the pool does linear read-ahead when {@link BufferPoolConfig#readAheadThreshold()} is above 0. */
    protected boolean supportsReadAhead() {
        return true;
    }

    @BeforeEach
    void createStore() {
        seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        store = new InMemoryPageStore(PAGE);
    }

    @AfterEach
    void closePoolsAndStopWorkers() throws InterruptedException {
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
        for (BufferPool pool : pools) {
            pool.close();
        }
    }

    // ------------------------------------------------------------------------------ helpers

    /**
     * A kit geometry: {@code frames} 4 KiB frames in chunks of {@value #CHUNK_FRAMES} frames (or
     * one chunk per instance if fewer), InnoDB's LRU defaults, read-ahead off.
     */
    protected static BufferPoolConfig config(int frames, int instances) {
        int chunkFrames = Math.min(CHUNK_FRAMES, frames / instances);
        return new BufferPoolConfig((long) frames * PAGE, (long) chunkFrames * PAGE, PAGE, instances, 4096, 37, 1000,
                1024, 0);
    }

    protected static BufferPoolConfig withOldBlocksTime(BufferPoolConfig c, long millis) {
        return new BufferPoolConfig(c.sizeBytes(), c.chunkSizeBytes(), c.pageSizeBytes(), c.instances(),
                c.frameAlignmentBytes(), c.oldBlocksPct(), millis, c.lruScanDepth(), c.readAheadThreshold());
    }

    protected static BufferPoolConfig withReadAhead(BufferPoolConfig c, int threshold) {
        return new BufferPoolConfig(c.sizeBytes(), c.chunkSizeBytes(), c.pageSizeBytes(), c.instances(),
                c.frameAlignmentBytes(), c.oldBlocksPct(), c.oldBlocksTimeMillis(), c.lruScanDepth(), threshold);
    }

    /** Creates a pool on the test's store and closes it after the test. */
    protected BufferPool open(BufferPoolConfig config) throws Exception {
        BufferPool pool = newPool(config, store);
        pools.add(pool);
        return pool;
    }

    protected static PageId page(int spaceId, long pageNo) {
        return new PageId(spaceId, pageNo);
    }

    /** Fixes a page for reading, reads its counter and releases it. */
    protected static long readCounter(BufferPool pool, PageId id) throws IOException {
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            return h.frame().getLong(COUNTER_OFFSET);
        }
    }

    /**
     * Changes a page as a mini-transaction would: under an exclusive latch writes {@code marker}
     * and the page LSN {@code endLsn}, then marks it modified from {@code startLsn}.
     */
    protected static void modify(BufferPool pool, PageId id, long marker, long startLsn, long endLsn) throws IOException {
        try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
            ByteBuffer frame = h.frame();
            frame.putLong(MARKER_OFFSET, marker);
            frame.putLong(InMemoryPageStore.PAGE_LSN_OFFSET, endLsn);
            h.markModified(startLsn, endLsn);
        }
    }

    protected static long marker(BufferPool pool, PageId id) throws IOException {
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            return h.frame().getLong(MARKER_OFFSET);
        }
    }

    protected static long storedMarker(InMemoryPageStore store, PageId id) {
        byte[] content = store.stored(id);
        return content == null ? 0 : ByteBuffer.wrap(content).getLong(MARKER_OFFSET);
    }

    /** A task on its own thread, so that the kit can see whether it blocks. */
    protected final class Worker<T> {
        private final FutureTask<T> task;
        private final Thread thread;

        private Worker(String name, Callable<T> body) {
            this.task = new FutureTask<>(body);
            this.thread = new Thread(task, name);
            this.thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }

        public T get() throws Exception {
            try {
                return task.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish within " + BOUND + "; "
                        + Thread.currentThread().getName() + " sees it " + thread.getState(), e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }

        public boolean isDone() {
            return task.isDone();
        }

        /**
         * Waits until the worker is blocked (WAITING, TIMED_WAITING or BLOCKED) or done. A pool that
         * spins instead of blocking fails here.
         */
        public void awaitBlockedOrDone(String what) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!task.isDone()) {
                Thread.State state = thread.getState();
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.BLOCKED) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    fail(thread.getName() + " neither blocked nor finished within " + BOUND + " while " + what
                            + " (state " + state + "): the pool must wait, not spin");
                }
                Thread.onSpinWait();
            }
        }
    }

    protected <T> Worker<T> start(String name, Callable<T> body) {
        return new Worker<>(name, body);
    }

    /** Waits (by polling the pool's own state, yielding) until {@code condition} holds, bounded. */
    protected static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not reached within " + BOUND + ": " + what);
            }
            Thread.yield();
        }
    }

    /** The seed of this test's randomness, for failure messages. */
    protected String seedMessage() {
        return "seed " + seed + " (replay with -Dcairn.testkit.seed=" + seed + ")";
    }

    protected long seed() {
        return seed;
    }

    private static void assertFramesAccountedFor(BufferPoolStats stats) {
        assertEquals(stats.totalFrames(), stats.freeFrames() + stats.lruPages(),
                "every frame must be free or hold a page: " + stats);
    }

    // ------------------------------------------------------------------------- configuration

    @Test
    void invalidConfigurationsMustBeRejectedNamingTheField() {
        BufferPoolConfig ok = config(32, 1);
        assertInvalid("pageSizeBytes", 5000, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), 5000, 1, 4096, 37, 1000, 1024, 0));
        assertInvalid("pageSizeBytes", 2048, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), 2048, 1, 4096, 37, 1000, 1024, 0));
        assertInvalid("pageSizeBytes", 131072, new BufferPoolConfig(1L << 24, 1L << 20, 131072, 1, 4096, 37, 1000, 1024, 0));
        assertInvalid("frameAlignmentBytes", 1000, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 1000, 37, 1000, 1024, 0));
        assertInvalid("frameAlignmentBytes", 2048, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 2048, 37, 1000, 1024, 0));
        assertInvalid("chunkSizeBytes", 1000, new BufferPoolConfig(ok.sizeBytes(), 1000, PAGE, 1, 4096, 37, 1000, 1024, 0));
        assertInvalid("instances", 0, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 0, 4096, 37, 1000, 1024, 0));
        assertInvalid("instances", 65, new BufferPoolConfig(1L << 30, 1L << 16, PAGE, 65, 4096, 37, 1000, 1024, 0));
        assertInvalid("sizeBytes", 4096, new BufferPoolConfig(4096, ok.chunkSizeBytes(), PAGE, 1, 4096, 37, 1000, 1024, 0));
        assertInvalid("oldBlocksPct", 2, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 4096, 2, 1000, 1024, 0));
        assertInvalid("oldBlocksPct", 99, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 4096, 99, 1000, 1024, 0));
        assertInvalid("oldBlocksTimeMillis", -1, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 4096, 37, -1, 1024, 0));
        assertInvalid("lruScanDepth", 0, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 4096, 37, 1000, 0, 0));
        assertInvalid("readAheadThreshold", 65, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 4096, 37, 1000, 1024, 65));
        assertInvalid("readAheadThreshold", -1, new BufferPoolConfig(ok.sizeBytes(), ok.chunkSizeBytes(), PAGE, 1, 4096, 37, 1000, 1024, -1));
    }

    private void assertInvalid(String key, long value, BufferPoolConfig config) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> open(config), key + "=" + value);
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(String.valueOf(value), e.value(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
    }

    @Test
    void geometryMustFollowTheConfigurationRoundedDownToWholeChunks() throws Exception {
        BufferPoolConfig base = config(64, 2);
        BufferPool pool = open(new BufferPoolConfig(base.sizeBytes() + 5000, base.chunkSizeBytes(), PAGE, 2, 4096, 37,
                1000, 1024, 0));
        BufferPoolStats stats = pool.stats();
        assertEquals(PAGE, pool.pageSizeBytes());
        assertEquals(64L * PAGE, stats.sizeBytes());
        assertEquals(PAGE, stats.pageSizeBytes());
        assertEquals(2, stats.instances());
        assertEquals(64, stats.totalFrames());
        assertEquals(64, stats.freeFrames());
        assertEquals(0, stats.lruPages());
        assertEquals(0, stats.dirtyPages());
        assertEquals(0, stats.hits() + stats.misses() + stats.pagesRead() + stats.pagesWritten());
        assertEquals(1.0, stats.hitRate());
    }

    @Test
    void framesMustBeDirectAlignedPageSizedAndWritableOnlyUnderAnExclusiveLatch() throws Exception {
        BufferPool pool = open(config(32, 1));
        for (LatchMode mode : LatchMode.values()) {
            try (PageHandle h = pool.fix(page(1, 3), mode, FixMode.READ)) {
                ByteBuffer frame = h.frame();
                assertTrue(frame.isDirect(), mode + " frame must be direct");
                assertEquals(0, frame.position());
                assertEquals(PAGE, frame.limit());
                assertEquals(0, frame.alignmentOffset(0, 4096), mode + " frame must be 4096-aligned");
                assertEquals(page(1, 3), h.pageId());
                assertEquals(mode, h.latchMode());
                if (mode == LatchMode.EXCLUSIVE) {
                    assertFalse(frame.isReadOnly());
                } else {
                    assertThrows(ReadOnlyBufferException.class, () -> frame.putLong(0, 1), mode.toString());
                }
                assertEquals(3, frame.getLong(InMemoryPageStore.PAGE_NO_OFFSET));
            }
        }
    }

    // ---------------------------------------------------------------------- fixing and reading

    @Test
    void aMissMustReadThePageOnceAndTheNextFixMustHit() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(7, 11);
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            assertArrayEquals(InMemoryPageStore.formatted(id, PAGE), bytes(h.frame()));
        }
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            assertEquals(11, h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        }
        assertEquals(1, store.reads(id));
        BufferPoolStats stats = pool.stats();
        assertEquals(1, stats.hits());
        assertEquals(1, stats.misses());
        assertEquals(1, stats.pagesRead());
        assertEquals(0.5, stats.hitRate());
        assertEquals(1, stats.lruPages());
        assertFramesAccountedFor(stats);
    }

    @Test
    void concurrentFixesOfAMissingPageMustReadItOnce() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 3);
        InMemoryPageStore.ReadGate gate = store.gateRead(id);
        int threads = 6;
        java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(threads);
        List<Worker<Long>> fixers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            fixers.add(start("fixer-" + i, () -> {
                arrived.countDown();
                try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                    return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
                }
            }));
        }
        assertTrue(gate.awaitStarted(BOUND), "one fixer must start reading the page");
        assertTrue(arrived.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        for (Worker<Long> fixer : fixers) {
            fixer.awaitBlockedOrDone("fixing a page whose read is in progress");
        }
        gate.open();
        for (Worker<Long> fixer : fixers) {
            assertEquals(3L, fixer.get());
        }
        assertEquals(1, store.reads(id), "the page must be read once");
        BufferPoolStats stats = pool.stats();
        assertEquals(1, stats.misses());
        assertEquals(threads - 1, stats.hits());
    }

    @Test
    void ifCachedMustNeverReadButMustFindCachedPages() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(2, 9);
        assertNull(pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED));
        assertEquals(0, store.reads(id));
        pool.fix(id, LatchMode.SHARED, FixMode.READ).close();
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED)) {
            assertNotNull(h);
            assertEquals(9, h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        }
        assertEquals(1, store.reads(id));
        assertFramesAccountedFor(pool.stats());
    }

    @Test
    void aBackgroundFixOfADroppedTablespaceMustReturnNullQuietly() throws Exception {
        BufferPool pool = open(config(32, 1));
        store.dropTablespace(5);
        assertNull(pool.fix(page(5, 1), LatchMode.SHARED, FixMode.BACKGROUND));
        assertEquals(1, store.skippedBackgroundReads());
        BufferPoolStats stats = pool.stats();
        assertEquals(32, stats.freeFrames(), "the frame of a skipped read must be free again");
        assertEquals(0, stats.pendingReads());
        assertNull(pool.fix(page(5, 1), LatchMode.SHARED, FixMode.IF_CACHED));
        try (PageHandle h = pool.fix(page(6, 1), LatchMode.SHARED, FixMode.BACKGROUND)) {
            assertNotNull(h, "a background fix of a live tablespace reads the page");
        }
    }

    @Test
    void aForegroundFixOfADroppedTablespaceMustThrowNoSuchTablespace() throws Exception {
        BufferPool pool = open(config(32, 1));
        store.dropTablespace(5);
        assertThrows(NoSuchTablespaceException.class, () -> pool.fix(page(5, 1), LatchMode.SHARED, FixMode.READ));
        BufferPoolStats stats = pool.stats();
        assertEquals(32, stats.freeFrames());
        assertEquals(0, stats.pendingReads());
        assertNull(pool.fix(page(5, 1), LatchMode.SHARED, FixMode.IF_CACHED));
    }

    @Test
    void aCorruptPageMustFailTheFixAndMustNotBeCached() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 4);
        store.corruptPage(id);
        CorruptPageException e = assertThrows(CorruptPageException.class,
                () -> pool.fix(id, LatchMode.SHARED, FixMode.READ));
        assertEquals(4, e.pageNo());
        assertNull(pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED));
        store.repairPage(id);
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            assertEquals(4, h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        }
        assertFramesAccountedFor(pool.stats());
    }

    @Test
    void createMustGiveAZeroedExclusiveFrameWithoutReading() throws Exception {
        BufferPool pool = open(config(32, 1));
        assertThrows(IllegalArgumentException.class, () -> pool.fix(page(1, 1), LatchMode.SHARED, FixMode.CREATE));
        try (PageHandle h = pool.fix(page(1, 1), LatchMode.EXCLUSIVE, FixMode.CREATE)) {
            assertEquals(LatchMode.EXCLUSIVE, h.latchMode());
            assertArrayEquals(new byte[PAGE], bytes(h.frame()));
            h.frame().putLong(MARKER_OFFSET, 77);
            h.markModified(10, 11);
        }
        assertEquals(0, store.reads(page(1, 1)), "a created page is not read");
        assertEquals(77, marker(pool, page(1, 1)));
        modify(pool, page(1, 2), 5, 20, 21);
        try (PageHandle h = pool.fix(page(1, 2), LatchMode.EXCLUSIVE, FixMode.CREATE)) {
            assertArrayEquals(new byte[PAGE], bytes(h.frame()), "re-creating a cached page zeroes it");
        }
    }

    // ---------------------------------------------------------------------------------- latches

    @Test
    void sharedLatchesMustBeHeldConcurrently() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        try (PageHandle mine = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            Worker<Long> other = start("reader", () -> {
                try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                    return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
                }
            });
            assertEquals(1L, other.get(), "a second shared latch must not wait for the first");
            assertEquals(1, mine.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
        }
    }

    @Test
    void anExclusiveLatchMustExcludeSharedAndExclusiveLatches() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        for (LatchMode waiting : new LatchMode[] {LatchMode.SHARED, LatchMode.EXCLUSIVE}) {
            long value = waiting.ordinal() + 41;
            Worker<Long> other;
            try (PageHandle mine = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                other = start(waiting + "-waiter", () -> {
                    try (PageHandle h = pool.fix(id, waiting, FixMode.READ)) {
                        return h.frame().getLong(MARKER_OFFSET);
                    }
                });
                other.awaitBlockedOrDone("fixing " + waiting + " a page latched exclusively");
                assertFalse(other.isDone(), waiting + " must wait while the page is latched exclusively");
                mine.frame().putLong(MARKER_OFFSET, value);
            }
            assertEquals(value, other.get(), "the waiter must see the writer's complete change");
        }
    }

    @Test
    void aSharedLatchMustExcludeAnExclusiveLatch() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        Worker<Void> writer;
        try (PageHandle mine = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            writer = start("writer", () -> {
                try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                    h.frame().putLong(MARKER_OFFSET, 1);
                }
                return null;
            });
            writer.awaitBlockedOrDone("latching exclusively a page latched shared");
            assertFalse(writer.isDone(), "an exclusive latch must wait for shared holders");
            assertEquals(0, mine.frame().getLong(MARKER_OFFSET));
        }
        writer.get();
    }

    @Test
    void closingAHandleTwiceMustReleaseItOnce() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        PageHandle first = pool.fix(id, LatchMode.SHARED, FixMode.READ);
        PageHandle second = pool.fix(id, LatchMode.SHARED, FixMode.READ);
        first.close();
        first.close();
        Worker<Void> writer = start("writer", () -> {
            pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ).close();
            return null;
        });
        writer.awaitBlockedOrDone("latching exclusively while one shared handle is open");
        assertFalse(writer.isDone(), "the second shared handle still holds the page");
        second.close();
        writer.get();
    }

    @Test
    void optimisticValidationMustFailAfterAConcurrentWrite() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        try (PageHandle optimistic = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
            long before = optimistic.frame().getLong(MARKER_OFFSET);
            assertTrue(optimistic.validate());
            start("writer", () -> {
                modify(pool, id, before + 1, 5, 6);
                return null;
            }).get();
            optimistic.frame().getLong(MARKER_OFFSET);
            assertFalse(optimistic.validate(), "a write since the fix must fail validation");
        }
        try (PageHandle again = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
            assertEquals(1, again.frame().getLong(MARKER_OFFSET));
            assertTrue(again.validate(), "a fresh optimistic fix sees the write and validates");
        }
    }

    @Test
    void optimisticValidationMustSucceedWhenOnlyReadersIntervened() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        try (PageHandle optimistic = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
            assertEquals(1, optimistic.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET));
            start("reader", () -> {
                pool.fix(id, LatchMode.SHARED, FixMode.READ).close();
                pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ).close();
                return null;
            }).get();
            assertTrue(optimistic.validate());
            try (PageHandle shared = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                assertTrue(shared.validate(), "validate is always true for latched handles");
            }
            assertTrue(optimistic.validate());
        }
    }

    // ------------------------------------------------------------------------ dirty pages, flushing

    @Test
    void markModifiedMustRequireAnExclusiveLatchAndRecordTheNewestLsn() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        for (LatchMode mode : new LatchMode[] {LatchMode.SHARED, LatchMode.OPTIMISTIC}) {
            try (PageHandle h = pool.fix(id, mode, FixMode.READ)) {
                assertThrows(IllegalStateException.class, () -> h.markModified(1, 2), mode.toString());
            }
        }
        modify(pool, id, 1, 100, 150);
        modify(pool, id, 2, 160, 170);
        try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
            assertEquals(170, h.newestModificationLsn());
        }
        assertEquals(100, pool.oldestModificationLsn(), "a dirty page keeps its first oldest LSN");
        assertEquals(1, pool.stats().dirtyPages());
    }

    @Test
    void dirtyPagesMustBeFlushedOldestModificationFirst() throws Exception {
        BufferPool pool = open(config(64, 2));
        SplittableRandom random = new SplittableRandom(seed());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(random.nextLong()));
        Map<PageId, Long> oldest = new HashMap<>();
        for (int i : order) {
            long start = 100L * (i + 1);
            PageId id = page(1 + i % 2, 70L * i); // both instances
            modify(pool, id, i, start, start + 10);
            oldest.put(id, start);
        }
        assertEquals(100, pool.oldestModificationLsn(), seedMessage());
        assertEquals(20, pool.stats().dirtyPages());
        long previous = 0;
        for (int i = 0; i < 20; i++) {
            assertEquals(1, pool.flushList(1, Long.MAX_VALUE), seedMessage());
            List<InMemoryPageStore.WriteRecord> writes = store.writes();
            long written = oldest.get(writes.get(writes.size() - 1).pageId());
            assertTrue(written > previous, "page with oldest LSN " + written + " written after " + previous + "; "
                    + seedMessage());
            previous = written;
        }
        assertEquals(0, pool.oldestModificationLsn());
        assertEquals(0, pool.stats().dirtyPages());
        assertEquals(0, pool.flushList(10, Long.MAX_VALUE));
    }

    @Test
    void flushListMustWriteOnlyPagesBelowTheLsnLimit() throws Exception {
        BufferPool pool = open(config(32, 1));
        modify(pool, page(1, 1), 1, 10, 11);
        modify(pool, page(1, 2), 2, 20, 21);
        modify(pool, page(1, 3), 3, 30, 31);
        assertEquals(0, pool.flushList(0, Long.MAX_VALUE));
        assertEquals(2, pool.flushList(100, 25));
        assertEquals(List.of(page(1, 1), page(1, 2)), store.writes().stream().map(w -> w.pageId()).toList());
        assertEquals(30, pool.oldestModificationLsn());
        assertEquals(0, pool.flushList(100, 30), "the limit is exclusive");
        assertEquals(1, pool.stats().dirtyPages());
        assertEquals(1, pool.flushList(100, 31));
        assertEquals(3, storedMarker(store, page(1, 3)));
    }

    @Test
    void cachedPagesMustListEveryCachedPageOnceAndALimitMustTakeTheFrontOfThatList() throws Exception {
        BufferPool pool = open(config(64, 2));
        assertThrows(IllegalArgumentException.class, () -> pool.cachedPages(-1));
        List<PageId> loaded = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PageId id = page(1 + i % 2, 64L * i);
            readCounter(pool, id);
            loaded.add(id);
        }
        List<PageId> all = pool.cachedPages(Integer.MAX_VALUE);
        if (all.isEmpty()) {
            return; // the pool does not offer the capability: its successor starts cold, which is allowed
        }
        assertEquals(all.size(), new java.util.HashSet<>(all).size(), "a page listed twice: " + all);
        assertTrue(loaded.containsAll(all), "listed pages that were never read: " + all);
        assertEquals(loaded.size(), all.size(), "every page read (the pool has room for all) must be listed");
        assertEquals(all.subList(0, 5), pool.cachedPages(5), "a limit takes the front of the same order");
        assertEquals(List.of(), pool.cachedPages(0));
    }

    @Test
    void flushPartitionsMustTogetherWriteEveryDirtyPageExactlyOnceWhenFlushedInParallel() throws Exception {
        BufferPool pool = open(config(256, 4));
        int partitions = pool.flushPartitions();
        assertTrue(partitions >= 1, "flushPartitions() must be at least 1, was " + partitions);
        int dirty = 96;
        for (int i = 0; i < dirty; i++) {
            modify(pool, page(1 + i % 3, 64L * i + i % 7), i, 10 + 2L * i, 11 + 2L * i); // every instance
        }
        List<Worker<Long>> flushers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            flushers.add(start("flush-partition-" + p, () -> pool.flushList(partition, Long.MAX_VALUE, Long.MAX_VALUE)));
        }
        long written = 0;
        for (Worker<Long> flusher : flushers) {
            written += flusher.get();
        }
        assertEquals(dirty, written, "the partitions' flushes together must write every dirty page");
        assertEquals(dirty, store.writes().stream().map(w -> w.pageId()).distinct().count(),
                "every page once, none twice: " + store.writes().size() + " writes");
        assertEquals(0, pool.stats().dirtyPages());
        assertEquals(0, pool.oldestModificationLsn());
    }

    @Test
    void partitionFlushesOneAfterAnotherMustEachWriteOldestFirstAndTogetherEveryPageOnce() throws Exception {
        BufferPool pool = open(config(256, 4));
        int partitions = pool.flushPartitions();
        int dirty = 64;
        for (int i = 0; i < dirty; i++) {
            modify(pool, page(1 + i % 2, 64L * i), i, 1000 - 10L * i, 1001 - 10L * i); // newest first
        }
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            int before = store.writes().size();
            long written = pool.flushList(p, Long.MAX_VALUE, Long.MAX_VALUE);
            List<InMemoryPageStore.WriteRecord> mine = store.writes().subList(before, store.writes().size());
            assertEquals(written, mine.size());
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i - 1).newestModificationLsn() < mine.get(i).newestModificationLsn(),
                        "partition " + p + " wrote " + mine.get(i).pageId() + " after the newer " + mine.get(i - 1).pageId());
            }
            assertEquals(0, pool.flushList(p, Long.MAX_VALUE, Long.MAX_VALUE),
                    "partition " + p + " flushed to the limit has nothing left");
            total += written;
            assertEquals(dirty - total, pool.stats().dirtyPages(), "the other partitions' pages stay dirty");
        }
        assertEquals(dirty, total);
        assertEquals(dirty, store.writes().size(), "no page written by two partitions");
    }

    @Test
    void flushLruOfEveryPartitionMustTogetherFreeFrames() throws Exception {
        BufferPool pool = open(config(64, 4));
        for (int i = 0; i < 64; i++) {
            modify(pool, page(1 + i % 3, 64L * i), i, 10 + 2L * i, 11 + 2L * i);
        }
        long freeBefore = pool.stats().freeFrames();
        long freed = 0;
        for (int p = 0; p < pool.flushPartitions(); p++) {
            freed += pool.flushLru(p, 4);
        }
        assertTrue(freed >= Math.min(4, pool.flushPartitions() * 4L), "freed " + freed);
        assertEquals(freeBefore + freed, pool.stats().freeFrames());
        for (int i = 0; i < 64; i++) {
            PageId id = page(1 + i % 3, 64L * i);
            assertEquals(i, marker(pool, id), "a freed dirty page must have been written first: " + id);
        }
    }

    @Test
    void aFlushPartitionOutsideTheRangeMustBeRefusedNamingTheRange() throws Exception {
        BufferPool pool = open(config(64, 2));
        int partitions = pool.flushPartitions();
        for (int bad : new int[] {-1, partitions}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.flushList(bad, 1, Long.MAX_VALUE));
            assertTrue(e.getMessage().contains(String.valueOf(bad)) && e.getMessage().contains("0 to " + (partitions - 1)),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.flushLru(bad, 1));
        }
    }

    @Test
    void writesMustCarryTheNewestLsnSoTheStoreCanKeepTheWriteAheadRule() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 1);
        modify(pool, id, 1, 5, 50);
        modify(pool, id, 2, 60, 70);
        assertEquals(1, pool.flushList(10, Long.MAX_VALUE));
        InMemoryPageStore.WriteRecord write = store.writes(id).get(0);
        assertEquals(70, write.newestModificationLsn());
        assertTrue(write.durableLsnAtWrite() >= 70);
        assertEquals(2, ByteBuffer.wrap(write.content()).getLong(MARKER_OFFSET));
        assertEquals(List.of(), store.violations());
        assertEquals(1, pool.stats().pagesWritten());
    }

    @Test
    void aFailedWriteMustLeaveThePageDirty() throws Exception {
        BufferPool pool = open(config(32, 1));
        store.strictWriteAhead(true);
        modify(pool, page(1, 1), 1, 10, 20);
        assertThrows(IOException.class, () -> pool.flushList(10, Long.MAX_VALUE));
        BufferPoolStats stats = pool.stats();
        assertEquals(1, stats.dirtyPages());
        assertEquals(0, stats.pendingWrites());
        assertEquals(10, pool.oldestModificationLsn());
        store.durableLsn(20);
        assertEquals(1, pool.flushList(10, Long.MAX_VALUE));
        assertEquals(0, pool.stats().dirtyPages());
    }

    @Test
    void evictionMustWriteDirtyPagesBeforeReusingTheirFrames() throws Exception {
        BufferPool pool = open(config(16, 1));
        for (int i = 0; i < 16; i++) {
            modify(pool, page(1, i), 1000 + i, 10 + 2 * i, 11 + 2 * i);
        }
        // Holding every new page fixed leaves the dirty pages as the only way to get frames.
        List<PageHandle> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(pool.fix(page(2, i), LatchMode.SHARED, FixMode.READ));
        }
        for (int i = 0; i < 16; i++) {
            assertNull(pool.fix(page(1, i), LatchMode.SHARED, FixMode.IF_CACHED));
            assertEquals(1000 + i, storedMarker(store, page(1, i)), "page " + i + " must be written before eviction");
        }
        for (PageHandle h : held) {
            h.close();
        }
        for (int i = 0; i < 16; i++) {
            assertEquals(1000 + i, marker(pool, page(1, i)), "page " + i + " must read back its change");
        }
        assertTrue(pool.stats().pagesWritten() >= 16);
        assertEquals(List.of(), store.violations());
        assertFramesAccountedFor(pool.stats());
    }

    @Test
    void flushLruMustFreeFramesWritingDirtyOnesFirst() throws Exception {
        BufferPool pool = open(config(16, 1));
        for (int i = 0; i < 16; i++) {
            modify(pool, page(1, i), 500 + i, 10 + i, 10 + i);
        }
        assertEquals(0, pool.stats().freeFrames());
        assertEquals(4, pool.flushLru(4));
        BufferPoolStats stats = pool.stats();
        assertEquals(4, stats.freeFrames());
        assertEquals(12, stats.dirtyPages());
        int written = 0;
        for (int i = 0; i < 16; i++) {
            if (storedMarker(store, page(1, i)) == 500 + i) {
                written++;
            }
        }
        assertTrue(written >= 4, "freed dirty frames must have been written: " + written);
        assertEquals(0, pool.flushLru(0));
    }

    @Test
    void aFixMustWaitForAFrameWhenAllAreFixedAndWakeWhenOneIsReleased() throws Exception {
        BufferPool pool = open(config(16, 1));
        List<PageHandle> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(pool.fix(page(1, i), LatchMode.SHARED, FixMode.READ));
        }
        Worker<Long> fixer = start("needs-a-frame", () -> {
            try (PageHandle h = pool.fix(page(2, 99), LatchMode.SHARED, FixMode.READ)) {
                return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
            }
        });
        fixer.awaitBlockedOrDone("waiting for a frame in a pool whose frames are all fixed");
        assertFalse(fixer.isDone(), "no frame can be free while every page is fixed");
        held.remove(0).close();
        assertEquals(99L, fixer.get(), "releasing one fix must wake the waiter");
        for (PageHandle h : held) {
            h.close();
        }
        assertFramesAccountedFor(pool.stats());
    }

    @Test
    void dirtyHistogramMustCountDirtyPagesByOldestLsn() throws Exception {
        BufferPool pool = open(config(32, 1));
        assertEquals(0, pool.dirtyHistogram(4).totalPages());
        assertThrows(IllegalArgumentException.class, () -> pool.dirtyHistogram(0));
        for (int i = 1; i <= 10; i++) {
            modify(pool, page(1, i), i, 100L * i, 100L * i + 5);
        }
        DirtyPageHistogram histogram = pool.dirtyHistogram(4);
        assertEquals(10, histogram.totalPages());
        assertEquals(0, histogram.pagesAtOrBelow(99));
        assertEquals(10, histogram.pagesAtOrBelow(1000));
        long last = 0;
        for (long lsn = 0; lsn <= 1100; lsn += 50) {
            long n = histogram.pagesAtOrBelow(lsn);
            assertTrue(n >= last, "non-decreasing");
            assertTrue(n <= Math.min(10, lsn / 100), "never an overestimate at " + lsn + ": " + histogram);
            last = n;
        }
        assertEquals(10, pool.dirtyHistogram(100).pagesAtOrBelow(1000));
    }

    // ------------------------------------------------------------------------- LRU behaviour

    @Test
    void aScanOfManyPagesOnceMustNotEvictAHotWorkingSet() throws Exception {
        assumeTrue(supportsScanResistance(), "this pool does not claim scan resistance");
        int frames = 1024;
        // oldBlocksTimeMillis 0: any access after the first promotes (no clock needed in the test).
        BufferPool pool = open(withOldBlocksTime(new BufferPoolConfig((long) frames * PAGE, 256L * PAGE, PAGE, 1,
                4096, 37, 1000, 1024, 0), 0));
        for (int i = 0; i < 2 * frames; i++) { // fill and start evicting
            pool.fix(page(9, i), LatchMode.SHARED, FixMode.READ).close();
        }
        int hot = 200;
        for (int round = 0; round < 2; round++) { // read, then re-access: a working set
            for (int i = 0; i < hot; i++) {
                pool.fix(page(1, i), LatchMode.SHARED, FixMode.READ).close();
            }
        }
        for (int i = 0; i < 4 * frames; i++) { // a scan that touches each page once
            pool.fix(page(2, i), LatchMode.SHARED, FixMode.READ).close();
        }
        int cached = 0;
        for (int i = 0; i < hot; i++) {
            PageHandle h = pool.fix(page(1, i), LatchMode.SHARED, FixMode.IF_CACHED);
            if (h != null) {
                cached++;
                h.close();
            }
        }
        assertEquals(hot, cached, "a one-time scan of " + 4 * frames + " pages must not evict the hot set");
    }

    // ------------------------------------------------------------------------------ read-ahead

    @Test
    void readAheadMustReadTheNextExtentAtTheThreshold() throws Exception {
        assumeTrue(supportsReadAhead(), "this pool does not do read-ahead");
        int threshold = 8;
        BufferPool pool = open(withReadAhead(config(512, 1), threshold));
        for (int i = 0; i < threshold - 1; i++) { // below the threshold: nothing
            pool.fix(page(2, 64 + i), LatchMode.SHARED, FixMode.READ).close();
        }
        for (int i = 0; i < threshold; i++) { // at the threshold: the next extent
            pool.fix(page(1, i), LatchMode.SHARED, FixMode.READ).close();
        }
        assertTrue(store.await(() -> store.backgroundReads(1, 64, 64) == 64, BOUND),
                "the next extent must be read in the background; read " + store.backgroundReads(1, 64, 64));
        for (int i = 64; i < 128; i++) {
            try (PageHandle h = pool.fix(page(1, i), LatchMode.SHARED, FixMode.IF_CACHED)) {
                assertNotNull(h, "read-ahead page " + i + " must be cached");
            }
        }
        assertEquals(0, store.backgroundReads(2, 128, 64), "fewer accesses than the threshold must not read ahead");
        assertTrue(pool.stats().pagesRead() >= 2 * threshold - 1 + 64);
    }

    @Test
    void readAheadOfADroppedTablespaceMustBeSkippedQuietly() throws Exception {
        assumeTrue(supportsReadAhead(), "this pool does not do read-ahead");
        int threshold = 8;
        BufferPool pool = open(withReadAhead(config(512, 1), threshold));
        // The drop starts right after the last foreground read (field report 3's race).
        store.afterForegroundRead(id -> {
            if (id.equals(page(3, threshold - 1))) {
                store.dropTablespace(3);
            }
        });
        for (int i = 0; i < threshold; i++) {
            pool.fix(page(3, i), LatchMode.SHARED, FixMode.READ).close();
        }
        assertTrue(store.await(() -> store.skippedBackgroundReads() >= 1, BOUND), "the read-ahead must try and be skipped");
        awaitCondition("the skipped read's frame is free again", () -> pool.stats().pendingReads() == 0
                && pool.stats().lruPages() == threshold);
        for (int i = 64; i < 128; i++) {
            assertNull(pool.fix(page(3, i), LatchMode.SHARED, FixMode.IF_CACHED));
        }
        for (int i = 0; i < threshold; i++) { // read-ahead still works for others
            pool.fix(page(4, i), LatchMode.SHARED, FixMode.READ).close();
        }
        assertTrue(store.await(() -> store.backgroundReads(4, 64, 64) == 64, BOUND),
                "read-ahead must go on after a skipped tablespace");
    }

    @Test
    void readAheadMustSurviveAFailingRead() throws Exception {
        assumeTrue(supportsReadAhead(), "this pool does not do read-ahead");
        int threshold = 8;
        BufferPool pool = open(withReadAhead(config(512, 1), threshold));
        store.failBackgroundReads(page(5, 64));
        for (int i = 0; i < threshold; i++) {
            pool.fix(page(5, i), LatchMode.SHARED, FixMode.READ).close();
        }
        assertTrue(store.await(() -> store.failedReads() >= 1, BOUND));
        for (int i = 0; i < threshold; i++) {
            pool.fix(page(6, i), LatchMode.SHARED, FixMode.READ).close();
        }
        assertTrue(store.await(() -> store.backgroundReads(6, 64, 64) == 64, BOUND),
                "read-ahead must survive a failed read");
        awaitCondition("no read pending", () -> pool.stats().pendingReads() == 0);
        assertFramesAccountedFor(pool.stats());
    }

    // ------------------------------------------------------------------- tablespaces and resize

    @Test
    void evictTablespaceMustDropItsPagesWithoutWritingThem() throws Exception {
        BufferPool pool = open(config(32, 1));
        for (int i = 0; i < 10; i++) {
            modify(pool, page(1, i), i, 10 + i, 10 + i);
            modify(pool, page(2, i), i, 100 + i, 100 + i);
        }
        pool.evictTablespace(1);
        for (int i = 0; i < 10; i++) {
            assertNull(pool.fix(page(1, i), LatchMode.SHARED, FixMode.IF_CACHED));
            try (PageHandle h = pool.fix(page(2, i), LatchMode.SHARED, FixMode.IF_CACHED)) {
                assertNotNull(h);
            }
        }
        assertEquals(0, store.pagesWritten(), "dropped pages are never written");
        BufferPoolStats stats = pool.stats();
        assertEquals(10, stats.dirtyPages());
        assertEquals(10, stats.lruPages());
        assertEquals(22, stats.freeFrames());
        assertEquals(100, pool.oldestModificationLsn());
        pool.evictTablespace(77); // nothing cached: a no-op
    }

    @Test
    void evictTablespaceMustWaitForAReadInProgress() throws Exception {
        BufferPool pool = open(config(32, 1));
        PageId id = page(1, 5);
        InMemoryPageStore.ReadGate gate = store.gateRead(id);
        Worker<Long> reader = start("reader", () -> {
            try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                return h.frame().getLong(InMemoryPageStore.PAGE_NO_OFFSET);
            }
        });
        assertTrue(gate.awaitStarted(BOUND));
        Worker<Void> evictor = start("evictor", () -> {
            pool.evictTablespace(1);
            return null;
        });
        evictor.awaitBlockedOrDone("evicting a tablespace while one of its pages is being read");
        assertFalse(evictor.isDone(), "eviction must wait for the pending read");
        gate.open();
        assertEquals(5L, reader.get());
        evictor.get();
        assertNull(pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED));
        assertFramesAccountedFor(pool.stats());
    }

    @Test
    void resizeMustGrowAndShrinkInWholeChunksAndKeepContents() throws Exception {
        BufferPool pool = open(config(64, 2));
        for (int i = 0; i < 48; i++) {
            modify(pool, page(1 + i % 3, i * 13L), 9000 + i, 10 + i, 10 + i);
        }
        pool.resize(128L * PAGE);
        BufferPoolStats grown = pool.stats();
        assertEquals(128, grown.totalFrames());
        assertEquals(128L * PAGE, grown.sizeBytes());
        assertFramesAccountedFor(grown);
        long readsBefore = store.successfulReads();
        for (int i = 0; i < 48; i++) {
            assertEquals(9000 + i, marker(pool, page(1 + i % 3, i * 13L)));
        }
        assertEquals(readsBefore, store.successfulReads(), "growing must keep every page cached");
        for (int i = 0; i < 100; i++) { // use the new frames
            pool.fix(page(7, i), LatchMode.SHARED, FixMode.READ).close();
        }
        pool.resize(32L * PAGE);
        BufferPoolStats shrunk = pool.stats();
        assertEquals(32, shrunk.totalFrames());
        assertEquals(32L * PAGE, shrunk.sizeBytes());
        assertFramesAccountedFor(shrunk);
        for (int i = 0; i < 48; i++) {
            PageId id = page(1 + i % 3, i * 13L);
            assertEquals(9000 + i, marker(pool, id), "page " + id + " must keep its change through a shrink");
        }
        assertEquals(List.of(), store.violations());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> pool.resize(16L * PAGE));
        assertEquals("sizeBytes", e.key());
        assertEquals(32, pool.stats().totalFrames());
    }

    // -------------------------------------------------------------------- stats and lifecycle

    @Test
    void statsMustAddUpAfterAMixedWorkload() throws Exception {
        BufferPool pool = open(config(32, 2));
        SplittableRandom random = new SplittableRandom(seed());
        long fixes = 0;
        Map<PageId, Boolean> dirty = new HashMap<>();
        long lsn = 1;
        for (int i = 0; i < 2000; i++) {
            PageId id = page(1 + random.nextInt(2), random.nextInt(60));
            if (random.nextInt(4) == 0) {
                modify(pool, id, i, lsn, lsn + 1);
                lsn += 2;
                dirty.put(id, true);
            } else {
                pool.fix(id, LatchMode.SHARED, FixMode.READ).close();
            }
            fixes++;
            if (random.nextInt(50) == 0) {
                pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE);
                dirty.clear();
            }
        }
        BufferPoolStats stats = pool.stats();
        assertEquals(fixes, stats.hits() + stats.misses(), seedMessage());
        assertEquals(store.successfulReads(), stats.pagesRead(), seedMessage());
        assertEquals(stats.misses(), stats.pagesRead(), "without read-ahead every miss reads one page; " + seedMessage());
        assertEquals(store.pagesWritten(), stats.pagesWritten(), seedMessage());
        assertEquals(0, stats.pendingReads());
        assertEquals(0, stats.pendingWrites());
        assertFramesAccountedFor(stats);
        assertTrue(stats.dirtyPages() <= dirty.size(), seedMessage());
        assertTrue(stats.dirtyPages() <= stats.lruPages());
        assertEquals((double) stats.hits() / fixes, stats.hitRate(), 1e-12);
        pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(0, pool.stats().dirtyPages());
        assertEquals(0, pool.oldestModificationLsn());
    }

    @Test
    void closeMustBeIdempotentAndLaterFixesMustFail() throws Exception {
        BufferPool pool = open(config(32, 1));
        pool.fix(page(1, 1), LatchMode.SHARED, FixMode.READ).close();
        pool.close();
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.fix(page(1, 1), LatchMode.SHARED, FixMode.READ));
    }

    // ----------------------------------------------------------------------------- concurrency

    /**
     * Threads fix, read, change and flush random pages of a pool much smaller than the page set,
     * against a model of per-page counters updated under the exclusive latch. Checks: shared
     * readers see the model's value and no torn update, optimistic reads that validate are
     * consistent, nothing is lost through eviction and re-reading, and the write-ahead rule holds.
     */
    @Test
    void concurrentFixesAndChangesMustMatchASequentialModel() throws Exception {
        System.out.println(getClass().getSimpleName() + ".concurrentFixesAndChangesMustMatchASequentialModel: "
                + seedMessage());
        BufferPool pool = open(config(64, 2));
        int spaces = 2;
        int pagesPerSpace = 96;
        int pageCount = spaces * pagesPerSpace;
        AtomicLongArray model = new AtomicLongArray(pageCount);
        AtomicLong lsn = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int threads = 4;
        int opsPerThread = 4000;
        List<Worker<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(seed() + t);
            all.add(start("stress-" + t, () -> {
                try {
                    for (int op = 0; op < opsPerThread && failure.get() == null; op++) {
                        int index = random.nextInt(pageCount);
                        PageId id = page(1 + index / pagesPerSpace, index % pagesPerSpace);
                        int kind = random.nextInt(100);
                        if (kind < 45) {
                            try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                                long a = h.frame().getLong(COUNTER_OFFSET);
                                assertEquals(a, h.frame().getLong(COUNTER_COPY_OFFSET), "torn page " + id);
                                assertEquals(model.get(index), a, "page " + id + " under a shared latch");
                            }
                        } else if (kind < 75) {
                            try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                                ByteBuffer frame = h.frame();
                                long value = frame.getLong(COUNTER_OFFSET);
                                assertEquals(model.get(index), value, "page " + id + " under an exclusive latch");
                                frame.putLong(COUNTER_OFFSET, value + 1);
                                frame.putLong(COUNTER_COPY_OFFSET, value + 1);
                                long start = lsn.addAndGet(2) - 1;
                                frame.putLong(InMemoryPageStore.PAGE_LSN_OFFSET, start + 1);
                                h.markModified(start, start + 1);
                                model.set(index, value + 1);
                            }
                        } else if (kind < 90) {
                            try (PageHandle h = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
                                long a = h.frame().getLong(COUNTER_OFFSET);
                                long b = h.frame().getLong(COUNTER_COPY_OFFSET);
                                if (h.validate()) {
                                    assertEquals(a, b, "a validated optimistic read of " + id + " must be consistent");
                                }
                            }
                        } else if (kind < 96) {
                            PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED);
                            if (h != null) {
                                try (h) {
                                    assertEquals(model.get(index), h.frame().getLong(COUNTER_OFFSET));
                                }
                            }
                        } else if (kind < 98) {
                            pool.flushList(8, lsn.get());
                        } else {
                            pool.flushLru(4);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                return null;
            }));
        }
        for (Worker<Void> worker : all) {
            worker.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(seedMessage(), failure.get());
        }
        assertEquals(List.of(), store.violations(), seedMessage());
        pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE);
        BufferPoolStats stats = pool.stats();
        assertEquals(0, stats.dirtyPages(), seedMessage());
        assertEquals(0, stats.pendingReads());
        assertEquals(0, stats.pendingWrites());
        assertFramesAccountedFor(stats);
        for (int index = 0; index < pageCount; index++) {
            PageId id = page(1 + index / pagesPerSpace, index % pagesPerSpace);
            byte[] stored = store.stored(id);
            long onDisk = stored == null ? 0 : ByteBuffer.wrap(stored).getLong(COUNTER_OFFSET);
            assertEquals(model.get(index), onDisk, "page " + id + " on disk; " + seedMessage());
            assertEquals(model.get(index), readCounter(pool, id), "page " + id + " in the pool; " + seedMessage());
        }
    }

    private static byte[] bytes(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        return b;
    }
}
