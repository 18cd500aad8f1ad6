package io.cairn.bufferpool.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.testkit.InMemoryPageStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many threads against a pool much smaller than the pages they use, checked against a model.
 *
 * <p>Each page carries a version and a pattern derived from (page, version) over its whole body.
 * Writers, under EXCLUSIVE, check the current version against the model and write the next one
 * everywhere; readers check the whole page under SHARED (exact version) and under OPTIMISTIC (a
 * validated copy must be one complete version, never newer than the model). Meanwhile a flusher
 * writes and frees pages and a resizer grows and shrinks the pool. At the end every page must hold
 * the model's version both on disk and in the pool.
 */
class ClockBufferPoolStressTest {

    private static final int PAGE = 4096;
    private static final int VERSION_OFFSET = 24;
    /** Slots 0 and 1 keep the store's space id and page number, slot 2 the page LSN, slot 3 the version. */
    private static final int FIRST_PATTERN_SLOT = 4;
    private static final int SLOTS = PAGE / Long.BYTES;

    private static long pattern(int pageIndex, long version, int slot) {
        return version == 0 ? 0 : (pageIndex * 0x9E3779B97F4A7C15L) ^ (version * 0xC2B2AE3D27D4EB4FL) ^ slot;
    }

    /** The version a page's bytes hold, or an error naming the first slot that does not belong to it. */
    private static long versionOf(ByteBuffer frame, int pageIndex) {
        long version = frame.getLong(VERSION_OFFSET);
        for (int slot = FIRST_PATTERN_SLOT; slot < SLOTS; slot++) {
            if (frame.getLong(slot * Long.BYTES) != pattern(pageIndex, version, slot)) {
                throw new AssertionError("page " + pageIndex + " torn at slot " + slot + " of version " + version);
            }
        }
        return version;
    }

    @Test
    void concurrentWritersReadersFlushingAndResizingMustMatchTheModel() throws Exception {
        long seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        String replay = "seed " + seed + " (replay with -Dcairn.testkit.seed=" + seed + ")";
        System.out.println(getClass().getSimpleName() + ": " + replay);
        InMemoryPageStore store = new InMemoryPageStore(PAGE);
        store.recordWrites(false);
        int chunkFrames = 8;
        int instances = 2;
        ClockBufferPool pool = new ClockBufferPool(new BufferPoolConfig(3L * instances * chunkFrames * PAGE,
                (long) chunkFrames * PAGE, PAGE, instances, 4096, 37, 1000, 1024, 0), store);
        try {
            int spaces = 2;
            int pagesPerSpace = 100; // 200 pages; the pool holds 32 to 64
            int pageCount = spaces * pagesPerSpace;
            AtomicLongArray model = new AtomicLongArray(pageCount);
            AtomicLong lsn = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean workersDone = new AtomicBoolean();
            int threads = 4;
            int opsPerThread = 3000;
            List<FutureTask<Void>> tasks = new ArrayList<>();
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                tasks.add(new FutureTask<>(() -> {
                    try {
                        for (int op = 0; op < opsPerThread && failure.get() == null; op++) {
                            int index = random.nextInt(pageCount);
                            PageId id = new PageId(1 + index / pagesPerSpace, index % pagesPerSpace);
                            int kind = random.nextInt(100);
                            if (kind < 35) {
                                try (PageHandle h = pool.fix(id, LatchMode.EXCLUSIVE, FixMode.READ)) {
                                    ByteBuffer frame = h.frame();
                                    long version = versionOf(frame, index);
                                    assertEquals(model.get(index), version, "page " + id + " under EXCLUSIVE");
                                    long next = version + 1;
                                    for (int slot = FIRST_PATTERN_SLOT; slot < SLOTS; slot++) {
                                        frame.putLong(slot * Long.BYTES, pattern(index, next, slot));
                                    }
                                    frame.putLong(VERSION_OFFSET, next);
                                    long start = lsn.addAndGet(2) - 1;
                                    frame.putLong(InMemoryPageStore.PAGE_LSN_OFFSET, start + 1);
                                    h.markModified(start, start + 1);
                                    model.set(index, next);
                                }
                            } else if (kind < 70) {
                                try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                                    assertEquals(model.get(index), versionOf(h.frame(), index), "page " + id + " under SHARED");
                                }
                            } else if (kind < 90) {
                                try (PageHandle h = pool.fix(id, LatchMode.OPTIMISTIC, FixMode.READ)) {
                                    ByteBuffer copy = ByteBuffer.allocate(PAGE);
                                    copy.put(h.frame()).flip();
                                    if (h.validate()) {
                                        long version = versionOf(copy, index);
                                        assertTrue(version <= model.get(index), "a validated optimistic read of " + id
                                                + " saw version " + version + " beyond the model's " + model.get(index));
                                    }
                                }
                            } else if (kind < 95) {
                                PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.IF_CACHED);
                                if (h != null) {
                                    try (h) {
                                        assertEquals(model.get(index), versionOf(h.frame(), index));
                                    }
                                }
                            } else if (kind < 98) {
                                pool.flushList(4, lsn.get());
                            } else {
                                pool.flushLru(2);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                    return null;
                }));
            }
            FutureTask<Integer> resizer = new FutureTask<>(() -> {
                int resizes = 0;
                try {
                    long[] sizesBytes = {4L * instances * chunkFrames * PAGE, 2L * instances * chunkFrames * PAGE,
                            1L * instances * chunkFrames * PAGE, 3L * instances * chunkFrames * PAGE};
                    while (!workersDone.get() && failure.get() == null) {
                        pool.resize(sizesBytes[resizes % sizesBytes.length]);
                        resizes++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                return resizes;
            });
            for (int t = 0; t < tasks.size(); t++) {
                started.add(new Thread(tasks.get(t), "stress-" + t));
            }
            started.add(new Thread(resizer, "resizer"));
            started.forEach(thread -> {
                thread.setDaemon(true);
                thread.start();
            });
            for (FutureTask<Void> task : tasks) {
                task.get(120, TimeUnit.SECONDS);
            }
            workersDone.set(true);
            int resizes = resizer.get(120, TimeUnit.SECONDS);
            if (failure.get() != null) {
                throw new AssertionError(replay, failure.get());
            }
            assertTrue(resizes > 0, "the pool must have been resized while in use");

            assertEquals(List.of(), store.violations(), replay);
            pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE);
            assertEquals(List.of(), pool.checkInvariants(), replay);
            BufferPoolStats stats = pool.stats();
            assertEquals(0, stats.dirtyPages(), replay);
            assertEquals(0, stats.pendingReads());
            assertEquals(0, stats.pendingWrites());
            assertEquals(stats.totalFrames(), stats.freeFrames() + stats.lruPages(), stats.toString());
            for (int index = 0; index < pageCount; index++) {
                PageId id = new PageId(1 + index / pagesPerSpace, index % pagesPerSpace);
                byte[] stored = store.stored(id);
                long onDisk = stored == null ? 0 : versionOf(ByteBuffer.wrap(stored), index);
                assertEquals(model.get(index), onDisk, "page " + id + " on disk; " + replay);
                try (PageHandle h = pool.fix(id, LatchMode.SHARED, FixMode.READ)) {
                    assertEquals(model.get(index), versionOf(h.frame(), index), "page " + id + " in the pool; " + replay);
                }
            }
        } finally {
            pool.close();
        }
    }
}
