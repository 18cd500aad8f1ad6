package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.ComponentKind;
import io.cairn.engine.CorruptPageException;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power loss right after a swap: the files of one role have just moved to a new backend (a
 * second fault-injecting backend over the same files), or the buffer pool was replaced; commits
 * continue, and the power fails at one of the next syncs (of the new backend after a backend swap;
 * the old one loses power a moment later). Recovery must find
 * every acknowledged commit, no page that fails its checksum, and no mini-transaction half applied.
 *
 * <p>Each commit writes its value into a slot of two pages of different tablespaces; after
 * recovery both slots must agree and hold at least the acknowledged value.
 * {@code -Dcairn.test.swapCrashSeed} replays a run.
 */
class SwapCrashTest {

    private static final int PAGES = 32;
    private static final CrashMode[] MODES = {CrashMode.DROP_ALL_UNSYNCED, CrashMode.DROP_RANDOM_SUBSET,
            CrashMode.TEAR_SECTORS, CrashMode.PER_WRITE_RANDOM};

    @TempDir
    Path root;

    private int scenarioNumber;

    private record Outcome(long acknowledgedAfterSwap) {
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aPowerLossRightAfterADataOrRedoSwapMustLoseNoAcknowledgedCommit() throws Exception {
        long seed = Long.getLong("cairn.test.swapCrashSeed", System.nanoTime());
        System.out.println("SwapCrashTest: seed " + seed + " (replay with -Dcairn.test.swapCrashSeed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        List<Outcome> outcomes = new ArrayList<>();
        for (ComponentKind kind : new ComponentKind[] {ComponentKind.DATA_BACKEND, ComponentKind.REDO_BACKEND,
                ComponentKind.BUFFER_POOL, ComponentKind.REDO_LOG}) {
            for (CrashMode mode : MODES) {
                outcomes.add(scenario(kind, mode, random.nextLong(), 1 + random.nextInt(12), "seed " + seed));
            }
        }
        assertTrue(outcomes.stream().anyMatch(o -> o.acknowledgedAfterSwap() > 0),
                "no commit was acknowledged between a swap and its crash, so nothing was tested: " + outcomes);
    }

    private static EngineConfig config(Path home) {
        return EngineConfig.defaults(home).withBufferPoolSizeBytes(1L << 20).withRedoCapacityBytes(4L << 20)
                .withDoublewrite(DoublewriteMode.ON).withCleanerIntervalMillis(20);
    }

    private Outcome scenario(ComponentKind kind, CrashMode mode, long backendSeed, int crashAtSync, String runSeed)
            throws Exception {
        Path home = root.resolve("scenario-" + ++scenarioNumber);
        FaultInjectingStorageBackend before = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), backendSeed);
        FaultInjectingStorageBackend after = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), backendSeed + 1);
        EngineConfig config = config(home);
        // The second redo log implementation a REDO_LOG scenario hands over to, and recovers with.
        TestEngines.RenamedRedoLog otherRedoLog = new TestEngines.RenamedRedoLog("cairn-b");
        CairnEngine engine = CairnEngine.open(config, TestEngines.parts(before, new CairnRedoLogProvider(), otherRedoLog));
        AtomicLongArray acknowledged = new AtomicLongArray(PAGES);
        AtomicLong commits = new AtomicLong();
        AtomicLong commitsAtSwap = new AtomicLong(-1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> committers = new ArrayList<>();
        String context = kind + ", " + mode + ", crash at sync " + crashAtSync + " after the swap, backend seed "
                + backendSeed + ", " + runSeed;
        try {
            Tablespace primary = engine.createTablespace("primary");
            Tablespace mirror = engine.createTablespace("mirror");
            for (Tablespace space : List.of(primary, mirror)) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    for (int i = 0; i < PAGES; i++) {
                        mtr.allocatePage(space);
                    }
                    mtr.commit(CommitDurability.SYNC_ON_COMMIT);
                }
            }
            for (int c = 0; c < 2; c++) {
                int first = c * PAGES / 2; // each committer owns half the slots, so its values only grow
                Thread committer = new Thread(() -> {
                    long value = 0;
                    SplittableRandom r = new SplittableRandom(first);
                    while (!before.isCrashed() || !after.isCrashed()) {
                        int slot = first + r.nextInt(PAGES / 2);
                        value++;
                        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                            for (Tablespace space : List.of(primary, mirror)) {
                                PageRef page = mtr.writePage(space, TablespaceImpl.FIRST_USER_PAGE_NO + slot);
                                page.putLong(page.bodyStartOffset(), value);
                            }
                            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
                        } catch (IOException | RuntimeException e) {
                            if (!before.isCrashed() && !after.isCrashed()) {
                                failures.add(e);
                            }
                            return; // the crash: later commits can only fail
                        }
                        acknowledged.set(slot, value);
                        commits.incrementAndGet();
                    }
                }, "swap-crash-committer-" + c);
                committers.add(committer);
                committer.start();
            }
            awaitCommits(commits, 100, failures, context);
            // The backend whose sync brings the power loss: the new one after a backend swap; after
            // a buffer pool replacement (every file stays where it is) the only one.
            FaultInjectingStorageBackend crashing;
            if (kind == ComponentKind.BUFFER_POOL) {
                engine.replaceBufferPool(new io.cairn.bufferpool.lru.LruBufferPoolProvider());
                after.crash(mode); // holds no file: nothing to lose
                crashing = before;
            } else if (kind == ComponentKind.REDO_LOG) {
                engine.replaceRedoLog(otherRedoLog); // the new log's files are on the same backend
                after.crash(mode);
                crashing = before;
            } else {
                engine.switchBackend(kind, after);
                crashing = after;
            }
            commitsAtSwap.set(commits.get());
            crashing.crashAtSync(crashAtSync, "*", mode);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!crashing.isCrashed()) {
                assertTrue(System.nanoTime() < deadline, "the new backend did not reach sync " + crashAtSync + ": " + context);
                assertTrue(failures.isEmpty(), () -> "a commit failed before the crash: " + failures + ": " + context);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            before.crash(mode); // the same power loss, a moment later for the other role's files (no-op if done)
            for (Thread committer : committers) {
                committer.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!committer.isAlive(), committer.getName() + " did not stop after the crash: " + context);
            }
        } finally {
            try {
                engine.close();
            } catch (IOException | RuntimeException expectedAfterCrash) {
                // the backends refuse everything after the simulated power loss
            }
        }
        assertTrue(failures.isEmpty(), () -> "a commit failed before the crash: " + failures + ": " + context);
        long afterSwap = commits.get() - commitsAtSwap.get();
        if (kind == ComponentKind.REDO_LOG) {
            // The hand-over was durable before the crash: recovery must read the new log.
            assertTrue(java.nio.file.Files.readString(home.resolve("cairn.format")).contains("redoLog=cairn-b"), context);
        }
        // Wanting Cairn's log: after a REDO_LOG scenario the home's log is cairn-b's, which recovers it first.
        try (CairnEngine reopened = CairnEngine.open(config, TestEngines.parts(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), new CairnRedoLogProvider(), otherRedoLog))) {
            assertEquals("cairn", reopened.active(ComponentKind.REDO_LOG), context);
            Tablespace primary = reopened.tablespace("primary");
            Tablespace mirror = reopened.tablespace("mirror");
            for (int slot = 0; slot < PAGES; slot++) {
                try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
                    PageRef p = mtr.readPage(primary, TablespaceImpl.FIRST_USER_PAGE_NO + slot);
                    PageRef m = mtr.readPage(mirror, TablespaceImpl.FIRST_USER_PAGE_NO + slot);
                    long pv = p.getLong(p.bodyStartOffset());
                    long mv = m.getLong(m.bodyStartOffset());
                    assertEquals(pv, mv, "slot " + slot + ": a mini-transaction was half applied: " + context);
                    assertTrue(pv >= acknowledged.get(slot), "slot " + slot + " holds " + pv + " but "
                            + acknowledged.get(slot) + " was acknowledged: " + context);
                }
            }
        } catch (CorruptPageException e) {
            throw new AssertionError("a page does not verify after the power loss: " + context + ": " + e.getMessage(), e);
        }
        System.out.println(context + ": " + commits.get() + " commits acknowledged, " + afterSwap + " after the swap");
        return new Outcome(afterSwap);
    }

    private static void awaitCommits(AtomicLong commits, long target, ConcurrentLinkedQueue<Throwable> failures,
            String context) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (commits.get() < target) {
            assertTrue(failures.isEmpty(), () -> "a commit failed: " + failures + ": " + context);
            assertTrue(System.nanoTime() < deadline, "commits stalled at " + commits.get() + ": " + context);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
