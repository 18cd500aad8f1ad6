package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.io.faultinject.FaultKind;
import io.cairn.io.faultinject.FaultRule;
import io.cairn.io.faultinject.OperationClass;
import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Field report 5: work that recovery leaves behind (pages it changed, a drop the crash interrupted)
 * must complete at startup while the page cleaner does not run yet. The bound is a liveness guard
 * (a hang fails the test instead of hanging the build), not a performance assertion.
 */
class EngineStartupTest {

    @TempDir
    Path root;

    private static EngineConfig config(Path home) {
        return EngineConfig.defaults(home).withBufferPoolSizeBytes(8L << 20).withRedoCapacityBytes(4L << 20);
    }

    /** Page cleaner settings that must not matter to startup: fast, slow, and a policy that never flushes. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cleanerSettings() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(10L, false),
                org.junit.jupiter.params.provider.Arguments.of(60_000L, false),
                org.junit.jupiter.params.provider.Arguments.of(1000L, true));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "cleaner interval {0} ms, never-flushing policy {1}")
    @org.junit.jupiter.params.provider.MethodSource("cleanerSettings")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void startupMustFlushWhatRecoveryChangedWithoutThePageCleaner(long cleanerIntervalMillis, boolean neverFlushes)
            throws Exception {
        Path home = root.resolve("home-" + cleanerIntervalMillis + "-" + neverFlushes);
        io.cairn.flush.FlushPolicy policy = neverFlushes ? TestEngines.NEVER_FLUSHES : null;
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), 7);
        long pageNo;
        CairnEngine engine = CairnEngine.open(config(home).withCleanerIntervalMillis(cleanerIntervalMillis), TestEngines.parts(backend, policy));
        try {
            Tablespace space = engine.createTablespace("t1");
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef page = mtr.allocatePage(space);
                pageNo = page.pageNo();
                page.putLong(page.bodyStartOffset(), 4242);
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            // Power loss now: the change is only in the redo log, no page was written.
            backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        } finally {
            closeAfterCrash(engine);
        }
        backend.reset();
        try (CairnEngine reopened = CairnEngine.open(config(home).withCleanerIntervalMillis(cleanerIntervalMillis), TestEngines.parts(backend, policy))) {
            assertEquals(0, reopened.pool().oldestModificationLsn(),
                    "startup must have flushed every page recovery changed before it returned");
            assertEquals(reopened.redo().currentLsn(), reopened.redo().checkpointLsn(),
                    "and taken a checkpoint, so the next start applies nothing");
            try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
                PageRef page = mtr.readPage(reopened.tablespace("t1"), pageNo);
                assertEquals(4242, page.getLong(page.bodyStartOffset()));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void dropInterruptedByACrashMustBeCompletedAtStartup() throws Exception {
        Path home = root.resolve("home");
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), 8);
        CairnEngine engine = CairnEngine.open(config(home), TestEngines.parts(backend));
        Path file;
        try {
            Tablespace space = engine.createTablespace("doomed");
            engine.createTablespace("kept");
            file = ((TablespaceImpl) space).file().path();
            // The drop's redo becomes durable, then deleting the file fails and power is lost.
            backend.inject(FaultRule.once(OperationClass.METADATA, FaultKind.EIO, 1));
            assertThrows(IOException.class, () -> engine.dropTablespace("doomed"));
            backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        } finally {
            closeAfterCrash(engine);
        }
        backend.reset();
        assertTrue(Files.exists(file), "the crash left the file behind, or this test proves nothing");
        try (CairnEngine reopened = CairnEngine.open(config(home), TestEngines.parts(backend))) {
            assertFalse(Files.exists(file), "startup must finish the drop");
            assertEquals(java.util.List.of("kept"), reopened.tablespaceNames());
            NoSuchTablespaceException e = assertThrows(NoSuchTablespaceException.class, () -> reopened.tablespace("doomed"));
            assertEquals("no such tablespace: 'doomed'", e.getMessage());
        }
    }

    private static void closeAfterCrash(CairnEngine engine) {
        try {
            engine.close();
        } catch (IOException | RuntimeException expected) {
            // every operation fails after the simulated power loss
        }
    }
}
