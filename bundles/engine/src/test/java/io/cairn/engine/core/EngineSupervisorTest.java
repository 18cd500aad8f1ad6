package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.engine.ComponentKind;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.Tablespace;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor keeps one engine in line with its configuration and the parts on offer: it opens
 * once the parts are there, and afterwards every change is a swap, never a reopen.
 */
class EngineSupervisorTest {

    private static final long SETTLE_MILLIS = 30_000;

    @TempDir
    Path root;

    private final List<CairnEngine> opened = new CopyOnWriteArrayList<>();
    private final List<String> openFailures = new CopyOnWriteArrayList<>();
    private final EngineSupervisor supervisor = new EngineSupervisor(new EngineSupervisor.Host() {
        @Override
        public BufferPoolProvider bufferPool() {
            return new LruBufferPoolProvider();
        }

        @Override
        public RedoLogProvider redoLog() {
            return new CairnRedoLogProvider();
        }

        @Override
        public void opened(CairnEngine engine) {
            opened.add(engine);
        }

        @Override
        public void openFailed(String problem) {
            openFailures.add(problem);
        }

        @Override
        public void applied(Map<String, String> applied) {
        }

        @Override
        public void recheck() {
        }
    });

    private final BackendSwapTest.Named first = new BackendSwapTest.Named("first", new BufferedStorageBackend(SyncMethod.FDATASYNC));
    private final BackendSwapTest.Named second = new BackendSwapTest.Named("second", new BufferedStorageBackend(SyncMethod.FDATASYNC));

    @AfterEach
    void close() {
        supervisor.close();
    }

    private static EngineSupervisor.Selector named(String property, String name) {
        return new EngineSupervisor.Selector("(" + property + "=" + name + ")", p -> name.equals(p.get(property)));
    }

    private EngineSupervisor.Wanted wanted(EngineConfig config, String data, String redo, String policy) {
        return new EngineSupervisor.Wanted(config, named("cairn.backend", data), named("cairn.backend", redo),
                named("cairn.policy", policy), null);
    }

    private EngineConfig config() {
        return EngineConfig.defaults(root.resolve("home")).withBufferPoolSizeBytes(2L << 20).withRedoCapacityBytes(8L << 20);
    }

    private static Map<String, Object> backendProperties(String name) {
        return Map.of("cairn.backend", name, "service.id", 1L);
    }

    private void settle() throws InterruptedException {
        assertTrue(supervisor.awaitSettled(SETTLE_MILLIS), "the supervisor did not act on the changes within 30 s");
    }

    @Test
    void theEngineMustOpenOnlyOnceTheConfiguredBackendsAreOffered() throws Exception {
        supervisor.start();
        supervisor.configure(wanted(config(), "first", "second", "none"));
        supervisor.offerBackend(1, first, backendProperties("first"));
        settle();
        assertEquals(List.of(), opened);
        assertTrue(supervisor.problem().contains("waiting for a storage backend matching redoBackend.target=(cairn.backend=second)"),
                supervisor.problem());
        supervisor.offerBackend(2, second, backendProperties("second"));
        settle();
        assertEquals(1, opened.size());
        CairnEngine engine = opened.get(0);
        assertEquals("first", engine.active(ComponentKind.DATA_BACKEND));
        assertEquals("second", engine.active(ComponentKind.REDO_BACKEND));
        assertNull(supervisor.problem());
    }

    @Test
    void aChangedTargetMustMoveTheFilesWithoutReopeningTheEngine() throws Exception {
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.offerBackend(2, second, backendProperties("second"));
        supervisor.configure(wanted(config(), "first", "first", "none"));
        settle();
        CairnEngine engine = opened.get(0);
        Tablespace space = engine.createTablespace("t");
        supervisor.configure(wanted(config(), "second", "second", "none"));
        settle();
        assertEquals(1, opened.size(), "a swap must not reopen the engine");
        assertEquals("second", engine.active(ComponentKind.DATA_BACKEND));
        assertEquals("second", engine.active(ComponentKind.REDO_BACKEND));
        assertSame(second, ((TablespaceImpl) space).file().backend());
        assertEquals(Map.of("dataBackend", "second", "redoBackend", "second", "flushPolicy", SafeFlushPolicy.NAME,
                "commitDurability", "SYNC_ON_COMMIT", "bufferPool", "lru", "redoLog", "cairn"), supervisor.applied());
    }

    @Test
    void losingTheActiveBackendMustMoveTheFilesToAnotherAndSaySo() throws Exception {
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.offerBackend(2, second, backendProperties("second"));
        supervisor.configure(wanted(config(), "first", "first", "none"));
        settle();
        CairnEngine engine = opened.get(0);
        supervisor.withdrawBackend(1);
        settle();
        assertEquals("second", engine.active(ComponentKind.DATA_BACKEND));
        assertEquals("second", engine.active(ComponentKind.REDO_BACKEND));
        assertTrue(supervisor.problem().contains("no storage backend matches dataBackend.target=(cairn.backend=first); using second"),
                supervisor.problem());
        assertEquals(supervisor.problem(), engine.engineStatus().configurationProblem());
        supervisor.offerBackend(3, first, backendProperties("first"));
        settle();
        assertEquals("first", engine.active(ComponentKind.DATA_BACKEND), "the configured backend is used again once it is back");
        assertNull(supervisor.problem());
    }

    @Test
    void aSwapTheNewBackendRefusesMustBeReportedAndLeaveTheOldOneInUse() throws Exception {
        BackendSwapTest.Named picky = new BackendSwapTest.Named("picky", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        picky.bufferAlignmentBytes = 1 << 16;
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.offerBackend(2, picky, backendProperties("picky"));
        supervisor.configure(wanted(config(), "first", "first", "none"));
        settle();
        CairnEngine engine = opened.get(0);
        engine.createTablespace("t");
        supervisor.configure(wanted(config(), "picky", "first", "none"));
        settle();
        assertEquals("first", engine.active(ComponentKind.DATA_BACKEND));
        assertTrue(supervisor.problem().startsWith("dataBackend.target=(cairn.backend=picky) is not applied"), supervisor.problem());
        assertTrue(supervisor.problem().contains("aligned to 65536"), supervisor.problem());
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            mtr.allocatePage(engine.tablespace("t"));
            mtr.commit();
        }
    }

    @Test
    void durabilityPolicyAndSizesMustApplyWhileRunningAndOtherSettingsWaitForARestart() throws Exception {
        FlushPolicy steady = new FlushPolicy() {
            @Override
            public String name() {
                return "steady";
            }

            @Override
            public FlushPlan plan(FlushState state) {
                return FlushPlan.nothing("test policy");
            }
        };
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.configure(wanted(config(), "first", "first", "steady"));
        settle();
        CairnEngine engine = opened.get(0);
        assertEquals(CommitDurability.SYNC_ON_COMMIT, engine.commitDurability());
        supervisor.offerPolicy(7, steady, Map.of("cairn.policy", "steady"));
        EngineConfig changed = config().withCommitDurability(CommitDurability.PERIODIC)
                .withBufferPoolSizeBytes(4L << 20).withDoublewrite(DoublewriteMode.OFF).withPageCleanerThreads(2);
        supervisor.configure(wanted(changed, "first", "first", "steady"));
        settle();
        assertEquals(1, opened.size());
        assertEquals(CommitDurability.PERIODIC, engine.commitDurability());
        assertEquals(4L << 20, engine.engineStatus().bufferPool().sizeBytes());
        assertEquals("steady", supervisor.applied().get("flushPolicy"));
        String problem = supervisor.problem();
        assertNotNull(problem);
        assertTrue(problem.contains("doublewrite, pageCleanerThreads changed; they take effect at the next start"), problem);
        supervisor.withdrawPolicy(7);
        settle();
        assertEquals(SafeFlushPolicy.NAME, supervisor.applied().get("flushPolicy"));
    }

    @Test
    void anEngineThatCannotOpenMustBeReportedAndTriedAgainAfterAChange() throws Exception {
        java.nio.file.Files.writeString(root.resolve("home"), "a file where the home directory should be");
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.configure(wanted(config(), "first", "first", "none"));
        settle();
        assertEquals(List.of(), opened);
        assertEquals(1, openFailures.size(), openFailures.toString());
        assertTrue(openFailures.get(0).contains("did not start"), openFailures.get(0));
        EngineConfig elsewhere = EngineConfig.defaults(root.resolve("other")).withBufferPoolSizeBytes(2L << 20)
                .withRedoCapacityBytes(8L << 20);
        supervisor.configure(new EngineSupervisor.Wanted(elsewhere, named("cairn.backend", "first"),
                named("cairn.backend", "first"), named("cairn.policy", "none"), null));
        settle();
        assertEquals(1, opened.size(), "a changed configuration must be tried again");
        assertEquals("x", opened.get(0).createTablespace("x").name());
    }

    private EngineSupervisor.Wanted wantedWithWait(EngineConfig config, String backend, long waitMillis) {
        return new EngineSupervisor.Wanted(config, named("cairn.backend", backend), named("cairn.backend", backend),
                named("cairn.policy", "none"), null, waitMillis);
    }

    private static void commitOne(CairnEngine engine, Tablespace space, long value) throws java.io.IOException {
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            io.cairn.engine.PageRef page = mtr.writePage(space, TablespaceImpl.FIRST_USER_PAGE_NO);
            page.putLong(page.bodyStartOffset(), value);
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
    }

    @Test
    void withNoBackendLeftACommitMustWaitForOneAndGoOnWhenItIsInstalled() throws Exception {
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.configure(wantedWithWait(config(), "first", 60_000));
        settle();
        CairnEngine engine = opened.get(0);
        Tablespace space = engine.createTablespace("t");
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            mtr.allocatePage(space);
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
        supervisor.withdrawBackend(1);
        settle();
        assertEquals(AwaitedBackend.NAME, engine.active(ComponentKind.DATA_BACKEND));
        assertEquals(AwaitedBackend.NAME, engine.active(ComponentKind.REDO_BACKEND));
        assertTrue(supervisor.problem().contains("no storage backend available for data files; their I/O waits up to 60000 ms"),
                supervisor.problem());
        java.util.concurrent.FutureTask<Void> commit = new java.util.concurrent.FutureTask<>(() -> {
            commitOne(engine, space, 42);
            return null;
        });
        Thread committer = new Thread(commit, "waiting-committer");
        committer.start();
        awaitBlocked(committer, commit);
        supervisor.offerBackend(2, second, backendProperties("second"));
        commit.get(30, java.util.concurrent.TimeUnit.SECONDS);
        settle();
        assertEquals("second", engine.active(ComponentKind.DATA_BACKEND));
        assertEquals("second", engine.active(ComponentKind.REDO_BACKEND));
        assertTrue(supervisor.problem().contains("no storage backend matches"), supervisor.problem());
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            io.cairn.engine.PageRef page = mtr.readPage(space, TablespaceImpl.FIRST_USER_PAGE_NO);
            assertEquals(42, page.getLong(page.bodyStartOffset()));
        }
    }

    @Test
    void withNoBackendLeftACommitMustFailAfterTheWaitInsteadOfBeingAcknowledged() throws Exception {
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.configure(wantedWithWait(config(), "first", 300));
        settle();
        CairnEngine engine = opened.get(0);
        Tablespace space = engine.createTablespace("t");
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            mtr.allocatePage(space);
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
        commitOne(engine, space, 7);
        supervisor.withdrawBackend(1);
        settle();
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> commitOne(engine, space, 8));
        String message = String.valueOf(failure.getMessage()) + " " + (failure.getCause() == null ? "" : failure.getCause().getMessage());
        assertTrue(message.contains("no storage backend available"), failure.toString());
        supervisor.close();
        CairnEngine reopened = CairnEngine.open(config(), TestEngines.parts(new BufferedStorageBackend(SyncMethod.FDATASYNC)));
        try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
            io.cairn.engine.PageRef page = mtr.readPage(reopened.tablespace("t"), TablespaceImpl.FIRST_USER_PAGE_NO);
            assertEquals(7, page.getLong(page.bodyStartOffset()), "the acknowledged commit survives; the refused one is not there");
        } finally {
            reopened.close();
        }
    }

    /** The LRU pool under another name, so that a change of bufferPool.target has something to pick. */
    private static BufferPoolProvider named(String name) {
        return new BufferPoolProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public io.cairn.bufferpool.BufferPool create(io.cairn.bufferpool.BufferPoolConfig config,
                    io.cairn.bufferpool.PageStore store) {
                return new LruBufferPoolProvider().create(config, store);
            }
        };
    }

    @Test
    void aChangedBufferPoolTargetMustReplaceThePoolWithoutReopeningTheEngine() throws Exception {
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.offerPool(10, named("lru"), Map.of("cairn.bufferpool", "lru"));
        supervisor.offerPool(11, named("other"), Map.of("cairn.bufferpool", "other"));
        EngineSupervisor.Wanted lru = new EngineSupervisor.Wanted(config(), named("cairn.backend", "first"),
                named("cairn.backend", "first"), named("cairn.policy", "none"), null, 30_000, named("cairn.bufferpool", "lru"));
        supervisor.configure(lru);
        settle();
        CairnEngine engine = opened.get(0);
        assertEquals("lru", engine.active(ComponentKind.BUFFER_POOL));
        Tablespace space = engine.createTablespace("t");
        commitOneAfterAllocating(engine, space, 5);
        supervisor.configure(new EngineSupervisor.Wanted(config(), named("cairn.backend", "first"),
                named("cairn.backend", "first"), named("cairn.policy", "none"), null, 30_000, named("cairn.bufferpool", "other")));
        settle();
        assertEquals(1, opened.size(), "a pool replacement must not reopen the engine");
        assertEquals("other", engine.active(ComponentKind.BUFFER_POOL));
        assertEquals("other", supervisor.applied().get("bufferPool"));
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            io.cairn.engine.PageRef page = mtr.readPage(space, TablespaceImpl.FIRST_USER_PAGE_NO);
            assertEquals(5, page.getLong(page.bodyStartOffset()), "the page is read back through the new pool");
        }
        supervisor.withdrawPool(11);
        settle();
        assertEquals("lru", engine.active(ComponentKind.BUFFER_POOL), "the only pool left takes over");
        assertTrue(supervisor.problem().contains("no buffer pool matches bufferPool.target=(cairn.bufferpool=other); using lru"),
                supervisor.problem());
    }

    @Test
    void aChangedRedoLogTargetMustHandTheLogOverWithoutReopeningAndAnUnmatchedOneMustKeepIt() throws Exception {
        supervisor.start();
        supervisor.offerBackend(1, first, backendProperties("first"));
        supervisor.offerRedoLog(20, new CairnRedoLogProvider(), Map.of("cairn.redo", "cairn"));
        supervisor.offerRedoLog(21, new TestEngines.RenamedRedoLog("cairn-b"), Map.of("cairn.redo", "cairn-b"));
        supervisor.configure(redoLogWanted("cairn-b"));
        settle();
        CairnEngine engine = opened.get(0);
        assertEquals("cairn-b", engine.active(ComponentKind.REDO_LOG), "a new home starts with the wanted log");
        Tablespace space = engine.createTablespace("t");
        commitOneAfterAllocating(engine, space, 7);
        supervisor.configure(redoLogWanted("cairn"));
        settle();
        assertEquals(1, opened.size(), "a hand-over must not reopen the engine");
        assertEquals("cairn", engine.active(ComponentKind.REDO_LOG));
        assertEquals("cairn", supervisor.applied().get("redoLog"));
        commitOne(engine, space, 8);
        supervisor.configure(redoLogWanted("missing"));
        settle();
        assertEquals("cairn", engine.active(ComponentKind.REDO_LOG), "the log is not handed to whatever is installed");
        assertTrue(supervisor.problem().contains("no redo log implementation matches redoLog.target=(cairn.redo=missing);"
                + " cairn stays in use"), supervisor.problem());
    }

    private EngineSupervisor.Wanted redoLogWanted(String redoLog) {
        return new EngineSupervisor.Wanted(config(), named("cairn.backend", "first"), named("cairn.backend", "first"),
                named("cairn.policy", "none"), null, 30_000, null, named("cairn.redo", redoLog));
    }

    private static void commitOneAfterAllocating(CairnEngine engine, Tablespace space, long value) throws java.io.IOException {
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            mtr.allocatePage(space);
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
        commitOne(engine, space, value);
    }

    private static void awaitBlocked(Thread thread, java.util.concurrent.FutureTask<?> task) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!task.isDone()) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, thread.getName() + " did not block: " + state);
            Thread.onSpinWait();
        }
        throw new AssertionError(thread.getName() + " finished instead of waiting");
    }
}
