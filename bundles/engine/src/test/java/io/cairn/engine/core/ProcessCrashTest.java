package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.engine.CorruptPageException;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process crashes: a child JVM ({@link CrashWorkloadMain}) runs a concurrent update workload on a
 * buffer pool far smaller than the pages in use, so pages are evicted, written through the
 * doublewrite file and the tablespace is extended while it runs; the test kills it with SIGKILL
 * after a random number of acknowledged commits, recovers the home in this JVM and checks that
 * every acknowledged commit is there, that no mini-transaction is half applied, and that every
 * page verifies.
 *
 * <p>All rounds run on one home: each round starts from what the previous crash and recovery
 * left, so damage that a single recovery tolerates but the next crash exposes (a checkpoint too
 * far ahead, a doublewrite copy overwritten too early, redo reclaimed too soon) accumulates
 * instead of being wiped by a fresh directory.
 *
 * <p>Properties: {@code cairn.test.processCrashRounds} (default 30) and
 * {@code cairn.test.processCrashRounds.writeOnCommit} (default 10) set the rounds;
 * {@code cairn.test.processCrashSeed} replays a failure (every failure message names the seed). A
 * soak: {@code mvn -f bundles/engine/pom.xml test-compile surefire:test -Dtest=ProcessCrashTest
 * -Dcairn.test.processCrashRounds=1000 -Dcairn.test.processCrashRounds.writeOnCommit=300}
 * (the timeouts scale with the rounds).
 */
class ProcessCrashTest {

    private static final int THREADS = 4;
    /** Kill after 1 to this many acknowledged commits (all threads together). */
    private static final int MAX_ACKS_BEFORE_KILL = 1500;
    private static final long ROUND_TIMEOUT_SECONDS = 60;
    /** {@code Process.exitValue()} of a process that SIGKILL ended on Linux: 128 + 9. */
    private static final int EXIT_BY_SIGKILL = 137;

    @TempDir
    Path root;

    @Test
    void everyCommitAcknowledgedWithSyncOnCommitMustSurviveSigkillOfTheProcess() throws Exception {
        crashRounds(CommitDurability.SYNC_ON_COMMIT, Integer.getInteger("cairn.test.processCrashRounds", 30));
    }

    /** Level 2 only waits for the OS page cache, which a process crash does not lose. */
    @Test
    void everyCommitAcknowledgedWithWriteOnCommitMustSurviveSigkillOfTheProcess() throws Exception {
        crashRounds(CommitDurability.WRITE_ON_COMMIT, Integer.getInteger("cairn.test.processCrashRounds.writeOnCommit", 10));
    }

    private void crashRounds(CommitDurability durability, int rounds) throws Exception {
        long seed = Long.getLong("cairn.test.processCrashSeed", System.nanoTime());
        System.out.println("ProcessCrashTest " + durability + ": " + rounds + " rounds, seed " + seed
                + " (replay with -Dcairn.test.processCrashSeed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Path home = root.resolve("home");
        EngineConfig config = CrashWorkloadMain.config(home, durability, DoublewriteMode.ON);
        setUp(config);
        long[] last = new long[THREADS];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + 10L * rounds);
        for (int round = 1; round <= rounds; round++) {
            assertTrue(System.nanoTime() < deadline, "rounds take far too long; stopped before round " + round);
            int killAfter = 1 + random.nextInt(MAX_ACKS_BEFORE_KILL);
            String context = durability + ", seed " + seed + ", round " + round + ", kill after " + killAfter
                    + " acknowledged commits";
            Path stderr = root.resolve("child-" + round + ".stderr");
            long[] acknowledged = runAndKill(home, durability, last, killAfter, stderr, context);
            last = verify(config, acknowledged, context + ", acknowledged " + Arrays.toString(acknowledged));
            System.out.println("round " + round + ": killed after " + killAfter + " acknowledged commits; acknowledged "
                    + Arrays.toString(acknowledged) + ", recovered " + Arrays.toString(last));
            Files.deleteIfExists(stderr);
        }
    }

    /** The tablespace with its fixed pages, created cleanly before the first crash. */
    private static void setUp(EngineConfig config) throws IOException {
        try (CairnEngine engine = CairnEngine.open(config, TestEngines.parts(new BufferedStorageBackend(SyncMethod.FDATASYNC)))) {
            Tablespace space = engine.createTablespace(CrashWorkloadMain.TABLESPACE);
            long expected = TablespaceImpl.FIRST_USER_PAGE_NO;
            // In small batches: one mini-transaction holds all its pages, and the pool has 64 frames.
            for (int batch = 0; batch < CrashWorkloadMain.FIXED_PAGES / 16; batch++) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    for (int i = 0; i < 16; i++) {
                        assertEquals(expected++, mtr.allocatePage(space).pageNo(), "the layout needs consecutive pages");
                    }
                    mtr.commit(CommitDurability.SYNC_ON_COMMIT);
                }
            }
        }
    }

    /**
     * Starts the workload, kills it with SIGKILL once {@code killAfter} commits were acknowledged,
     * and returns the last acknowledged sequence per thread (including lines still in the pipe).
     */
    private long[] runAndKill(Path home, CommitDurability durability, long[] start, int killAfter, Path stderr,
            String context) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // startup dominates each round
        command.add("-cp");
        command.add(childClassPath());
        command.add(CrashWorkloadMain.class.getName());
        command.add(home.toString());
        command.add(Integer.toString(durability.level()));
        command.add(DoublewriteMode.ON.name());
        for (long s : start) {
            command.add(Long.toString(s));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        // A file, not a pipe: the child can never block on a full stderr pipe.
        builder.redirectError(stderr.toFile());
        Process child = builder.start();
        Thread reader = null;
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            reader = startReader(child, lines);
            long[] acknowledged = start.clone();
            int count = 0;
            boolean eof = false;
            while (count < killAfter) {
                String line = lines.poll(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    fail("no acknowledged commit for " + ROUND_TIMEOUT_SECONDS + " s: " + context + childOutput(stderr));
                }
                if (line.equals(EOF)) {
                    eof = true;
                    break;
                }
                acknowledge(line, acknowledged, context);
                count++;
            }
            if (eof) {
                child.waitFor(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                fail("the workload ended by itself" + (child.isAlive() ? "" : " with exit value " + child.exitValue())
                        + ": " + context + childOutput(stderr));
            }
            // SIGKILL through the child's ProcessHandle: Process.destroyForcibly sends the same signal
            // but also closes our end of the pipes, and the acknowledgements still in the stdout pipe
            // would be lost. The exit value below proves which signal ended it.
            assertTrue(child.toHandle().destroyForcibly(), "the kill was not sent: " + context);
            assertTrue(child.waitFor(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not die: " + context);
            assertEquals(EXIT_BY_SIGKILL, child.exitValue(), () -> "the child must end by SIGKILL, not otherwise: "
                    + context + childOutput(stderr));
            // Commits acknowledged before the kill may still be in the pipe: they count too.
            for (;;) {
                String line = lines.poll(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    fail("the pipe of a dead child did not reach EOF: " + context);
                }
                if (line.equals(EOF)) {
                    break;
                }
                acknowledge(line, acknowledged, context);
            }
            return acknowledged;
        } finally {
            child.destroyForcibly();
            child.waitFor(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            child.getOutputStream().close();
            if (reader != null) {
                reader.join(TimeUnit.SECONDS.toMillis(ROUND_TIMEOUT_SECONDS));
            }
        }
    }

    private static final String EOF = "\u0000EOF";

    @TempDir
    static Path classPathCopy;
    private static String childClassPath;

    /**
     * The test class path, copied once: children start during the whole test and load classes
     * lazily, so a rebuild of a module meanwhile (a parallel build, an IDE) must not reach them.
     * Surefire sets java.class.path to the real class path, not its manifest-only booter jar.
     */
    private static synchronized String childClassPath() throws IOException {
        if (childClassPath == null) {
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                if (!Files.exists(source)) {
                    continue;
                }
                Path copy = classPathCopy.resolve(i++ + "-" + source.getFileName());
                if (Files.isDirectory(source)) {
                    try (var walk = Files.walk(source)) {
                        for (Path p : (Iterable<Path>) walk::iterator) {
                            Path target = copy.resolve(source.relativize(p).toString());
                            if (Files.isDirectory(p)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(p, target);
                            }
                        }
                    }
                } else {
                    Files.copy(source, copy);
                }
                entries.add(copy.toString());
            }
            childClassPath = String.join(java.io.File.pathSeparator, entries);
        }
        return childClassPath;
    }

    private static Thread startReader(Process child, BlockingQueue<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            } finally {
                lines.add(EOF);
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Records {@code C <thread> <seq>}; each thread acknowledges its sequences in order, with no gap. */
    private static void acknowledge(String line, long[] acknowledged, String context) {
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[0].equals("C")) {
            fail("unexpected line from the child: '" + line + "': " + context);
        }
        int thread = Integer.parseInt(parts[1]);
        long seq = Long.parseLong(parts[2]);
        assertEquals(acknowledged[thread] + 1, seq, () -> "thread " + thread + " acknowledged out of order: " + context);
        acknowledged[thread] = seq;
    }

    private static String childOutput(Path stderr) {
        try {
            return "\nchild stderr (" + stderr + "):\n" + (Files.exists(stderr) ? Files.readString(stderr) : "(none)");
        } catch (IOException e) {
            return "\nchild stderr unreadable: " + e;
        }
    }

    /**
     * Recovers the home and checks it against the acknowledged commits; returns the sequence per
     * thread that the recovered state holds, from which the next round continues.
     */
    private static long[] verify(EngineConfig config, long[] acknowledged, String context)
            throws IOException {
        try (CairnEngine engine = CairnEngine.open(config, TestEngines.parts(new BufferedStorageBackend(SyncMethod.FDATASYNC)))) {
            assertEquals(List.of(CrashWorkloadMain.TABLESPACE), engine.tablespaceNames(), context);
            Tablespace space = engine.tablespace(CrashWorkloadMain.TABLESPACE);
            verifyEveryPage(engine);

            // slots[page][thread] = {seq, thread field} of the fixed pages
            Map<Long, long[][]> slots = new HashMap<>();
            long[] found = new long[THREADS];
            for (long pageNo = TablespaceImpl.FIRST_USER_PAGE_NO;
                    pageNo < TablespaceImpl.FIRST_USER_PAGE_NO + CrashWorkloadMain.FIXED_PAGES; pageNo++) {
                long[][] page = readSlots(engine, space, pageNo, context);
                slots.put(pageNo, page);
                for (int t = 0; t < THREADS; t++) {
                    found[t] = Math.max(found[t], page[t][0]);
                }
            }
            for (int t = 0; t < THREADS; t++) {
                String where = context + ", thread " + t + ", found " + found[t];
                assertTrue(found[t] >= acknowledged[t], "an acknowledged commit was lost: " + where);
                assertTrue(found[t] <= acknowledged[t] + 1, "a commit appeared that was never attempted: " + where);
                // Replay the layout: every fixed page must hold the newest commit of t that wrote it.
                Map<Long, Long> expected = new HashMap<>();
                for (long seq = 1; seq <= found[t]; seq++) {
                    for (long pageNo : CrashWorkloadMain.pagesOf(t, seq)) {
                        expected.put(pageNo, seq);
                    }
                }
                for (Map.Entry<Long, long[][]> e : slots.entrySet()) {
                    long want = expected.getOrDefault(e.getKey(), 0L);
                    long[] slot = e.getValue()[t];
                    assertEquals(want, slot[0], "page " + e.getKey() + " does not hold the newest commit of thread " + t
                            + " that wrote it: a mini-transaction was half applied or a page write was lost: " + where);
                    assertEquals(want == 0 ? 0 : t, slot[1], "page " + e.getKey() + " slot " + t + " is damaged: " + where);
                }
            }
            verifyGrownPages(engine, space, found[0], context);
            return found;
        } catch (CorruptPageException e) {
            throw new AssertionError("a page does not verify after the crash: " + context + ": " + e.getMessage(), e);
        }
    }

    /** Reads every page of every tablespace: a page that fails verification throws. */
    private static void verifyEveryPage(CairnEngine engine) throws IOException {
        for (String name : engine.tablespaceNames()) {
            Tablespace space = engine.tablespace(name);
            for (long pageNo = 0; pageNo < space.sizePages(); pageNo++) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    mtr.readPage(space, pageNo);
                }
            }
        }
    }

    private static long[][] readSlots(CairnEngine engine, Tablespace space, long pageNo, String context) throws IOException {
        long[][] slots = new long[THREADS][2];
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            PageRef page = mtr.readPage(space, pageNo);
            for (int t = 0; t < THREADS; t++) {
                int offset = CrashWorkloadMain.slotOffset(page, t);
                slots[t][0] = page.getLong(offset);
                slots[t][1] = page.getLong(offset + 8);
            }
        }
        return slots;
    }

    /**
     * Thread 0's allocations are part of its commits: the header's high-water mark, the pages handed
     * out and the pages beyond must all agree with its newest commit.
     */
    private static void verifyGrownPages(CairnEngine engine, Tablespace space, long newestOfThread0, String context)
            throws IOException {
        long grown = CrashWorkloadMain.grownPages(newestOfThread0);
        String where = context + ", thread 0 at " + newestOfThread0 + ", " + grown + " pages grown";
        long highWater;
        try (PageHandle header = engine.pool().fix(new PageId(space.spaceId(), TablespaceImpl.HEADER_PAGE_NO),
                LatchMode.SHARED, FixMode.READ)) {
            highWater = header.frame().getLong(TablespaceImpl.HIGH_WATER_OFFSET);
        }
        assertEquals(CrashWorkloadMain.grownPageNo(grown) + 1, highWater,
                "the allocations do not match thread 0's commits: " + where);
        assertTrue(space.sizePages() >= highWater, "pages were handed out beyond the tablespace size: " + where);
        for (long pageNo = TablespaceImpl.FIRST_USER_PAGE_NO + CrashWorkloadMain.FIXED_PAGES; pageNo < space.sizePages();
                pageNo++) {
            long j = pageNo - CrashWorkloadMain.grownPageNo(1) + 1;
            long want = j <= grown ? j * CrashWorkloadMain.GROW_EVERY : 0;
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef page = mtr.readPage(space, pageNo);
                int offset = CrashWorkloadMain.slotOffset(page, 0);
                assertEquals(want, page.getLong(offset), "grown page " + pageNo + ": " + where);
                for (int t = 1; t < THREADS; t++) {
                    assertEquals(0, page.getLong(CrashWorkloadMain.slotOffset(page, t)), "grown page " + pageNo
                            + " was written by thread " + t + ": " + where);
                }
            }
        }
    }
}
