package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.status.RedoPressure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Redo running short must slow writers down, never deadlock them, and show in status. */
class RedoSpaceTest {

    @TempDir
    Path root;

    @Test
    void thresholdsMustBeOrderedAndLeaveAMarginBelowCapacity() {
        RedoSpace space = new RedoSpace(16384, new WaitRegistry());
        for (long capacity : new long[] {1L << 20, 4L << 20, 100L << 20, 1L << 40}) {
            long margin = space.marginBytes(capacity);
            assertTrue(margin > 0 && margin <= capacity / 100 * 55, "margin " + margin + " of " + capacity);
            assertTrue(space.adaptiveAgeBytes(capacity) < space.syncFlushAgeBytes(capacity));
            assertTrue(space.syncFlushAgeBytes(capacity) < space.freeCheckLimitBytes(capacity));
            assertTrue(space.freeCheckLimitBytes(capacity) < capacity);
        }
        // InnoDB's worked example: about 5 MiB of margin for 100 MiB at 16 KiB pages.
        long margin = space.marginBytes(100L << 20);
        assertTrue(margin > (4L << 20) && margin < (9L << 20), "margin " + margin);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void blockedMiniTransactionMustShowAsBlockingWithItsProgressOwnerUntilTheCheckpointAdvances() throws Exception {
        WaitRegistry waits = new WaitRegistry();
        RedoSpace space = new RedoSpace(16384, waits);
        FakeRedoLog redo = new FakeRedoLog(4L << 20);
        redo.currentLsn = 8192 + space.freeCheckLimitBytes(redo.capacityBytes()) + 1;
        assertEquals(RedoPressure.SYNC_FLUSH, space.pressure(redo));

        CountDownLatch flushRequested = new CountDownLatch(1);
        CountDownLatch cleanerMayFinish = new CountDownLatch(1);
        RedoSpace.Checkpointer checkpointer = new RedoSpace.Checkpointer() {
            @Override
            public void awaitFlushedBelow(long lsn) throws InterruptedException {
                flushRequested.countDown();
                cleanerMayFinish.await();
            }

            @Override
            public void checkpointNow() {
                redo.checkpointLsn = redo.currentLsn; // everything flushed: the checkpoint catches up
            }
        };
        Thread writer = new Thread(() -> {
            try {
                space.freeCheck(redo, checkpointer);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "blocked-writer");
        writer.start();
        assertTrue(flushRequested.await(20, TimeUnit.SECONDS));
        assertEquals(RedoPressure.BLOCKING, space.pressure(redo));
        List<io.cairn.status.WaitStatus> blocked = waits.snapshot();
        assertEquals(1, blocked.size(), "waits: " + blocked);
        assertEquals("blocked-writer", blocked.get(0).waiter());
        assertEquals("page cleaner", blocked.get(0).progressOwner());
        assertTrue(blocked.get(0).waitsFor().startsWith("redo space"), blocked.get(0).waitsFor());

        cleanerMayFinish.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(writer.isAlive(), "the writer must go on once the checkpoint advanced");
        assertEquals(RedoPressure.NONE, space.pressure(redo));
        assertEquals(List.of(), waits.snapshot());
        assertEquals(1, space.waitsSoFar());
    }

    /** Only the positions the free check reads; everything else is not needed and refuses. */
    private static final class FakeRedoLog implements io.cairn.redo.RedoLog {
        private final long capacityBytes;
        volatile long currentLsn = 8192;
        volatile long checkpointLsn = 8192;

        FakeRedoLog(long capacityBytes) {
            this.capacityBytes = capacityBytes;
        }

        @Override
        public long append(List<io.cairn.redo.RedoRecord> records) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long currentLsn() {
            return currentLsn;
        }

        @Override
        public void waitFor(long lsn, CommitDurability durability) {
            // every written LSN counts as synced here
        }

        @Override
        public long writtenLsn() {
            return currentLsn;
        }

        @Override
        public long flushedLsn() {
            return currentLsn;
        }

        @Override
        public long checkpointLsn() {
            return checkpointLsn;
        }

        @Override
        public void checkpoint(long lsn) {
            checkpointLsn = lsn;
        }

        @Override
        public long capacityBytes() {
            return capacityBytes;
        }

        @Override
        public void resize(long newCapacityBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.cairn.redo.RedoScanResult scan(long fromLsn, io.cairn.redo.RedoGroupVisitor visitor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void switchBackend(io.cairn.io.StorageBackend newBackend) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.cairn.redo.RedoStats stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /**
     * Four writers rewrite whole pages much faster than a 1 MiB redo log can hold, while the page
     * cleaner sleeps between rounds for a minute: each must wait for redo space before it latches
     * anything, the checkpoint must advance through flush requests, and everything must finish.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void writersMustWaitForRedoSpaceInsteadOfDeadlockingAndStatusMustShowIt() throws Exception {
        EngineConfig config = EngineConfig.defaults(root.resolve("home")).withBufferPoolSizeBytes(4L << 20)
                .withRedoCapacityBytes(1L << 20).withDoublewrite(DoublewriteMode.OFF).withCleanerIntervalMillis(60_000);
        int threads = 4;
        int pagesPerThread = 4;
        int rounds = 150;
        try (CairnEngine engine = CairnEngine.open(config,
                TestEngines.parts(new BufferedStorageBackend(SyncMethod.FDATASYNC)))) {
            Tablespace space = engine.createTablespace("hot");
            long[][] pageNos = new long[threads][pagesPerThread];
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (long[] own : pageNos) {
                    for (int i = 0; i < own.length; i++) {
                        own[i] = mtr.allocatePage(space).pageNo();
                    }
                }
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long[] own = pageNos[t];
                    writers.add(pool.submit(() -> {
                        byte[] bytes = new byte[8192]; // logged as a WRITE record: 8 KiB of redo per page
                        for (int round = 1; round <= rounds; round++) {
                            java.util.Arrays.fill(bytes, (byte) round);
                            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                                for (long pageNo : own) {
                                    PageRef page = mtr.writePage(space, pageNo);
                                    page.put(page.bodyStartOffset(), bytes, 0, bytes.length);
                                }
                                mtr.commit(CommitDurability.WRITE_ON_COMMIT);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(engine.redoSpace().waitsSoFar() > 0, "the writers produced more redo than fits: some must have waited");
            long age = engine.redo().currentLsn() - engine.redo().checkpointLsn();
            assertTrue(age <= engine.redo().capacityBytes(), "checkpoint age " + age + " within capacity");
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef page = mtr.readPage(space, pageNos[0][0]);
                assertEquals((byte) rounds, page.getByte(page.bodyStartOffset()));
            }
        }
    }
}
