package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.status.HardLimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flush policies are third-party code. Whatever a policy does (flush nothing, throw, never return),
 * the engine's hard limits keep readers supplied with free frames and redo from running out, and
 * writers keep committing.
 */
class BadFlushPolicyTest {

    /** More pages than the pool holds, rewritten in whole: redo and frames both run short. */
    private static final int PAGES = 400;
    private static final int ROUNDS = 3;

    @TempDir
    Path root;

    private final List<String> warnings = new ArrayList<>();
    private final Logger cleanerLogger = Logger.getLogger("io.cairn.engine.cleaner");
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        cleanerLogger.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        cleanerLogger.removeHandler(capture);
    }

    private EngineConfig config() {
        // 2 MiB of 16 KiB frames = 128 frames for 400 pages; 1 MiB of redo for about 4 MiB of changes.
        return EngineConfig.defaults(root.resolve("home")).withBufferPoolSizeBytes(2L << 20)
                .withRedoCapacityBytes(1L << 20).withDoublewrite(DoublewriteMode.OFF).withCleanerIntervalMillis(50);
    }

    /** Rewrites every page ROUNDS times, one mini-transaction per page; returns the engine for checks. */
    private static void workload(CairnEngine engine) throws Exception {
        Tablespace space = engine.createTablespace("t");
        long[] pageNos = new long[PAGES];
        for (int i = 0; i < PAGES; i++) {
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                pageNos[i] = mtr.allocatePage(space).pageNo();
                mtr.commit(CommitDurability.WRITE_ON_COMMIT);
            }
        }
        byte[] bytes = new byte[8192];
        for (int round = 1; round <= ROUNDS; round++) {
            java.util.Arrays.fill(bytes, (byte) round);
            for (long pageNo : pageNos) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    PageRef page = mtr.writePage(space, pageNo);
                    page.put(page.bodyStartOffset(), bytes, 0, bytes.length);
                    mtr.commit(CommitDurability.WRITE_ON_COMMIT);
                }
            }
        }
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            for (long pageNo : pageNos) {
                PageRef page = mtr.readPage(space, pageNo);
                assertEquals((byte) ROUNDS, page.getByte(page.bodyStartOffset() + 100), "page " + pageNo);
                mtr.release(page);
            }
        }
    }

    private CairnEngine open(FlushPolicy policy) throws Exception {
        return CairnEngine.open(config(), TestEngines.parts(new BufferedStorageBackend(SyncMethod.FDATASYNC), policy));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void policyThatNeverFlushesMustNotStopWritersOrReaders() throws Exception {
        FlushPolicy lazy = TestEngines.NEVER_FLUSHES;
        try (CairnEngine engine = open(lazy)) {
            workload(engine);
            assertTrue(engine.cleaner().roundsWith(HardLimit.REDO_SYNC_FLUSH) > 0
                    || engine.redoSpace().waitsSoFar() > 0, "redo ran short and something had to flush");
            assertTrue(engine.cleaner().roundsWith(HardLimit.FREE_FRAME_FLOOR) > 0, "frames ran short and were freed");
            assertEquals(0, engine.cleaner().status().policyFailures(), "flushing nothing is legal, not a failure");
            assertEquals("never", engine.engineStatus().flush().policyName());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void policyThatThrowsMustBeReplacedCountedAndLoggedOnce() throws Exception {
        FlushPolicy broken = new FlushPolicy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public FlushPlan plan(FlushState state) {
                throw new IllegalStateException("bug in a third-party policy");
            }
        };
        try (CairnEngine engine = open(broken)) {
            workload(engine);
            long failures = engine.engineStatus().flush().policyFailures();
            assertTrue(failures > 1, "every round failed: " + failures);
            assertTrue(engine.cleaner().roundsWith(HardLimit.POLICY_REPLACED) > 1);
            assertTrue(engine.engineStatus().flush().lastPolicyFailure().contains("bug in a third-party policy"),
                    engine.engineStatus().flush().lastPolicyFailure());
        }
        long logged = warnings.stream().filter(w -> w.contains("flush policy 'broken' failed")).count();
        assertEquals(1, logged, "logged once a minute, not once a round: " + warnings);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void policyThatNeverReturnsMustNotStallTheCleaner() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FlushPolicy stuck = new FlushPolicy() {
            @Override
            public String name() {
                return "stuck";
            }

            @Override
            public FlushPlan plan(FlushState state) {
                try {
                    release.await(); // a policy blocked on something that never comes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return FlushPlan.nothing("woke up");
            }
        };
        try (CairnEngine engine = open(stuck)) {
            workload(engine);
            long rounds = engine.cleaner().rounds();
            assertTrue(rounds > 2, "rounds went on while the policy hung: " + rounds);
            assertTrue(engine.cleaner().roundsWith(HardLimit.POLICY_REPLACED) > 2);
        } finally {
            release.countDown();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void planAskingForEverythingMustBeCappedPerRound() throws Exception {
        FlushPolicy greedy = new FlushPolicy() {
            @Override
            public String name() {
                return "greedy";
            }

            @Override
            public FlushPlan plan(FlushState state) {
                return new FlushPlan(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, Long.MAX_VALUE,
                        io.cairn.flush.FlushUrgency.NORMAL, "everything, always");
            }
        };
        try (CairnEngine engine = open(greedy)) {
            workload(engine);
            assertTrue(engine.cleaner().roundsWith(HardLimit.PLAN_SIZE_CAP) > 0, "the cap cut the plan");
            io.cairn.flush.FlushPlan last = engine.engineStatus().flush().lastPlan();
            assertTrue(last != null && last.lruPages() < Long.MAX_VALUE / 4, "the carried-out plan was capped: " + last);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void waiterMustBeServedWhateverThePolicySays() throws Exception {
        FlushPolicy lazy = TestEngines.NEVER_FLUSHES;
        try (CairnEngine engine = open(lazy)) {
            workload(engine);
            long beforeLsn = engine.redo().currentLsn();
            engine.checkpoint(); // a waiter: every page below the current LSN must be written
            assertTrue(engine.redo().checkpointLsn() >= beforeLsn, "checkpoint at " + engine.redo().checkpointLsn()
                    + " did not reach " + beforeLsn);
            assertTrue(engine.cleaner().roundsWith(HardLimit.URGENT_WAITER) > 0, "the cleaner served the waiter");
        }
    }
}
