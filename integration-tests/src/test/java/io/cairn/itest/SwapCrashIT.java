package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.engine.EnginePhase;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import io.cairn.status.EngineStatus;
import io.cairn.status.StatusService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Issue 7's Done-when item "The same while the fault backend injects a crash right after a swap:
 * recovery is correct", in the assembled server: a mixed key-value workload runs, one role's files
 * move from the buffered backend to the fault-injecting one through {@code cairn:backend}, and one
 * of the next syncs becomes a simulated power loss. After the engine bundle is stopped and started
 * again (recovery on what the power loss left), every acknowledged write must be there.
 *
 * <p>The engine-level {@code SwapCrashTest} drives {@code CairnEngine.switchBackend} directly; this
 * test exists because the server swaps differently: ConfigAdmin, the engine component's dynamic
 * backend references and the supervisor's thread, with the key-value store and SCR around it, and
 * stopping a bundle whose engine lost its disk must neither hang nor corrupt the restart.
 *
 * <p>Before the swap the other role is already on {@code faultinject}, so after it every file is,
 * and the power loss covers everything written after the swap. Each thread owns its keys, so a
 * key's expected value is its last acknowledged one, or the value of the one operation that failed
 * at the crash (its outcome is unknown). {@code -Dcairn.test.swapCrashSeed=} replays the choices
 * (the n of each armed crash, the fault backend's seed and so its random choices, the workers' keys
 * and values); thread timing, and so which file's sync is the n-th, is not replayable.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapCrashIT extends FrameworkTest {

    private static final long SEED = Long.getLong("cairn.test.swapCrashSeed", System.nanoTime());
    /** How long a stop of the engine bundle may take after the power loss before it counts as a hang. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int THREADS = 6;
    /** With values of 100 to 1200 bytes, the prefilled table is several times the 2 MiB pool (128 frames). */
    private static final int KEYS_PER_THREAD = 2_000;
    private static final int PREFILL_BATCH = 100;
    private static final long OPERATIONS_BEFORE_SWAP = 4_000;
    private static final String FAULT_COMPONENT = "io.cairn.io.faultinject.internal.FaultInjectBackendComponent";
    private static final Pattern TRACED_WRITE = Pattern.compile(": write (\\S+) @\\d+ \\+\\d+ \\(seed ");
    private static final Pattern TRACED_SYNC = Pattern.compile(": sync (\\S+) \\S+, \\d+ pending \\(seed ");

    private static Path home;

    @Configuration
    public Option[] config() throws IOException {
        return new Option[] {CairnOptions.cairnFramework(CairnOptions.newHome("swap-crash"))};
    }

    /** What one scenario ran into; the summary line and the cross-scenario check read it. */
    private record Outcome(String summary, long writesAfterSwap) {
    }

    /**
     * Every crash mode after a data swap and after a redo swap. The scenarios share one engine home:
     * each later one starts from what the previous recovery left, which is itself checked by
     * {@code verify()}.
     */
    @Test
    public void aPowerLossRightAfterABackendSwapMustLoseNoAcknowledgedWrite() throws Exception {
        System.out.println("SwapCrashIT: seed " + SEED + " (replay with -Dcairn.test.swapCrashSeed=" + SEED + ")");
        SplittableRandom random = new SplittableRandom(SEED);
        List<Outcome> outcomes = new ArrayList<>();
        for (CrashMode mode : CrashMode.values()) {
            for (String swappedRole : List.of("data", "redo")) {
                // The role about to move starts on buffered, the other is already on faultinject.
                String dataBefore = swappedRole.equals("data") ? "buffered" : "faultinject";
                String redoBefore = swappedRole.equals("redo") ? "buffered" : "faultinject";
                int crashAtSync = 1 + random.nextInt(12);
                long backendSeed = random.nextLong() | 1; // the fault backend treats 0 as "pick one"
                String name = (outcomes.size() + 1) + "-" + swappedRole;
                Outcome outcome = scenario(name, swappedRole, dataBefore, redoBefore, mode, crashAtSync, backendSeed);
                System.out.println(outcome.summary());
                outcomes.add(outcome);
            }
        }
        // A crash at the first syncs after a swap can come before any commit returns; over all the
        // scenarios, some writes must have been acknowledged on the new backend before the power loss.
        assertTrue("no write was acknowledged between a swap and its power loss, so nothing was tested (seed "
                + SEED + "): " + outcomes, outcomes.stream().anyMatch(o -> o.writesAfterSwap() > 0));
    }

    private Outcome scenario(String name, String swappedRole, String dataBefore, String redoBefore, CrashMode mode,
            int crashAtSync, long backendSeed) throws Exception {
        String context = "scenario " + name + " (" + swappedRole + " -> faultinject, " + mode + ", crash at sync "
                + crashAtSync + ", fault backend seed " + backendSeed + ", run seed " + SEED + ")";
        Bundle engineBundle = framework.bundle("io.cairn.engine");
        int logLinesBefore = logLines().size();

        // The starting point: a fresh fault backend with this scenario's seed, the engine restarted so
        // the small pool and both targets apply before anything is measured.
        if (engineBundle.getState() == Bundle.ACTIVE) {
            stopBounded(engineBundle, context + ", before the scenario");
        }
        Map<String, Object> engineSettings = new HashMap<>();
        engineSettings.put("bufferPoolSizeMebibytes", "2");
        engineSettings.put("commitDurability", "1");
        engineSettings.put("dataBackend.target", "(cairn.backend=" + dataBefore + ")");
        engineSettings.put("redoBackend.target", "(cairn.backend=" + redoBefore + ")");
        updateConfiguration("io.cairn.engine", engineSettings);
        updateConfiguration("io.cairn.io.faultinject", Map.of("seed", backendSeed));
        FaultInjectingStorageBackend backend = awaitFaultBackend(backendSeed);
        backend.reset();
        engineBundle.start();
        StatusService status = framework.awaitService(StatusService.class);
        framework.awaitCondition(context + ": the engine runs on data=" + dataBefore + ", redo=" + redoBefore, () -> {
            EngineStatus s = status.engineStatus();
            return s != null && s.phase() == EnginePhase.RUNNING && s.bufferPool().totalFrames() == 128
                    && dataBefore.equals(s.dataBackend().name()) && redoBefore.equals(s.redoBackend().name());
        });
        KeyValueStore store = framework.awaitService(KeyValueStore.class);
        CommandSession shell = framework.awaitService(CommandProcessor.class).createSession(System.in, System.out, System.err);
        String tableName = "swap-crash-" + name;
        Table table = store.createTable(tableName);

        Workload workload = new Workload(table, backend, backendSeed);
        workload.prefill(store);
        BufferPoolStats afterPrefill = status.engineStatus().bufferPool();
        // Misses that evict dirty pages are what puts data-file writes next to the redo writes, so a
        // pool that holds the whole table would test only the redo log.
        assertTrue(context + ": the prefill did not make the pool write pages: " + afterPrefill,
                afterPrefill.pagesWritten() > 0);
        workload.start();
        String swapResult;
        long writesAtSwap;
        int pendingAtArming;
        long writesAtCrash;
        BufferPoolStats poolAtSwap;
        int stoppedByCrash;
        try {
            workload.awaitOperations(OPERATIONS_BEFORE_SWAP, context);
            // Traced from before the swap: the fault log keeps the last 1000 events, so at the crash it
            // holds the writes and syncs that decide what the power loss discarded.
            backend.traceOperations(true);
            poolAtSwap = status.engineStatus().bufferPool();
            swapResult = run(shell, "cairn:backend " + swappedRole + " faultinject");
            writesAtSwap = workload.acknowledgedWrites.get();
            pendingAtArming = backend.pendingChangeCount();
            backend.crashAtSync(crashAtSync, "*", mode);
            EngineStatus swapped = status.engineStatus();
            assertTrue(context + ": after the swap not every file is on faultinject: data on "
                    + swapped.dataBackend().name() + ", redo on " + swapped.redoBackend().name(),
                    swapped.dataBackend().name().equals("faultinject") && swapped.redoBackend().name().equals("faultinject"));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!backend.isCrashed()) {
                workload.failIfAnyFailed(context);
                if (System.nanoTime() > deadline) {
                    fail(context + ": no power loss within " + TIMEOUT.toSeconds() + " s of arming it; "
                            + workload.acknowledgedWrites.get() + " writes acknowledged; fault log tail: "
                            + tail(backend.faultLog(), 5));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            writesAtCrash = workload.acknowledgedWrites.get();
            // Every worker writes about every other operation, and no write can succeed now: each one
            // must end with its own exception, soon.
            stoppedByCrash = workload.awaitEndedByCrash(Duration.ofSeconds(10));
        } finally {
            // Closed, not left to the garbage collector: Gogo keeps its sessions in a WeakHashMap and
            // its stop at framework shutdown throws a NullPointerException on one collected meanwhile.
            shell.close();
            workload.stop(context);
            backend.traceOperations(false);
        }
        workload.failIfAnyFailed(context);

        List<String> faultLog = backend.faultLog();
        int crashLine = lastIndexStartingWith(faultLog, "crash ");
        assertTrue(context + ": the fault log does not show the crash: " + tail(faultLog, 5), crashLine >= 0);
        String crashReason = faultLog.get(crashLine);
        Matcher crashedAt = Pattern.compile("sync of (\\S+)").matcher(crashReason);
        String crashFile = crashedAt.find() ? Path.of(crashedAt.group(1)).getFileName().toString() : crashReason;
        Map<String, Integer> droppedByFile = unsyncedWritesAt(faultLog, crashLine);
        int droppedWrites = droppedByFile.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(context + ": the power loss discarded no unsynced write (pending changes at arming: "
                + pendingAtArming + "), so it proved nothing; fault log before the crash: "
                + faultLog.subList(Math.max(0, crashLine - 10), crashLine + 1), droppedWrites > 0);

        long stopMillis = stopBounded(engineBundle, context + ", after the power loss");
        backend.reset(); // what the power loss left on disk is what the restarted engine finds
        long recoveryStarted = System.nanoTime();
        engineBundle.start();
        StatusService restartedStatus = framework.awaitService(StatusService.class);
        framework.awaitCondition(context + ": the engine runs again after the power loss", () -> {
            EngineStatus s = restartedStatus.engineStatus();
            return s != null && s.phase() == EnginePhase.RUNNING;
        });
        KeyValueStore reopened = framework.awaitService(KeyValueStore.class);
        assertTrue(context + ": the key-value store after the restart is the one from before it", reopened != store);
        Table recovered = framework.awaitTable(reopened, tableName, context);
        long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recoveryStarted);
        int[] unknownHeld = workload.check(recovered, context);
        assertEquals(context + ": store.verify() after recovery", List.of(), reopened.verify());

        List<String> problems = new ArrayList<>();
        List<String> newLog = logLines();
        for (String line : newLog.subList(Math.min(logLinesBefore, newLog.size()), newLog.size())) {
            if (line.contains(" ERROR ") || line.contains(" WARN ")) {
                problems.add(line);
            }
        }
        long writesAfterSwap = writesAtCrash - writesAtSwap;
        String summary = String.format(java.util.Locale.ROOT,
                "SwapCrashIT: %s: seed %d, %s -> faultinject, mode %s, crash at sync %d (of %s); %d operations before the"
                        + " swap (pool: %d misses, %d pages written), %d writes acknowledged after the swap and before"
                        + " the crash; %d changes pending at arming, %d unsynced writes dropped %s; %d/%d workers stopped"
                        + " by the crash; stop took %d ms, restart and recovery %d ms; %d unknown-outcome keys (%d"
                        + " new, %d old); %d WARN/ERROR log lines; swap: %s",
                name, SEED, swappedRole, mode, crashAtSync, crashFile, OPERATIONS_BEFORE_SWAP, poolAtSwap.misses(),
                poolAtSwap.pagesWritten(), writesAfterSwap, pendingAtArming, droppedWrites, droppedByFile, stoppedByCrash,
                THREADS,
                stopMillis, recoveryMillis, unknownHeld[0] + unknownHeld[1], unknownHeld[0], unknownHeld[1],
                problems.size(), swapResult);
        if (!problems.isEmpty()) {
            System.out.println("SwapCrashIT: " + name + ": WARN/ERROR lines of cairn.log:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
        return new Outcome(summary, writesAfterSwap);
    }

    /**
     * The writes the fault log shows after their file's last sync and before the crash: those were
     * pending when the power failed, so the crash undid them (re-applying some as its mode says).
     * A lower bound: writes older than the log's 1000 events are not counted.
     */
    static Map<String, Integer> unsyncedWritesAt(List<String> faultLog, int crashLine) {
        int previousCrash = -1;
        for (int i = crashLine - 1; i >= 0; i--) {
            if (faultLog.get(i).startsWith("crash ")) {
                previousCrash = i;
                break;
            }
        }
        Map<String, Integer> unsynced = new HashMap<>();
        for (String line : faultLog.subList(previousCrash + 1, crashLine)) {
            Matcher write = TRACED_WRITE.matcher(line);
            if (write.find()) {
                unsynced.merge(write.group(1), 1, Integer::sum);
                continue;
            }
            Matcher sync = TRACED_SYNC.matcher(line);
            if (sync.find()) {
                unsynced.remove(sync.group(1));
            }
        }
        return new java.util.TreeMap<>(unsynced);
    }

    /** The mixed workload on one table, with the model it is checked against. */
    private final class Workload {
        private final Table table;
        private final FaultInjectingStorageBackend backend;
        private final long seed;
        /** Each key's last acknowledged value; absent: deleted or never written. */
        private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        /** The write that failed at the crash, per key: afterwards the key may hold it or the acknowledged value. */
        private final Map<String, Attempt> unknown = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> crashErrors = new ConcurrentLinkedQueue<>();
        private final AtomicLong operations = new AtomicLong();
        private final AtomicLong acknowledgedWrites = new AtomicLong();
        private final AtomicInteger endedByCrash = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Workload(Table table, FaultInjectingStorageBackend backend, long seed) {
            this.table = table;
            this.backend = backend;
            this.seed = seed;
        }

        /** Writes every key once, in batches, so the table is larger than the pool from the start. */
        void prefill(KeyValueStore store) {
            SplittableRandom random = new SplittableRandom(seed - 1);
            for (int owner = 0; owner < THREADS; owner++) {
                for (int first = 0; first < KEYS_PER_THREAD; first += PREFILL_BATCH) {
                    io.cairn.kv.WriteBatch batch = store.newBatch();
                    Map<String, String> values = new HashMap<>();
                    for (int i = first; i < Math.min(KEYS_PER_THREAD, first + PREFILL_BATCH); i++) {
                        String key = "k-" + owner + "-" + i;
                        String value = key + "#0#" + "p".repeat(100 + random.nextInt(1100));
                        batch.put(table, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
                        values.put(key, value);
                    }
                    store.write(batch);
                    acknowledged.putAll(values);
                }
            }
        }

        void start() {
            for (int t = 0; t < THREADS; t++) {
                int owner = t;
                Thread thread = new Thread(() -> work(owner), "swap-crash-worker-" + t);
                threads.add(thread);
                thread.start();
            }
        }

        private void work(int owner) {
            SplittableRandom random = new SplittableRandom(seed + owner);
            long version = 0;
            while (!stop.get()) {
                String key = "k-" + owner + "-" + random.nextInt(KEYS_PER_THREAD);
                byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                int kind = random.nextInt(100);
                Attempt attempt = null;
                try {
                    if (kind < 45) {
                        String value = key + "#" + (++version) + "#" + "v".repeat(100 + random.nextInt(1100));
                        attempt = new Attempt(value);
                        table.put(keyBytes, value.getBytes(StandardCharsets.UTF_8));
                        acknowledged.put(key, value);
                        acknowledgedWrites.incrementAndGet();
                    } else if (kind < 55) {
                        attempt = new Attempt(null);
                        table.delete(keyBytes);
                        acknowledged.remove(key);
                        acknowledgedWrites.incrementAndGet();
                    } else {
                        byte[] found = table.get(keyBytes);
                        String actual = found == null ? null : new String(found, StandardCharsets.UTF_8);
                        String expected = acknowledged.get(key);
                        if (!Objects.equals(expected, actual)) {
                            failures.add("a read of " + key + " returned " + abbreviate(actual) + ", the last"
                                    + " acknowledged value is " + abbreviate(expected));
                        }
                    }
                    operations.incrementAndGet();
                } catch (RuntimeException e) {
                    if (attempt != null) {
                        unknown.put(key, attempt);
                    }
                    // The crash sets the backend's state before the failing sync throws, so a failure
                    // seen while it is not crashed happened before the power loss and is a bug.
                    if (backend.isCrashed()) {
                        crashErrors.add(Thread.currentThread().getName() + ": " + e);
                        endedByCrash.incrementAndGet();
                    } else {
                        failures.add(Thread.currentThread().getName() + " before the power loss: " + e);
                    }
                    return;
                } catch (Throwable t) {
                    failures.add(Thread.currentThread().getName() + ": " + t);
                    return;
                }
            }
        }

        void awaitOperations(long target, String context) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (operations.get() < target) {
                failIfAnyFailed(context);
                if (System.nanoTime() > deadline) {
                    fail(context + ": the workload stalled at " + operations.get() + " operations, waiting for " + target);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }

        /** Waits until every worker ended with its exception or the grace period passed; how many did. */
        int awaitEndedByCrash(Duration grace) {
            long deadline = System.nanoTime() + grace.toNanos();
            while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            return endedByCrash.get();
        }

        /** Ends the workload; a worker that does not end is stuck in the engine, which the thread dump shows. */
        void stop(String context) throws InterruptedException {
            stop.set(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            List<String> stuck = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
            if (!stuck.isEmpty()) {
                String dump = threadDump("workers-" + System.nanoTime());
                fail(context + ": workers did not end within 30 s of the stop: " + stuck + "\n" + dump);
            }
        }

        void failIfAnyFailed(String context) {
            if (!failures.isEmpty()) {
                fail(context + ": " + new ArrayList<>(failures));
            }
        }

        /**
         * Compares every key with the model; the counts of unknown-outcome keys that held the failed
         * write's value and that held the acknowledged one.
         */
        int[] check(Table recovered, String context) {
            List<String> wrong = new ArrayList<>();
            int[] unknownHeld = new int[2];
            for (int owner = 0; owner < THREADS; owner++) {
                for (int i = 0; i < KEYS_PER_THREAD; i++) {
                    String key = "k-" + owner + "-" + i;
                    byte[] found = recovered.get(key.getBytes(StandardCharsets.UTF_8));
                    String actual = found == null ? null : new String(found, StandardCharsets.UTF_8);
                    String expected = acknowledged.get(key);
                    Attempt attempt = unknown.get(key);
                    if (Objects.equals(expected, actual)) {
                        if (attempt != null) {
                            unknownHeld[Objects.equals(attempt.value(), actual) ? 0 : 1]++;
                        }
                    } else if (attempt != null && Objects.equals(attempt.value(), actual)) {
                        unknownHeld[0]++;
                    } else {
                        wrong.add(key + " holds " + abbreviate(actual) + ", the last acknowledged value is "
                                + abbreviate(expected) + (attempt == null ? "" : " and the write that failed at the"
                                + " crash was " + abbreviate(attempt.value())));
                    }
                }
            }
            assertEquals(context + ": after recovery, " + wrong.size() + " keys differ from the model (first 20): "
                    + wrong.subList(0, Math.min(20, wrong.size())) + "; errors at the crash: " + crashErrors,
                    0, wrong.size());
            return unknownHeld;
        }
    }

    /** A write whose outcome is unknown; {@code value} null for a delete. */
    private record Attempt(String value) {
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * Stops a bundle on a thread of its own so that a stop that never returns fails the test with a
     * thread dump instead of hanging it; how long the stop took.
     */
    private long stopBounded(Bundle target, String context) {
        long started = System.nanoTime();
        AtomicReference<BundleException> error = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                target.stop();
            } catch (BundleException e) {
                error.set(e);
            }
        }, "swap-crash-stop-" + target.getSymbolicName());
        stopper.setDaemon(true);
        stopper.start();
        long deadline = started + STOP_TIMEOUT.toNanos();
        while (stopper.isAlive() || target.getState() != Bundle.RESOLVED) {
            if (System.nanoTime() > deadline) {
                String dump = threadDump("stop-" + System.nanoTime());
                fail(context + ": stopping " + target.getSymbolicName() + " did not end within "
                        + STOP_TIMEOUT.toSeconds() + " s (state " + target.getState() + ")\n" + dump);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (error.get() != null) {
            throw new AssertionError(context + ": stopping " + target.getSymbolicName() + " failed", error.get());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Every thread's full stack and locks, printed and kept beside the home for the report. */
    private static String threadDump(String name) {
        StringBuilder out = new StringBuilder("thread dump:\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
            out.append('\n');
        }
        String dump = out.toString();
        System.out.println("SwapCrashIT: " + dump);
        try {
            Files.writeString(homeDirectory().resolve("thread-dump-" + name + ".txt"), dump);
        } catch (IOException | RuntimeException e) {
            System.out.println("SwapCrashIT: could not keep the thread dump: " + e);
        }
        return dump;
    }

    private static Path homeDirectory() {
        if (home == null) {
            home = Path.of(System.getProperty("cairn.home"));
        }
        return home;
    }

    /** cairn.log's lines so far (the launch bundle writes it under the home). */
    private static List<String> logLines() throws IOException {
        Path log = homeDirectory().resolve("log").resolve("cairn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void updateConfiguration(String pid, Map<String, Object> settings) throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = configuration.getProperties() == null ? new Hashtable<>()
                : configuration.getProperties();
        settings.forEach(properties::put);
        configuration.update(properties);
    }

    /**
     * The decorator behind the {@code faultinject} service once DS reactivated the component with
     * {@code seed}. The component's package is private to its bundle, so its {@code decorator()} is
     * reached reflectively; the decorator's own class is exported.
     */
    private FaultInjectingStorageBackend awaitFaultBackend(long seed) throws Exception {
        // Only the registration that carries the new seed (DS publishes configuration properties):
        // getting the service of the one being disposed made SCR's factory return null, which Felix
        // logs as a FrameworkEvent ERROR.
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter(
                "(&(objectClass=" + FAULT_COMPONENT + ")(cairn.backend=faultinject)(seed=" + seed + "))"), null);
        tracker.open();
        framework.hold(tracker);
        AtomicReference<FaultInjectingStorageBackend> found = new AtomicReference<>();
        framework.awaitCondition("a fault-injecting backend with seed " + seed, () -> {
            Object[] services = tracker.getServices();
            for (Object service : services == null ? new Object[0] : services) {
                FaultInjectingStorageBackend decorator = decoratorOf(service);
                if (decorator.seed() == seed) {
                    found.set(decorator);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    private static FaultInjectingStorageBackend decoratorOf(Object component) {
        try {
            return (FaultInjectingStorageBackend) component.getClass().getMethod("decorator").invoke(component);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot reach " + FAULT_COMPONENT + ".decorator()", e);
        }
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    /** Runs a Gogo command; its result. */
    private String run(CommandSession shell, String command) {
        try {
            return command + " -> " + shell.execute(command);
        } catch (Exception e) {
            throw new AssertionError(command + " failed: " + e.getMessage(), e);
        }
    }
}
