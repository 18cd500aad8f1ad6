package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.ComponentKind;
import io.cairn.engine.EngineEvent;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.SwapFailedException;
import io.cairn.engine.Tablespace;
import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.file.Files;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handing a running engine's redo log over to another implementation (issue 7): quiesce, write
 * every page, checkpoint at the log's end, create the new log continuing there, record it in the
 * home, resume. The second implementation here is Cairn's format under another name, which keeps
 * its files in {@code redo-cairn-b/}; a crash right after a hand-over is in {@link SwapCrashTest}.
 */
class RedoLogHandOverTest {

    private static final int PAGES = 48;

    @TempDir
    Path root;

    private final StorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
    private final CairnRedoLogProvider cairn = new CairnRedoLogProvider();
    private final TestEngines.RenamedRedoLog other = new TestEngines.RenamedRedoLog("cairn-b");

    private EngineConfig config() {
        return EngineConfig.defaults(root.resolve("home")).withBufferPoolSizeBytes(1L << 20)
                .withRedoCapacityBytes(8L << 20).withCleanerIntervalMillis(20);
    }

    @Test
    void handingTheLogOverMustKeepEveryCommitMoveTheFilesAndLetLsnsOnlyGrow() throws Exception {
        long[] values = new long[PAGES];
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, cairn, other))) {
            Tablespace space = createSpace(engine);
            writeAll(engine, space, values, 1);
            long endBefore = engine.redo().currentLsn();

            engine.replaceRedoLog(other);

            assertEquals("cairn-b", engine.active(ComponentKind.REDO_LOG));
            assertTrue(engine.redo().currentLsn() >= endBefore, "the new log continues at or after the old one's end");
            assertEquals(List.of(), files(home().resolve("redo")), "the old log's files are deleted");
            assertFalse(files(home().resolve("redo-cairn-b")).isEmpty(), "the new log's files are in its own directory");
            assertTrue(Files.readString(home().resolve("cairn.format")).contains("redoLog=cairn-b"));
            long committedAt = writeAll(engine, space, values, 2);
            assertTrue(committedAt > endBefore, "a commit after the hand-over gets an LSN above every page's");
        }
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, other, cairn))) {
            assertEquals("cairn-b", engine.active(ComponentKind.REDO_LOG));
            assertValues(engine, values);
        }
        // Configured for Cairn's log again: recovered with cairn-b's, then handed back at start.
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, cairn, other))) {
            assertEquals("cairn", engine.active(ComponentKind.REDO_LOG));
            assertEquals(null, engine.engineStatus().configurationProblem());
            assertValues(engine, values);
            writeAll(engine, engine.tablespace("t"), values, 3);
        }
        assertTrue(Files.readString(home().resolve("cairn.format")).contains("redoLog=cairn\n"));
        assertEquals(List.of(), files(home().resolve("redo-cairn-b")));
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend))) {
            assertValues(engine, values);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void commitsRunningThroughHandOversMustAllSucceedAndSurvive() throws Exception {
        AtomicLongArray acknowledged = new AtomicLongArray(PAGES);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        AtomicLong commits = new AtomicLong();
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, cairn, other))) {
            engine.addListener(events::add);
            Tablespace space = createSpace(engine);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> committers = new ArrayList<>();
            int threads = 4;
            for (int t = 0; t < threads; t++) {
                int first = t * PAGES / threads; // each committer owns its slots, so their values only grow
                Thread committer = new Thread(() -> {
                    SplittableRandom random = new SplittableRandom(first);
                    long value = 0;
                    while (!stop.get()) {
                        int slot = first + random.nextInt(PAGES / threads);
                        value++;
                        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                            PageRef page = mtr.writePage(space, TablespaceImpl.FIRST_USER_PAGE_NO + slot);
                            page.putLong(page.bodyStartOffset(), value);
                            mtr.commit(value % 3 == 0 ? CommitDurability.WRITE_ON_COMMIT : CommitDurability.SYNC_ON_COMMIT);
                        } catch (IOException | RuntimeException e) {
                            failures.add(e);
                            return;
                        }
                        if (value % 3 != 0) {
                            acknowledged.set(slot, value);
                        }
                        commits.incrementAndGet();
                    }
                }, "hand-over-committer-" + t);
                committers.add(committer);
                committer.start();
            }
            try {
                for (int round = 0; round < 6; round++) {
                    awaitCommits(commits, commits.get() + 200, failures);
                    engine.replaceRedoLog(round % 2 == 0 ? other : cairn);
                }
                awaitCommits(commits, commits.get() + 200, failures);
            } finally {
                stop.set(true);
                for (Thread committer : committers) {
                    committer.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
            assertEquals(List.of(), new ArrayList<>(failures), "no commit may fail across a hand-over");
            assertEquals("cairn", engine.active(ComponentKind.REDO_LOG));
        }
        long completed = events.stream().filter(e -> e instanceof EngineEvent.SwapCompleted c
                && c.kind() == ComponentKind.REDO_LOG).count();
        assertEquals(6, completed, "one completed swap event per hand-over: " + events);
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend))) {
            Tablespace space = engine.tablespace("t");
            for (int slot = 0; slot < PAGES; slot++) {
                long found = read(engine, space, slot);
                assertTrue(found >= acknowledged.get(slot), "slot " + slot + " holds " + found + " but "
                        + acknowledged.get(slot) + " was acknowledged");
            }
        }
    }

    @Test
    void anImplementationThatCannotContinueAtAnLsnMustBeRefusedAndTheOldLogKeptInUse() throws Exception {
        other.canContinue = false;
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, cairn, other))) {
            Tablespace space = createSpace(engine);
            SwapFailedException refused = assertThrows(SwapFailedException.class, () -> engine.replaceRedoLog(other));
            assertTrue(refused.getMessage().contains("cannot continue at a given LSN"), refused.getMessage());
            assertEquals("cairn", engine.active(ComponentKind.REDO_LOG));
            writeAll(engine, space, new long[PAGES], 5);
        }
    }

    @Test
    void aFailedCreationMustLeaveTheOldLogInUseAndRecorded() throws Exception {
        other.failCreate = new IOException("no space left on device (simulated)");
        long[] values = new long[PAGES];
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, cairn, other))) {
            Tablespace space = createSpace(engine);
            writeAll(engine, space, values, 1);
            SwapFailedException failed = assertThrows(SwapFailedException.class, () -> engine.replaceRedoLog(other));
            assertTrue(failed.getMessage().contains("no space left on device"), failed.getMessage());
            assertEquals("cairn", engine.active(ComponentKind.REDO_LOG));
            writeAll(engine, space, values, 2);
        }
        assertTrue(Files.readString(home().resolve("cairn.format")).contains("redoLog=cairn\n"));
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend))) {
            assertValues(engine, values);
        }
    }

    @Test
    void aHomeWhoseLogAnUninstalledImplementationHoldsMustRefuseToOpenNamingIt() throws Exception {
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, cairn, other))) {
            createSpace(engine);
            engine.replaceRedoLog(other);
        }
        IOException refused = assertThrows(IOException.class,
                () -> CairnEngine.open(config(), TestEngines.parts(backend)).close());
        assertTrue(refused.getMessage().contains("'cairn-b', which is not installed"), refused.getMessage());
        assertTrue(refused.getMessage().contains("cairn.redo=cairn-b"), refused.getMessage());
    }

    @Test
    void aNewHomeMustKeepItsLogWithTheWantedImplementation() throws Exception {
        try (CairnEngine engine = CairnEngine.open(config(), TestEngines.parts(backend, other))) {
            assertEquals("cairn-b", engine.active(ComponentKind.REDO_LOG));
        }
        assertTrue(Files.readString(home().resolve("cairn.format")).contains("redoLog=cairn-b"));
        assertFalse(files(home().resolve("redo-cairn-b")).isEmpty());
        assertEquals(List.of(), files(home().resolve("redo")));
    }

    // ------------------------------------------------------------------ helpers

    private Path home() {
        return root.resolve("home");
    }

    private static List<String> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Tablespace createSpace(CairnEngine engine) throws IOException {
        Tablespace space = engine.createTablespace("t");
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            for (int i = 0; i < PAGES; i++) {
                mtr.allocatePage(space);
            }
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
        return space;
    }

    /** Writes {@code round * 1000 + slot} into every slot, one commit each; returns the last commit's LSN. */
    private static long writeAll(CairnEngine engine, Tablespace space, long[] values, int round) throws IOException {
        long lsn = 0;
        for (int slot = 0; slot < PAGES; slot++) {
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef page = mtr.writePage(space, TablespaceImpl.FIRST_USER_PAGE_NO + slot);
                long value = round * 1000L + slot;
                page.putLong(page.bodyStartOffset(), value);
                lsn = mtr.commit(CommitDurability.SYNC_ON_COMMIT);
                values[slot] = value;
            }
        }
        return lsn;
    }

    private static long read(CairnEngine engine, Tablespace space, int slot) throws IOException {
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            PageRef page = mtr.readPage(space, TablespaceImpl.FIRST_USER_PAGE_NO + slot);
            return page.getLong(page.bodyStartOffset());
        }
    }

    private static void assertValues(CairnEngine engine, long[] values) throws IOException {
        Tablespace space = engine.tablespace("t");
        for (int slot = 0; slot < PAGES; slot++) {
            assertEquals(values[slot], read(engine, space, slot), "slot " + slot);
        }
    }

    private static void awaitCommits(AtomicLong commits, long target, ConcurrentLinkedQueue<Throwable> failures) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (commits.get() < target) {
            assertTrue(failures.isEmpty(), () -> "a commit failed: " + failures);
            assertTrue(System.nanoTime() < deadline, "commits stalled at " + commits.get());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
