package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.lru.LruBufferPool;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page cleaner writes a round's pages with worker threads, one buffer pool partition per
 * thread at a time, within the round's plan.
 */
class PageCleanerWorkersTest {

    private static final int PAGES = 600;
    private static final long PLAN_PAGES = 24;

    @TempDir
    Path root;

    /** One partition flush as the pool saw it. */
    private record PartitionFlush(int round, int partition, String thread, long maxPages, long written) {
    }

    /** The LRU pool, recording every partition flush with the round (policy call) it belongs to. */
    private static final class RecordingPool extends ForwardingPool {
        final AtomicInteger round;
        final List<PartitionFlush> flushes = new CopyOnWriteArrayList<>();
        final AtomicInteger wholePoolFlushes = new AtomicInteger();

        RecordingPool(BufferPool delegate, AtomicInteger round) {
            super(delegate);
            this.round = round;
        }

        @Override
        public long flushList(int partition, long maxPages, long lsnLimit) throws IOException {
            long written = delegate.flushList(partition, maxPages, lsnLimit);
            flushes.add(new PartitionFlush(round.get(), partition, Thread.currentThread().getName(), maxPages, written));
            return written;
        }

        @Override
        public long flushList(long maxPages, long lsnLimit) throws IOException {
            wholePoolFlushes.incrementAndGet();
            return delegate.flushList(maxPages, lsnLimit);
        }
    }

    /** Asks for {@value #PLAN_PAGES} flush-list pages every round and remembers the dirty count it planned from. */
    private static final class FixedPlan implements FlushPolicy {
        final AtomicInteger round = new AtomicInteger();
        final Map<Integer, Long> dirtyAtPlan = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "fixed-24";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            int r = round.incrementAndGet();
            dirtyAtPlan.put(r, state.dirtyPages());
            return new FlushPlan(PLAN_PAGES, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "24 pages");
        }
    }

    private CairnEngine open(EngineConfig config, FlushPolicy policy, AtomicInteger round,
            AtomicReference<RecordingPool> pool) throws IOException {
        BufferPoolProvider provider = new BufferPoolProvider() {
            @Override
            public String name() {
                return LruBufferPool.NAME;
            }

            @Override
            public BufferPool create(BufferPoolConfig poolConfig, PageStore store) {
                RecordingPool recording = new RecordingPool(new LruBufferPool(poolConfig, store), round);
                pool.set(recording);
                return recording;
            }
        };
        BufferedStorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        return CairnEngine.open(config, new CairnEngine.Parts(backend, backend, provider, new CairnRedoLogProvider(), policy));
    }

    private EngineConfig config() {
        // 16 MiB of 16 KiB pages holds the whole table; redo is large enough that no redo limit interferes.
        return EngineConfig.defaults(root.resolve("home")).withBufferPoolSizeBytes(16L << 20)
                .withRedoCapacityBytes(64L << 20).withDoublewrite(DoublewriteMode.ON).withCleanerIntervalMillis(20)
                .withBufferPoolInstances(4).withPageCleanerThreads(4);
    }

    /** Writes {@code value} into the body of every page, one mini-transaction per page. */
    private static long[] fill(CairnEngine engine, Tablespace space, long[] pageNos, byte value) throws IOException {
        for (int i = 0; i < pageNos.length; i++) {
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                if (pageNos[i] < 0) {
                    pageNos[i] = mtr.allocatePage(space).pageNo();
                }
                PageRef page = mtr.writePage(space, pageNos[i]);
                page.put(page.bodyStartOffset(), new byte[] {value, (byte) i}, 0, 2);
                mtr.commit(CommitDurability.WRITE_ON_COMMIT);
            }
        }
        return pageNos;
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void roundsMustBeWrittenByWorkerThreadsInParallelWithinThePlanAndLoseNothing() throws Exception {
        FixedPlan policy = new FixedPlan();
        AtomicReference<RecordingPool> pool = new AtomicReference<>();
        long[] pageNos = new long[PAGES];
        java.util.Arrays.fill(pageNos, -1);
        try (CairnEngine engine = open(config(), policy, policy.round, pool)) {
            assertEquals(4, engine.pool().flushPartitions());
            Tablespace space = engine.createTablespace("t");
            fill(engine, space, pageNos, (byte) 7);
            awaitCondition("the cleaner writes every dirty page", () -> engine.pool().stats().dirtyPages() == 0);
        }
        List<PartitionFlush> flushes = pool.get().flushes;
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Map<Integer, Long> writtenByRound = new ConcurrentHashMap<>();
        Set<Integer> urgentRounds = ConcurrentHashMap.newKeySet();
        for (PartitionFlush f : flushes) {
            if (f.written() > 0) {
                threads.add(f.thread());
            }
            writtenByRound.merge(f.round(), f.written(), Long::sum);
            if (f.maxPages() == Long.MAX_VALUE) {
                urgentRounds.add(f.round()); // a waiter's flush (tablespace creation, shutdown): no budget applies
            }
        }
        assertTrue(threads.stream().anyMatch(t -> t.startsWith(FlushWorkers.THREAD_NAME_PREFIX)),
                "workers wrote pages: " + threads);
        assertTrue(threads.contains("cairn-page-cleaner"), "the coordinator writes too: " + threads);
        int fullRounds = 0;
        for (Map.Entry<Integer, Long> round : writtenByRound.entrySet()) {
            // Only the plan's own flushing is bounded by the plan.
            Long dirty = policy.dirtyAtPlan.get(round.getKey());
            if (dirty == null || urgentRounds.contains(round.getKey())) {
                continue;
            }
            assertTrue(round.getValue() <= PLAN_PAGES, "round " + round.getKey() + " wrote " + round.getValue()
                    + " pages with a plan of " + PLAN_PAGES);
            if (dirty >= 4 * PLAN_PAGES) {
                // Many pages in every partition: the split must carry out the whole plan.
                assertEquals(PLAN_PAGES, round.getValue(), "round " + round.getKey() + " with " + dirty + " dirty pages");
                fullRounds++;
            }
        }
        assertTrue(fullRounds > 0, "some round ran with plenty of dirty pages: " + writtenByRound + " " + policy.dirtyAtPlan);

        // Nothing lost: a restart reads every page's last value.
        try (CairnEngine engine = open(config(), policy, policy.round, pool)) {
            Tablespace space = engine.tablespace("t");
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < PAGES; i++) {
                    PageRef page = mtr.readPage(space, pageNos[i]);
                    assertEquals(7, page.getByte(page.bodyStartOffset()), "page " + pageNos[i]);
                    assertEquals((byte) i, page.getByte(page.bodyStartOffset() + 1), "page " + pageNos[i]);
                    mtr.release(page);
                }
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneCleanerThreadMustFlushTheWholePoolItselfWithoutWorkers() throws Exception {
        FixedPlan policy = new FixedPlan();
        AtomicReference<RecordingPool> pool = new AtomicReference<>();
        long[] pageNos = new long[100];
        java.util.Arrays.fill(pageNos, -1);
        try (CairnEngine engine = open(config().withPageCleanerThreads(1), policy, policy.round, pool)) {
            Tablespace space = engine.createTablespace("t");
            fill(engine, space, pageNos, (byte) 3);
            awaitCondition("the cleaner writes every dirty page", () -> engine.pool().stats().dirtyPages() == 0);
        }
        assertEquals(List.of(), pool.get().flushes, "no partition flushes with one cleaner thread");
        assertTrue(pool.get().wholePoolFlushes.get() > 0);
    }
}
