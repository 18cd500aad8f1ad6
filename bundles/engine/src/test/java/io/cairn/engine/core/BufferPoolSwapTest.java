package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.engine.ComponentKind;
import io.cairn.engine.EngineEvent;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.SwapFailedException;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.io.faultinject.FaultKind;
import io.cairn.io.faultinject.FaultRule;
import io.cairn.io.faultinject.OperationClass;
import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replacing the buffer pool implementation of a running engine while mini-transactions run. */
class BufferPoolSwapTest {

    private static final int PAGES = 96;

    @TempDir
    Path root;

    /** A provider under its own name, counting the pools it made. */
    private static class Named implements BufferPoolProvider {
        final String name;
        final List<BufferPool> created = new CopyOnWriteArrayList<>();
        volatile RuntimeException failCreate;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public BufferPool create(BufferPoolConfig config, PageStore store) {
            if (failCreate != null) {
                throw failCreate;
            }
            BufferPool pool = new LruBufferPoolProvider().create(config, store);
            created.add(pool);
            return pool;
        }
    }

    private static EngineConfig config(Path home) {
        // A pool smaller than the pages in use, so pages are read back and written out throughout.
        return EngineConfig.defaults(home).withBufferPoolSizeBytes(1L << 20).withRedoCapacityBytes(8L << 20)
                .withCleanerIntervalMillis(20);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replacingThePoolUnderCommitsMustFailNothingAndLoseNothing() throws Exception {
        Named first = new Named("first");
        Named second = new Named("second");
        BufferedStorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        CairnEngine engine = CairnEngine.open(config(root.resolve("home")), new CairnEngine.Parts(backend, backend, first,
                new io.cairn.redo.log.CairnRedoLogProvider(), null));
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        engine.addListener(events::add);
        Tablespace space = engine.createTablespace("t");
        for (int done = 0; done < PAGES; done += 16) {
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < 16; i++) {
                    mtr.allocatePage(space);
                }
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
        }
        AtomicLongArray acknowledged = new AtomicLongArray(PAGES);
        AtomicLong commits = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int owner = w;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(owner);
                long value = 0;
                while (!stop.get()) {
                    int page = owner + 3 * random.nextInt(PAGES / 3); // each writer owns every third page
                    try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                        PageRef ref = mtr.writePage(space, TablespaceImpl.FIRST_USER_PAGE_NO + page);
                        long stored = ref.getLong(ref.bodyStartOffset());
                        if (stored != acknowledged.get(page)) {
                            failures.add(new AssertionError("page " + page + " holds " + stored + ", acknowledged "
                                    + acknowledged.get(page)));
                            return;
                        }
                        value++;
                        ref.putLong(ref.bodyStartOffset(), value);
                        mtr.commit(random.nextBoolean() ? CommitDurability.SYNC_ON_COMMIT : CommitDurability.WRITE_ON_COMMIT);
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                    acknowledged.set(page, value);
                    commits.incrementAndGet();
                }
            }, "pool-swap-writer-" + w);
            threads.add(thread);
            thread.start();
        }
        try {
            for (int round = 0; round < 4; round++) {
                awaitCommits(commits, commits.get() + 200, failures);
                engine.replaceBufferPool(round % 2 == 0 ? second : first);
            }
            awaitCommits(commits, commits.get() + 200, failures);
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertEquals(List.of(), new ArrayList<>(failures), "no operation may fail while the pool is replaced");
        assertEquals("first", engine.active(ComponentKind.BUFFER_POOL));
        assertEquals(3, first.created.size(), "opened with first, replaced by it twice");
        assertEquals(2, second.created.size());
        assertSame(first.created.get(2), engine.pool());
        assertEquals(4, events.stream().filter(e -> e instanceof EngineEvent.SwapCompleted c
                && c.kind() == ComponentKind.BUFFER_POOL).count(), events.toString());
        engine.close();
        CairnEngine reopened = CairnEngine.open(config(root.resolve("home")), TestEngines.parts(backend));
        try {
            Tablespace again = reopened.tablespace("t");
            for (int page = 0; page < PAGES; page++) {
                try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
                    PageRef ref = mtr.readPage(again, TablespaceImpl.FIRST_USER_PAGE_NO + page);
                    assertEquals(acknowledged.get(page), ref.getLong(ref.bodyStartOffset()), "page " + page);
                }
            }
        } finally {
            reopened.close();
        }
    }

    @Test
    void aPoolThatCannotBeCreatedMustLeaveTheOldOneInUse() throws Exception {
        Named first = new Named("first");
        Named broken = new Named("broken");
        broken.failCreate = new IllegalStateException("simulated: no memory for frames");
        BufferedStorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        try (CairnEngine engine = CairnEngine.open(config(root.resolve("home")), new CairnEngine.Parts(backend, backend, first,
                new io.cairn.redo.log.CairnRedoLogProvider(), null))) {
            Tablespace space = engine.createTablespace("t");
            BufferPool before = engine.pool();
            SwapFailedException e = assertThrows(SwapFailedException.class, () -> engine.replaceBufferPool(broken));
            assertTrue(e.getMessage().contains("no memory for frames"), e.getMessage());
            assertSame(before, engine.pool());
            assertEquals("first", engine.active(ComponentKind.BUFFER_POOL));
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                mtr.allocatePage(space);
                mtr.commit();
            }
            engine.checkpoint();
            assertNotSame(null, engine.engineStatus().flush());
        }
    }

    @Test
    void aReplacementPoolMustStartWithTheOldPoolsPagesCopiedNotReadFromDisk() throws Exception {
        Named first = new Named("first");
        Named second = new Named("second");
        BufferedStorageBackend buffered = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        FaultInjectingStorageBackend data = new FaultInjectingStorageBackend(buffered, 1);
        // 1 MiB of 16 KiB pages: 64 frames, 48 of them usable by a hand-over (16 are the free floor).
        try (CairnEngine engine = CairnEngine.open(config(root.resolve("home")), new CairnEngine.Parts(data, buffered,
                first, new io.cairn.redo.log.CairnRedoLogProvider(), null))) {
            Tablespace space = engine.createTablespace("t");
            int pages = 24;
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < pages; i++) {
                    PageRef ref = mtr.allocatePage(space);
                    ref.putLong(ref.bodyStartOffset(), 1000 + ref.pageNo());
                }
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            List<PageId> cached = engine.pool().cachedPages(Integer.MAX_VALUE);
            assertTrue(cached.size() >= pages && cached.size() <= 48, "cached before: " + cached);

            // From here every read of a data file fails: only copies can fill the new pool.
            data.inject(FaultRule.from(OperationClass.READ, FaultKind.EIO, 1));
            engine.replaceBufferPool(second);

            assertEquals("second", engine.active(ComponentKind.BUFFER_POOL));
            assertEquals(cached.size(), engine.lastPoolHandOverPages());
            assertEquals(new java.util.HashSet<>(cached),
                    new java.util.HashSet<>(engine.pool().cachedPages(Integer.MAX_VALUE)));
            for (long pageNo = TablespaceImpl.FIRST_USER_PAGE_NO; pageNo < TablespaceImpl.FIRST_USER_PAGE_NO + pages;
                    pageNo++) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    PageRef ref = mtr.readPage(space, pageNo);
                    assertEquals(1000 + pageNo, ref.getLong(ref.bodyStartOffset()), "page " + pageNo);
                }
            }
            data.clearFaults();
        }
    }

    @Test
    void aPoolThatCannotListItsPagesMustBeReplacedColdAndStillServeEveryPage() throws Exception {
        Named first = new Named("first") {
            @Override
            public BufferPool create(BufferPoolConfig config, PageStore store) {
                return new ForwardingPool(super.create(config, store)); // no cachedPages: the default, empty
            }
        };
        Named second = new Named("second");
        BufferedStorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        try (CairnEngine engine = CairnEngine.open(config(root.resolve("home")), new CairnEngine.Parts(backend, backend,
                first, new io.cairn.redo.log.CairnRedoLogProvider(), null))) {
            Tablespace space = engine.createTablespace("t");
            long pageNo;
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef ref = mtr.allocatePage(space);
                ref.putLong(ref.bodyStartOffset(), 77);
                pageNo = ref.pageNo();
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            assertEquals(List.of(), engine.pool().cachedPages(10));
            engine.replaceBufferPool(second);
            assertEquals(0, engine.lastPoolHandOverPages());
            assertEquals(List.of(), engine.pool().cachedPages(10), "the new pool starts cold");
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef ref = mtr.readPage(space, pageNo);
                assertEquals(77, ref.getLong(ref.bodyStartOffset()));
            }
        }
    }

    private static void awaitCommits(AtomicLong commits, long target, ConcurrentLinkedQueue<Throwable> failures) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (commits.get() < target && failures.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "commits stalled at " + commits.get());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
