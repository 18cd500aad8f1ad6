package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.CorruptPageException;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end on the real buffer pool and redo log: clean restarts, and simulated power
 * losses at every sync point of a small workload, in every crash mode, with doublewrite on and off.
 * After each crash the reopened engine must hold every acknowledged commit, no half-applied
 * mini-transaction, and pages that verify.
 */
class EngineCrashTest {

    private static final int PAGES = 6;

    @TempDir
    Path root;

    private EngineConfig config(Path home, DoublewriteMode doublewrite) {
        // Four instances: the cleaner's rounds are written by its worker threads, batches in parallel.
        return EngineConfig.defaults(home).withBufferPoolSizeBytes(8L << 20).withRedoCapacityBytes(4L << 20)
                .withDoublewrite(doublewrite).withBufferPoolInstances(4).withPageCleanerThreads(4);
    }

    /** One mini-transaction writes the same counter into every page: all pages or none must show it. */
    private static long commitRound(CairnEngine engine, Tablespace space, long[] pageNos, long value) throws IOException {
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            for (long pageNo : pageNos) {
                PageRef page = mtr.writePage(space, pageNo);
                page.putLong(page.bodyStartOffset(), value);
                page.fill(page.bodyStartOffset() + 8, 64, (byte) value);
            }
            return mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
    }

    private static long[] allocate(CairnEngine engine, Tablespace space) throws IOException {
        long[] pageNos = new long[PAGES];
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            for (int i = 0; i < PAGES; i++) {
                pageNos[i] = mtr.allocatePage(space).pageNo();
            }
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
        return pageNos;
    }

    private static long readConsistentValue(CairnEngine engine, Tablespace space, long[] pageNos) throws IOException {
        long value = -1;
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            for (long pageNo : pageNos) {
                PageRef page = mtr.readPage(space, pageNo);
                long v = page.getLong(page.bodyStartOffset());
                if (value == -1) {
                    value = v;
                }
                assertEquals(value, v, "page " + pageNo + " disagrees: a mini-transaction was half applied");
                for (int i = 0; i < 64; i++) {
                    assertEquals((byte) v, page.getByte(page.bodyStartOffset() + 8 + i));
                }
            }
        }
        return value;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cleanRestartMustKeepEverythingAndApplyNoRedo() throws Exception {
        Path home = root.resolve("home");
        StorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        long[] pageNos;
        try (CairnEngine engine = CairnEngine.open(config(home, DoublewriteMode.ON), TestEngines.parts(backend))) {
            Tablespace space = engine.createTablespace("t1");
            pageNos = allocate(engine, space);
            for (long v = 1; v <= 20; v++) {
                commitRound(engine, space, pageNos, v);
            }
        }
        try (CairnEngine engine = CairnEngine.open(config(home, DoublewriteMode.ON), TestEngines.parts(backend))) {
            assertEquals(List.of("t1"), engine.tablespaceNames());
            assertEquals(20, readConsistentValue(engine, engine.tablespace("t1"), pageNos));
        }
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void everyAcknowledgedCommitMustSurviveAPowerLossAtAnySyncPointWithoutDoublewrite() throws Exception {
        sweep(DoublewriteMode.OFF, 0);
    }

    /**
     * The deterministic counterpart of the sweeps: a power loss that tears every in-place page write
     * of a flush. Whether a sweep scenario tears a page depends on when the page cleaner runs, so the
     * proof that the harness really tears pages, and that the engine reports them without doublewrite
     * and repairs them with it, is this test.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tornPagesMustBeReportedWithoutDoublewriteAndRepairedWithIt() throws Exception {
        assertThrows(CorruptPageException.class, () -> tearEveryPageOfAFlush(DoublewriteMode.OFF, 1),
                "without doublewrite a torn page must be reported, never used");
        assertEquals(5, tearEveryPageOfAFlush(DoublewriteMode.ON, 2),
                "with doublewrite the torn pages must be restored and the acknowledged commits kept");
    }

    /**
     * Creates tablespace t1 with its pages in a clean engine and makes that state the fault
     * backend's durable baseline; returns the page numbers.
     */
    private long[] createBaseline(Path home, DoublewriteMode doublewrite, FaultInjectingStorageBackend backend)
            throws IOException {
        long[] pageNos;
        try (CairnEngine engine = CairnEngine.open(config(home, doublewrite), TestEngines.parts(backend))) {
            pageNos = allocate(engine, engine.createTablespace("t1"));
        }
        backend.reset();
        return pageNos;
    }

    /** Commits five rounds, then crashes at the data file's sync of the flush that follows. */
    private long tearEveryPageOfAFlush(DoublewriteMode doublewrite, int scenario) throws Exception {
        Path home = root.resolve("tear-" + scenario);
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), 2000 + scenario);
        long[] pageNos = createBaseline(home, doublewrite, backend);
        CairnEngine engine = CairnEngine.open(config(home, doublewrite), TestEngines.parts(backend));
        try {
            Tablespace space = engine.tablespace("t1");
            for (long v = 1; v <= 4; v++) {
                commitRound(engine, space, pageNos, v);
            }
            // Every page clean first: otherwise the page cleaner could be writing round 4's pages
            // when the crash is armed, and its sync would end the engine before round 5 commits.
            engine.checkpoint();
            // Armed before the last round dirties the pages again: whichever flush writes them next
            // (the page cleaner's or the checkpoint's) ends at the crash, and it can write them only
            // after round 5's redo is durable (write-ahead rule).
            backend.crashAtSync(1, "*.cdb", CrashMode.TEAR_SECTORS); // tablespace files only
            commitRound(engine, space, pageNos, 5);
            try {
                engine.checkpoint();
            } catch (IOException | RuntimeException expected) {
                // the checkpoint's own flush met the crash
            }
            assertTrue(backend.isCrashed(), "no flush of the dirty pages reached the data file's sync");
        } finally {
            try {
                engine.close();
            } catch (IOException | RuntimeException expectedAfterCrash) {
                // the backend refuses everything after the simulated power loss
            }
        }
        backend.reset();
        try (CairnEngine reopened = CairnEngine.open(config(home, doublewrite), TestEngines.parts(backend))) {
            return readConsistentValue(reopened, reopened.tablespace("t1"), pageNos);
        }
    }

    /**
     * With doublewrite a torn page must be repaired, never reported. A failure prints the fault
     * backend's operation trace (every write, sync and crash with its thread) to show what happened.
     */
    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void everyAcknowledgedCommitMustSurviveAPowerLossAtAnySyncPointWithDoublewrite() throws Exception {
        sweep(DoublewriteMode.ON, 100);
    }

    private void sweep(DoublewriteMode doublewrite, int firstScenario) throws Exception {
        int scenario = firstScenario;
        for (CrashMode mode : new CrashMode[] {CrashMode.DROP_ALL_UNSYNCED, CrashMode.DROP_RANDOM_SUBSET,
                CrashMode.PER_WRITE_RANDOM}) {
            for (int crashAtSync = 1; crashAtSync <= 12; crashAtSync++) {
                runCrashScenario(doublewrite, mode, crashAtSync, scenario++);
            }
        }
        assertEquals(firstScenario + 36, scenario);
    }

    private void runCrashScenario(DoublewriteMode doublewrite, CrashMode mode, int crashAtSync, int scenario)
            throws Exception {
        Path home = root.resolve("crash-" + scenario);
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), 1000 + scenario);
        long[] pageNos = createBaseline(home, doublewrite, backend);
        backend.traceOperations(true); // a failure then shows which thread wrote what, and when
        long acknowledged = 0;
        List<Throwable> crashes = new ArrayList<>();
        CairnEngine engine = CairnEngine.open(config(home, doublewrite), TestEngines.parts(backend));
        try {
            Tablespace space = engine.tablespace("t1");
            backend.crashAtSync(crashAtSync, "*", mode);
            for (long v = 1; v <= 30 && !backend.isCrashed(); v++) {
                try {
                    commitRound(engine, space, pageNos, v);
                    acknowledged = v;
                    if (v % 10 == 0) {
                        engine.checkpoint();
                    }
                } catch (IOException | RuntimeException e) {
                    crashes.add(e);
                    break;
                }
            }
        } finally {
            try {
                engine.close();
            } catch (IOException | RuntimeException expectedAfterCrash) {
                // the backend refuses everything after the simulated power loss
            }
        }
        backend.reset();
        String context = "doublewrite " + doublewrite + ", " + mode + ", crash at sync " + crashAtSync
                + ", acknowledged " + acknowledged + ", crashes " + crashes + ", seed " + backend.seed();
        try (CairnEngine reopened = CairnEngine.open(config(home, doublewrite), TestEngines.parts(backend))) {
            long value = readConsistentValue(reopened, reopened.tablespace("t1"), pageNos);
            assertTrue(value >= acknowledged, "an acknowledged commit was lost: " + context + ", found " + value);
            assertTrue(value <= acknowledged + 1, "a commit appeared that was never attempted: " + context);
        } catch (CorruptPageException detected) {
            // Without doublewrite a torn page cannot be repaired; it must be reported, never used.
            assertEquals(DoublewriteMode.OFF, doublewrite, () -> "a torn page was not repaired although doublewrite is on: "
                    + context + ": " + detected.getMessage() + "\noperations:\n" + String.join("\n", backend.faultLog()));
        }
    }
}
