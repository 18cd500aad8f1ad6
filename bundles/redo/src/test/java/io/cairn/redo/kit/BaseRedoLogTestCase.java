package io.cairn.redo.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.StorageBackend;
import io.cairn.io.UnusableStorageBackend;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.io.faultinject.FaultKind;
import io.cairn.io.faultinject.FaultRule;
import io.cairn.io.faultinject.OperationClass;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.Lsn;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.RedoStats;
import io.cairn.redo.kit.RedoGroups.Group;
import io.cairn.redo.kit.RedoGroups.Scan;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of {@link RedoLog} as tests (a conformance kit). A redo log implementation passes
 * by extending this class:
 *
 * <pre>{@code
 * class MyRedoLogTest extends BaseRedoLogTestCase {
 *     protected RedoLogProvider newProvider() { return new MyRedoLogProvider(); }
 *     protected StorageBackend newBackend(Path root) { return new BufferedStorageBackend(SyncMethod.FDATASYNC); }
 * }
 * }</pre>
 *
 * <p>Crash tests wrap the backend in the fault-injecting backend and simulate a power loss at
 * every sync in turn (SQLite's crash sweep): after each, the reopened log must scan back exactly a
 * prefix of the appended groups that holds every acknowledged one. Random choices print their
 * seed; set {@code -Dcairn.testkit.seed=N} to replay.
 *
 * <p>No test sleeps to synchronise or asserts timing: waits are on conditions, with timeouts.
 */
public abstract class BaseRedoLogTestCase {

    /** Capacity of most tests: 1 MiB, enough for several files in implementations that split it. */
    protected static final long CAPACITY_BYTES = 1 << 20;
    private static final long TIMEOUT_SECONDS = 30;

    /** A fresh directory per test; the log lives in {@code root.resolve("redo")}. */
    protected Path root;
    protected long seed;
    private final List<RedoLog> opened = new ArrayList<>();

    /** The implementation under test. */
    protected abstract RedoLogProvider newProvider() throws Exception;

    /** The backend the log's files are opened through. */
    protected abstract StorageBackend newBackend(Path root) throws Exception;

    /** Another backend for {@link RedoLog#switchBackend} tests, or null to skip them. */
    protected StorageBackend alternateBackend(Path root) throws Exception {
        return null;
    }

    /** The smallest capacity the implementation accepts (used by the capacity tests). */
    protected long minimumCapacityBytes() {
        return 64 << 10;
    }

    /** Where per-test directories are created. */
    protected Path baseDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @BeforeEach
    void createRoot() throws IOException {
        seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        root = Files.createTempDirectory(baseDirectory(), "cairn-redo-kit-").toRealPath();
    }

    @AfterEach
    void closeAndDelete() throws IOException {
        for (RedoLog log : opened) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                // crash tests leave failed logs behind; closing them may report the failure
            }
        }
        TestFiles.deleteRecursively(root);
    }

    protected Path redoDirectory() {
        return root.resolve("redo");
    }

    protected RedoLogConfig config(StorageBackend backend, long capacityBytes, CommitDurability durability) {
        return new RedoLogConfig(redoDirectory(), backend, capacityBytes, durability, 1000, "Cairn kit");
    }

    protected RedoLog open(StorageBackend backend) throws Exception {
        return open(config(backend, CAPACITY_BYTES, CommitDurability.SYNC_ON_COMMIT));
    }

    protected RedoLog open(RedoLogConfig config) throws Exception {
        RedoLog log = newProvider().open(config);
        opened.add(log);
        return log;
    }

    protected String seedMessage() {
        return "seed " + seed + " (replay with -Dcairn.testkit.seed=" + seed + ")";
    }

    /** Appends and syncs each group, returning them as appended. */
    protected List<Group> appendAll(RedoLog log, List<List<RedoRecord>> groups, CommitDurability durability)
            throws Exception {
        List<Group> appended = new ArrayList<>();
        for (List<RedoRecord> g : groups) {
            long before = log.currentLsn();
            long end = log.append(g);
            log.waitFor(end, durability);
            assertTrue(end > before, "end LSN must be past the LSN before the append");
            appended.add(new Group(before, end, RedoGroups.describe(g)));
        }
        return appended;
    }

    protected List<List<RedoRecord>> randomGroups(SplittableRandom random, int count, int maxBytes) {
        List<List<RedoRecord>> groups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            groups.add(RedoGroups.randomGroup(random, random.nextInt(1, maxBytes)));
        }
        return groups;
    }

    protected static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT_SECONDS + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // poll the condition, do not burn a core
        }
    }

    /** Asserts that {@code scanned} is exactly {@code appended[k .. k + scanned.size())} for the k where it starts. */
    protected static int assertPrefixFrom(List<Group> appended, long fromLsn, List<Group> scanned, String context) {
        int k = 0;
        while (k < appended.size() && appended.get(k).startLsn() < fromLsn) {
            k++;
        }
        assertTrue(k + scanned.size() <= appended.size(), context + ": scanned " + scanned.size()
                + " groups from LSN " + fromLsn + ", only " + (appended.size() - k) + " were appended there");
        for (int i = 0; i < scanned.size(); i++) {
            Group a = appended.get(k + i);
            Group s = scanned.get(i);
            assertEquals(a.startLsn(), s.startLsn(), context + ": start LSN of group " + (k + i));
            assertEquals(a.endLsn(), s.endLsn(), context + ": end LSN of group " + (k + i));
            assertEquals(a.records(), s.records(), context + ": records of group " + (k + i));
        }
        return k + scanned.size();
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void everyRecordTypeMustRoundTripThroughCloseReopenAndScan() throws Exception {
        StorageBackend backend = newBackend(root);
        RedoLog log = open(backend);
        List<RedoRecord> all = RedoGroups.everyRecordType();
        List<List<RedoRecord>> groups = new ArrayList<>();
        groups.add(all);
        for (RedoRecord r : all) {
            groups.add(List.of(r));
        }
        List<Group> appended = appendAll(log, groups, CommitDurability.SYNC_ON_COMMIT);
        log.close();

        RedoLog reopened = open(backend);
        Scan scan = RedoGroups.scan(reopened, Lsn.FIRST);
        assertEquals(appended, scan.groups());
        assertEquals(appended.size(), scan.result().groups());
        assertEquals(Lsn.FIRST, scan.result().startLsn());
        assertEquals(appended.get(appended.size() - 1).endLsn(), scan.result().endLsn());
        assertNotNull(scan.result().tailDescription());
    }

    @Test
    void manyGroupsAcrossSeveralFilesMustScanBackAsAppended() throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        StorageBackend backend = newBackend(root);
        RedoLog log = open(backend);
        List<Group> appended = new ArrayList<>();
        List<List<RedoRecord>> groups = randomGroups(random, 400, 3000);
        for (int i = 0; i < groups.size(); i++) {
            long before = log.currentLsn();
            long end = log.append(groups.get(i));
            appended.add(new Group(before, end, RedoGroups.describe(groups.get(i))));
            // A mix of durabilities, so groups land in many writes of different sizes.
            log.waitFor(end, CommitDurability.values()[i % 3]);
        }
        log.close();

        Scan scan = RedoGroups.scan(open(backend), Lsn.FIRST);
        assertEquals(appended.size(), scan.groups().size(), seedMessage());
        assertEquals(appended, scan.groups(), seedMessage());
    }

    @Test
    void appendsAfterAScanMustContinueAtItsEnd() throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        StorageBackend backend = newBackend(root);
        List<Group> appended = new ArrayList<>();
        for (int incarnation = 0; incarnation < 4; incarnation++) {
            RedoLog log = open(backend);
            Scan scan = RedoGroups.scan(log, log.checkpointLsn());
            assertEquals(appended, scan.groups(), "incarnation " + incarnation + ", " + seedMessage());
            assertEquals(log.currentLsn(), scan.result().endLsn(), "appends continue at the scan's end");
            appended.addAll(appendAll(log, randomGroups(random, 20, 2000), CommitDurability.SYNC_ON_COMMIT));
            log.close();
        }
    }

    @Test
    void lsnsMustGrowByGroupAndPositionsKeepTheirOrder() throws Exception {
        RedoLog log = open(newBackend(root));
        assertEquals(Lsn.FIRST, log.currentLsn(), "a new log starts at Lsn.FIRST");
        long previous = log.currentLsn();
        for (int i = 0; i < 50; i++) {
            long end = log.append(RedoGroups.smallGroup(1, i, 100));
            assertTrue(end > previous);
            assertEquals(end, log.currentLsn());
            previous = end;
            RedoStats stats = log.stats();
            assertTrue(stats.checkpointLsn() <= stats.flushedLsn() && stats.flushedLsn() <= stats.writtenLsn()
                    && stats.writtenLsn() <= stats.currentLsn(), stats.toString());
        }
        log.waitFor(previous, CommitDurability.SYNC_ON_COMMIT);
        RedoStats stats = log.stats();
        assertTrue(stats.flushedLsn() >= previous);
        assertEquals(50, stats.groupsAppended());
        assertTrue(stats.syncCalls() >= 1 && stats.writeCalls() >= 1);
        assertEquals(CommitDurability.SYNC_ON_COMMIT, stats.defaultDurability());
        assertEquals(previous - Lsn.FIRST, stats.checkpointAgeBytes());
    }

    // ------------------------------------------------------------------ durability levels

    @Test
    void syncOnCommitMustReturnOnlyOnceFlushedCoversTheGroup() throws Exception {
        RedoLog log = open(newBackend(root));
        for (int i = 0; i < 20; i++) {
            long end = log.append(RedoGroups.smallGroup(1, i, 100));
            log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
            assertTrue(log.flushedLsn() >= end);
            assertTrue(log.writtenLsn() >= end);
        }
    }

    @Test
    void writeOnCommitMustReturnOnlyOnceWrittenCoversTheGroup() throws Exception {
        RedoLog log = open(newBackend(root));
        for (int i = 0; i < 20; i++) {
            long end = log.append(RedoGroups.smallGroup(1, i, 100));
            log.waitFor(end, CommitDurability.WRITE_ON_COMMIT);
            assertTrue(log.writtenLsn() >= end);
        }
    }

    @Test
    void periodicCommitsMustBeSyncedInTheBackground() throws Exception {
        RedoLog log = open(new RedoLogConfig(redoDirectory(), newBackend(root), CAPACITY_BYTES,
                CommitDurability.PERIODIC, 50, "Cairn kit"));
        long end = 0;
        for (int i = 0; i < 20; i++) {
            end = log.append(RedoGroups.smallGroup(1, i, 100));
            log.waitFor(end, CommitDurability.PERIODIC);
        }
        long target = end;
        awaitCondition(() -> log.flushedLsn() >= target, "the background flush to reach LSN " + target);
    }

    @Test
    void waitingForAnLsnNeverAppendedMustBeRejected() throws Exception {
        RedoLog log = open(newBackend(root));
        long end = log.append(RedoGroups.smallGroup(1, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> log.waitFor(end + 1000, CommitDurability.SYNC_ON_COMMIT));
    }

    @Test
    void closeMustMakeEveryAppendedGroupDurableAndBeIdempotent() throws Exception {
        StorageBackend backend = newBackend(root);
        RedoLog log = open(new RedoLogConfig(redoDirectory(), backend, CAPACITY_BYTES, CommitDurability.PERIODIC,
                100_000, "Cairn kit"));
        List<Group> appended = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            List<RedoRecord> g = RedoGroups.smallGroup(2, i, 300);
            long before = log.currentLsn();
            appended.add(new Group(before, log.append(g), RedoGroups.describe(g)));
        }
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> log.append(RedoGroups.smallGroup(1, 1, 1)));
        assertEquals(appended, RedoGroups.scan(open(backend), Lsn.FIRST).groups());
    }

    // ------------------------------------------------------------------ group commit

    @Test
    void oneWriteAndOneSyncMustServeEveryWaitingCommitter() throws Exception {
        RedoLog log = open(newBackend(root));
        int threads = 8;
        int rounds = 40;
        CyclicBarrier appended = new CyclicBarrier(threads);
        CyclicBarrier durable = new CyclicBarrier(threads);
        long syncsBefore = log.stats().syncCalls();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        long end = log.append(RedoGroups.smallGroup(id, r, 100));
                        appended.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                        durable.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(TIMEOUT_SECONDS * 4, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long commits = (long) threads * rounds;
        long syncs = log.stats().syncCalls() - syncsBefore;
        // One sync per round is the ideal; a background sync now and then is allowed.
        assertTrue(syncs <= 2L * rounds, syncs + " syncs for " + commits + " commits in " + rounds
                + " rounds: waiters are not sharing syncs");
    }

    @Test
    void concurrentCommittersMustAllBeDurableWithFarFewerSyncsThanCommits() throws Exception {
        StorageBackend backend = newBackend(root);
        RedoLog log = open(config(backend, 64L << 20, CommitDurability.SYNC_ON_COMMIT));
        int threads = 16;
        int perThread = 150;
        long syncsBefore = log.stats().syncCalls();
        List<Group> appended = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        List<RedoRecord> g = RedoGroups.smallGroup(id, i, 100);
                        long end = log.append(g);
                        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                        assertTrue(log.flushedLsn() >= end);
                        appended.add(new Group(0, end, RedoGroups.describe(g)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(TIMEOUT_SECONDS * 4, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long commits = (long) threads * perThread;
        long syncs = log.stats().syncCalls() - syncsBefore;
        assertTrue(syncs * 2 < commits, syncs + " syncs for " + commits + " commits by " + threads + " threads");
        log.close();

        List<Group> scanned = RedoGroups.scan(open(backend), Lsn.FIRST).groups();
        assertEquals(commits, scanned.size());
        List<Group> byEnd = new ArrayList<>(appended);
        byEnd.sort((a, b) -> Long.compare(a.endLsn(), b.endLsn()));
        for (int i = 0; i < scanned.size(); i++) {
            assertEquals(byEnd.get(i).endLsn(), scanned.get(i).endLsn());
            assertEquals(byEnd.get(i).records(), scanned.get(i).records());
        }
    }

    // ------------------------------------------------------------------ checkpoints and capacity

    @Test
    void checkpointMustSurviveReopenAndRefuseLsnsBehindItOrAheadOfFlushed() throws Exception {
        StorageBackend backend = newBackend(root);
        RedoLog log = open(backend);
        List<Group> appended = appendAll(log, randomGroups(new SplittableRandom(seed), 30, 2000),
                CommitDurability.SYNC_ON_COMMIT);
        long first = appended.get(10).startLsn();
        long second = appended.get(20).startLsn();
        log.checkpoint(first);
        assertEquals(first, log.checkpointLsn());
        log.checkpoint(second);
        assertEquals(second, log.checkpointLsn());
        assertThrows(IllegalArgumentException.class, () -> log.checkpoint(first));
        long unflushed = log.append(RedoGroups.smallGroup(1, 1, 10));
        if (log.flushedLsn() < unflushed) {
            assertThrows(IllegalArgumentException.class, () -> log.checkpoint(unflushed));
        }
        log.close();

        RedoLog reopened = open(backend);
        assertEquals(second, reopened.checkpointLsn());
        Scan scan = RedoGroups.scan(reopened, reopened.checkpointLsn());
        assertEquals(appended.subList(20, 30), scan.groups().subList(0, 10));
    }

    @Test
    void aTornCheckpointWriteMustLeaveThePreviousCheckpointValid() throws Exception {
        for (CrashMode mode : CrashMode.values()) {
            for (int attempt = 0; attempt < 4; attempt++) {
                TestFiles.deleteRecursively(redoDirectory());
                FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root),
                        seed + attempt);
                RedoLog log = open(fault);
                List<Group> appended = appendAll(log, randomGroups(new SplittableRandom(seed), 10, 1000),
                        CommitDurability.SYNC_ON_COMMIT);
                long older = appended.get(3).startLsn();
                long newer = appended.get(7).startLsn();
                log.checkpoint(older);
                // Nothing is unsynced now, so the next sync is the checkpoint's own.
                fault.crashAtSync(1, "*", mode);
                assertThrows(IOException.class, () -> log.checkpoint(newer));
                fault.reset();
                RedoLog reopened = open(fault);
                long found = reopened.checkpointLsn();
                String context = mode + " attempt " + attempt + ", seed " + (seed + attempt);
                assertTrue(found == older || found == newer, context + ": checkpoint " + found);
                if (mode == CrashMode.DROP_ALL_UNSYNCED) {
                    assertEquals(older, found, context);
                }
                assertPrefixFrom(appended, found, RedoGroups.scan(reopened, found).groups(), context);
                reopened.close();
            }
        }
    }

    @Test
    void appendsMustBlockWhileCapacityIsExhaustedUntilACheckpointFreesSpace() throws Exception {
        long capacity = minimumCapacityBytes();
        RedoLog log = open(config(newBackend(root), capacity, CommitDurability.SYNC_ON_COMMIT));
        fillToCapacity(log, capacity);
        long before = log.currentLsn();
        AtomicBoolean done = new AtomicBoolean();
        Thread appender = startAppender(log, 6000, done);
        awaitBlocked(appender, done);
        assertEquals(before, log.currentLsn(), "a blocked append must not take LSNs");
        long flushed = log.flushedLsn();
        log.checkpoint(flushed);
        appender.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertTrue(done.get(), "the append must proceed once the checkpoint freed space");
        assertTrue(log.currentLsn() > before);
    }

    @Test
    void growingTheCapacityMustReleaseBlockedAppends() throws Exception {
        long capacity = minimumCapacityBytes();
        RedoLog log = open(config(newBackend(root), capacity, CommitDurability.SYNC_ON_COMMIT));
        fillToCapacity(log, capacity);
        long before = log.currentLsn();
        AtomicBoolean done = new AtomicBoolean();
        Thread appender = startAppender(log, 6000, done);
        awaitBlocked(appender, done);
        assertEquals(before, log.currentLsn(), "a blocked append must not take LSNs");
        log.resize(capacity * 4);
        assertEquals(capacity * 4, log.capacityBytes());
        appender.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertTrue(done.get(), "growing the capacity must let the blocked append proceed");
    }

    @Test
    void shrinkingTheCapacityBelowTheCheckpointAgeMustBlockAppendsUntilTheCheckpointAdvances() throws Exception {
        long small = minimumCapacityBytes();
        RedoLog log = open(config(newBackend(root), small * 8, CommitDurability.SYNC_ON_COMMIT));
        fillToCapacity(log, small * 2);
        log.resize(small);
        long before = log.currentLsn();
        AtomicBoolean done = new AtomicBoolean();
        Thread appender = startAppender(log, 100, done);
        awaitBlocked(appender, done);
        assertEquals(before, log.currentLsn(), "a blocked append must not take LSNs");
        log.checkpoint(log.flushedLsn());
        appender.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertTrue(done.get());
    }

    @Test
    void capacityOutsideTheSupportedRangeMustBeRejected() throws Exception {
        RedoLog log = open(newBackend(root));
        assertThrows(InvalidSettingException.class, () -> log.resize(0));
        assertThrows(InvalidSettingException.class, () -> log.resize(-1));
        assertThrows(InvalidSettingException.class, () -> log.resize(Long.MAX_VALUE));
        assertEquals(CAPACITY_BYTES, log.capacityBytes());
    }

    /** Appends groups until less than 4100 bytes are left below a checkpoint age of {@code ageBytes}, then syncs. */
    private static void fillToCapacity(RedoLog log, long ageBytes) throws Exception {
        long end = log.currentLsn();
        while (ageBytes - (log.currentLsn() - log.checkpointLsn()) >= 8400) {
            end = log.append(RedoGroups.smallGroup(3, end, 4000));
        }
        while (ageBytes - (log.currentLsn() - log.checkpointLsn()) >= 4100) {
            end = log.append(RedoGroups.smallGroup(3, end, 100));
        }
        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
    }

    private static Thread startAppender(RedoLog log, int bytes, AtomicBoolean done) {
        Thread t = new Thread(() -> {
            try {
                long end = log.append(RedoGroups.smallGroup(4, 1, bytes));
                log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                done.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "kit-blocked-appender");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the thread is parked (blocked in the append) and has not finished. */
    private static void awaitBlocked(Thread appender, AtomicBoolean done) {
        awaitCondition(() -> appender.getState() == Thread.State.WAITING
                || appender.getState() == Thread.State.TIMED_WAITING, "the appender to block on capacity");
        assertFalse(done.get(), "the append must wait while capacity is exhausted");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aFailedSyncMustFailWaitersAndRefuseLaterAppends() throws Exception {
        FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root), seed);
        RedoLog log = open(fault);
        appendAll(log, randomGroups(new SplittableRandom(seed), 5, 500), CommitDurability.SYNC_ON_COMMIT);
        fault.inject(FaultRule.once(OperationClass.SYNC, FaultKind.EIO, 1));
        long end = log.append(RedoGroups.smallGroup(1, 1, 100));
        assertThrows(IOException.class, () -> log.waitFor(end, CommitDurability.SYNC_ON_COMMIT));
        assertThrows(IOException.class, () -> log.append(RedoGroups.smallGroup(1, 2, 100)));
        assertThrows(IOException.class, () -> log.waitFor(end, CommitDurability.WRITE_ON_COMMIT),
                "after a failure nothing beyond the flushed LSN may be acknowledged");
    }

    @Test
    void aFailedWriteMustFailWaitersAndRefuseLaterAppends() throws Exception {
        FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root), seed);
        RedoLog log = open(fault);
        appendAll(log, randomGroups(new SplittableRandom(seed), 5, 500), CommitDurability.SYNC_ON_COMMIT);
        fault.inject(FaultRule.from(OperationClass.WRITE, FaultKind.EIO, 1));
        long end = log.append(RedoGroups.smallGroup(1, 1, 100));
        assertThrows(IOException.class, () -> log.waitFor(end, CommitDurability.SYNC_ON_COMMIT));
        assertThrows(IOException.class, () -> log.append(RedoGroups.smallGroup(1, 2, 100)));
    }

    @Test
    void aLogOfAnotherFormatMustBeRefusedAndLeftUntouched() throws Exception {
        Files.createDirectories(redoDirectory());
        Path foreign = redoDirectory().resolve("ib_logfile0");
        byte[] content = "not a cairn log".getBytes(StandardCharsets.US_ASCII);
        Files.write(foreign, content);
        IOException e = assertThrows(IOException.class, () -> open(newBackend(root)));
        assertTrue(e.getMessage().contains("ib_logfile0"), e.getMessage());
        assertEquals(List.of("ib_logfile0"), newBackend(root).list(redoDirectory()));
        assertEquals(new String(content, StandardCharsets.US_ASCII),
                new String(Files.readAllBytes(foreign), StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------ crashes

    /**
     * A power loss at every sync in turn, one committer: the reopened log holds a prefix of the
     * appended groups, every acknowledged one included, and appends continue after it.
     */
    @ParameterizedTest
    @EnumSource(CrashMode.class)
    void aPowerLossAtAnySyncMustLeaveAPrefixHoldingEveryAcknowledgedGroup(CrashMode mode) throws Exception {
        int finishedAt = -1;
        for (int n = 1; n < 1000 && finishedAt < 0; n++) {
            TestFiles.deleteRecursively(redoDirectory());
            long runSeed = seed + n;
            String context = mode + " at sync " + n + ", seed " + runSeed + " (base " + seedMessage() + ")";
            FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root), runSeed);
            fault.crashAtSync(n, "*", mode);
            SplittableRandom random = new SplittableRandom(seed);
            List<Group> appended = new ArrayList<>();
            int acknowledged = 0;
            boolean crashed = false;
            RedoLog log = null;
            try {
                log = open(fault);
                for (int i = 0; i < 40; i++) {
                    List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 6000));
                    long before = log.currentLsn();
                    long end = log.append(g);
                    appended.add(new Group(before, end, RedoGroups.describe(g)));
                    log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                    acknowledged = appended.size();
                    if (i % 13 == 12) {
                        log.checkpoint(appended.get(i - 5).startLsn());
                    }
                }
                log.close();
            } catch (IOException e) {
                crashed = true;
            }
            if (!crashed) {
                finishedAt = n;
            }
            fault.reset();
            verifyAfterCrash(fault, appended, acknowledged, random, context);
        }
        assertTrue(finishedAt > 1, "the sweep must reach a run without a crash, " + seedMessage());
    }

    /** Reopens, checks the prefix rule, then appends again and checks the new incarnation continues the log. */
    private void verifyAfterCrash(StorageBackend backend, List<Group> appended, int acknowledged,
            SplittableRandom random, String context) throws Exception {
        RedoLog log = open(backend);
        long checkpoint = log.checkpointLsn();
        Scan scan = RedoGroups.scan(log, checkpoint);
        int upTo = assertPrefixFrom(appended, checkpoint, scan.groups(), context);
        assertTrue(upTo >= acknowledged, context + ": only " + upTo + " groups survived, " + acknowledged
                + " were acknowledged; tail: " + scan.result().tailDescription());
        long expectedEnd = upTo == 0 || scan.groups().isEmpty() ? checkpoint : appended.get(upTo - 1).endLsn();
        assertEquals(expectedEnd, scan.result().endLsn(), context);
        assertEquals(expectedEnd, log.currentLsn(), context);

        List<Group> survivors = new ArrayList<>(scan.groups());
        survivors.addAll(appendAll(log, randomGroups(random, 3, 3000), CommitDurability.SYNC_ON_COMMIT));
        log.close();
        RedoLog again = open(backend);
        assertEquals(survivors, RedoGroups.scan(again, checkpoint).groups(), context + ": second incarnation");
        again.close();
    }

    /** Committers on several threads; a power loss at a few sync points. */
    @ParameterizedTest
    @EnumSource(CrashMode.class)
    void aPowerLossUnderConcurrentCommitsMustLeaveAPrefixHoldingEveryAcknowledgedGroup(CrashMode mode)
            throws Exception {
        for (int n : new int[] {5, 17, 40, 90}) {
            TestFiles.deleteRecursively(redoDirectory());
            long runSeed = seed + n;
            String context = mode + " at sync " + n + ", seed " + runSeed;
            FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root), runSeed);
            RedoLog log = open(fault);
            fault.crashAtSync(n, "*", mode);
            List<Group> appended = Collections.synchronizedList(new ArrayList<>());
            List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    SplittableRandom random = new SplittableRandom(runSeed * 31 + t);
                    futures.add(pool.submit(() -> {
                        try {
                            for (int i = 0; i < 60; i++) {
                                List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 3000));
                                long end = log.append(g);
                                appended.add(new Group(-1, end, RedoGroups.describe(g)));
                                log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                                acknowledged.add(end);
                            }
                        } catch (IOException e) {
                            // the crash
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(TIMEOUT_SECONDS * 4, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try {
                log.close();
            } catch (IOException e) {
                // crashed
            }
            fault.reset();
            RedoLog reopened = open(fault);
            List<Group> scanned = RedoGroups.scan(reopened, reopened.checkpointLsn()).groups();
            List<Group> ordered = new ArrayList<>(appended);
            ordered.sort((a, b) -> Long.compare(a.endLsn(), b.endLsn()));
            for (int i = 0; i < scanned.size(); i++) {
                assertEquals(ordered.get(i).endLsn(), scanned.get(i).endLsn(), context + ": group " + i);
                assertEquals(ordered.get(i).records(), scanned.get(i).records(), context + ": group " + i);
            }
            long end = scanned.isEmpty() ? reopened.checkpointLsn() : scanned.get(scanned.size() - 1).endLsn();
            for (long ack : acknowledged) {
                assertTrue(ack <= end, context + ": acknowledged LSN " + ack + " lost; log ends at " + end);
            }
            reopened.close();
        }
    }

    /**
     * Durability 0 and 2: commits are not synced at commit, so a power loss may lose the latest
     * ones, but what remains is a prefix: never a later commit without an earlier one.
     */
    @ParameterizedTest
    @EnumSource(value = CommitDurability.class, names = {"PERIODIC", "WRITE_ON_COMMIT"})
    void aPowerLossWithRelaxedDurabilityMustLeaveAPrefixWithoutHoles(CommitDurability durability) throws Exception {
        for (CrashMode mode : CrashMode.values()) {
            for (int crashAfter : new int[] {3, 25, 77}) {
                TestFiles.deleteRecursively(redoDirectory());
                String context = durability + " " + mode + " after " + crashAfter + " commits, " + seedMessage();
                FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root), seed + crashAfter);
                RedoLog log = open(new RedoLogConfig(redoDirectory(), fault, CAPACITY_BYTES, durability, 5,
                        "Cairn kit"));
                SplittableRandom random = new SplittableRandom(seed);
                List<Group> appended = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    if (i == crashAfter) {
                        fault.crash(mode);
                    }
                    List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 1500));
                    long before = log.currentLsn();
                    try {
                        long end = log.append(g);
                        appended.add(new Group(before, end, RedoGroups.describe(g)));
                        log.waitFor(end, durability);
                    } catch (IOException e) {
                        break;
                    }
                }
                try {
                    log.close();
                } catch (IOException e) {
                    // crashed
                }
                fault.reset();
                RedoLog reopened = open(fault);
                List<Group> scanned = RedoGroups.scan(reopened, reopened.checkpointLsn()).groups();
                assertPrefixFrom(appended, reopened.checkpointLsn(), scanned, context);
                reopened.close();
            }
        }
    }

    // ------------------------------------------------------------------ backend switch

    @Test
    void switchingBackendsBackAndForthMustKeepEveryGroup() throws Exception {
        StorageBackend first = newBackend(root);
        StorageBackend second = alternateBackend(root);
        assumeTrue(second != null, "no alternate backend to switch to");
        RedoLog log = open(first);
        SplittableRandom random = new SplittableRandom(seed);
        List<Group> appended = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong background = new AtomicLong();
        List<Group> concurrent = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> committer = CompletableFuture.runAsync(() -> {
            try {
                while (!stop.get()) {
                    List<RedoRecord> g = RedoGroups.smallGroup(99, background.incrementAndGet(), 150);
                    long end = log.append(g);
                    concurrent.add(new Group(-1, end, RedoGroups.describe(g)));
                    log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        StorageBackend[] order = {second, first, second, first};
        for (StorageBackend next : order) {
            appended.addAll(appendAll(log, randomGroups(random, 15, 5000), CommitDurability.SYNC_ON_COMMIT));
            log.switchBackend(next);
        }
        appended.addAll(appendAll(log, randomGroups(random, 15, 5000), CommitDurability.SYNC_ON_COMMIT));
        stop.set(true);
        committer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        log.close();

        List<Group> scanned = RedoGroups.scan(open(second), Lsn.FIRST).groups();
        assertEquals(appended.size() + concurrent.size(), scanned.size(), seedMessage());
        List<String> mine = new ArrayList<>();
        for (Group g : scanned) {
            if (!g.records().get(0).startsWith("WriteBytes(99,")) {
                mine.add(g.endLsn() + ":" + g.records());
            }
        }
        // appendAll's start LSNs are guesses while another thread commits; end LSNs are exact.
        List<String> expected = new ArrayList<>();
        for (Group g : appended) {
            expected.add(g.endLsn() + ":" + g.records());
        }
        assertEquals(expected, mine);
    }

    @Test
    void aFailedSwitchMustLeaveTheLogWorkingOnTheOldBackend() throws Exception {
        StorageBackend backend = newBackend(root);
        RedoLog log = open(backend);
        List<Group> appended = appendAll(log, randomGroups(new SplittableRandom(seed), 10, 1000),
                CommitDurability.SYNC_ON_COMMIT);
        assertThrows(IOException.class, () -> log.switchBackend(new UnusableStorageBackend("gone", "test")));
        appended.addAll(appendAll(log, randomGroups(new SplittableRandom(seed + 1), 10, 1000),
                CommitDurability.SYNC_ON_COMMIT));
        log.close();
        assertEquals(appended, RedoGroups.scan(open(backend), Lsn.FIRST).groups());
    }

    // ------------------------------------------------------------------ continuing at an LSN (API 1.1)

    /**
     * Where the creation tests start a log: far from {@link Lsn#FIRST}, and not a multiple of any
     * block or page size, so an implementation that rounds or ignores the LSN shows it.
     */
    protected static final long CONTINUE_AT_LSN = 5_000_000L + 4_321;

    /** {@link RedoLogProvider#create}, with the log closed after the test like {@link #open}'s. */
    protected RedoLog create(RedoLogConfig config, long startLsn) throws Exception {
        RedoLog log = newProvider().create(config, startLsn);
        opened.add(log);
        return log;
    }

    private RedoLogProvider providerThatCanContinue() throws Exception {
        RedoLogProvider provider = newProvider();
        assumeTrue(provider.canContinueAtLsn(), provider.name() + " cannot continue at a given LSN");
        return provider;
    }

    @Test
    void aProviderThatCannotContinueAtAnLsnMustRefuseCreate() throws Exception {
        RedoLogProvider provider = newProvider();
        assumeTrue(!provider.canContinueAtLsn(), provider.name() + " can continue at a given LSN");
        assertThrows(UnsupportedOperationException.class,
                () -> provider.create(config(newBackend(root), CAPACITY_BYTES, CommitDurability.SYNC_ON_COMMIT),
                        CONTINUE_AT_LSN));
    }

    @Test
    void aLogCreatedAtAnLsnMustStartThereAndKeepItsGroupsAcrossReopen() throws Exception {
        providerThatCanContinue();
        StorageBackend backend = newBackend(root);
        RedoLog log = create(config(backend, CAPACITY_BYTES, CommitDurability.SYNC_ON_COMMIT), CONTINUE_AT_LSN);
        assertTrue(log.currentLsn() >= CONTINUE_AT_LSN, "current LSN " + log.currentLsn());
        assertTrue(log.checkpointLsn() >= CONTINUE_AT_LSN, "checkpoint LSN " + log.checkpointLsn());
        long start = log.checkpointLsn();
        // No scan first: a created log takes appends at once.
        List<Group> appended = appendAll(log, randomGroups(new SplittableRandom(seed), 30, 2000),
                CommitDurability.SYNC_ON_COMMIT);
        assertTrue(appended.get(0).startLsn() >= CONTINUE_AT_LSN, appended.get(0).toString());
        log.checkpoint(appended.get(10).startLsn());
        log.close();

        RedoLog reopened = open(backend);
        assertEquals(appended.get(10).startLsn(), reopened.checkpointLsn());
        Scan scan = RedoGroups.scan(reopened, reopened.checkpointLsn());
        assertEquals(appended.subList(10, 30), scan.groups(), seedMessage());
        assertEquals(appended.get(29).endLsn(), scan.result().endLsn());
        reopened.close();

        RedoLog third = open(backend);
        assertTrue(start <= third.checkpointLsn());
        assertEquals(appended.subList(10, 30), RedoGroups.scan(third, third.checkpointLsn()).groups());
    }

    @Test
    void aPowerLossRightAfterCreateMustReopenAsAnEmptyLogAtTheStartLsn() throws Exception {
        providerThatCanContinue();
        FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(newBackend(root), seed);
        RedoLog log = create(config(fault, CAPACITY_BYTES, CommitDurability.SYNC_ON_COMMIT), CONTINUE_AT_LSN);
        long current = log.currentLsn();
        long checkpoint = log.checkpointLsn();
        fault.crash(CrashMode.DROP_ALL_UNSYNCED);
        try {
            log.close();
        } catch (IOException e) {
            // the crashed backend refuses the close's sync; nothing was appended
        }
        fault.reset();

        RedoLog reopened = open(fault);
        assertEquals(checkpoint, reopened.checkpointLsn(), "the checkpoint create made durable");
        assertEquals(current, reopened.currentLsn(), "an empty log at the start LSN, not at Lsn.FIRST");
        Scan scan = RedoGroups.scan(reopened, reopened.checkpointLsn());
        assertEquals(List.of(), scan.groups());
        assertEquals(current, scan.result().endLsn());
        List<Group> appended = appendAll(reopened, randomGroups(new SplittableRandom(seed), 5, 1000),
                CommitDurability.SYNC_ON_COMMIT);
        assertEquals(current, appended.get(0).startLsn());
        reopened.close();
        assertEquals(appended, RedoGroups.scan(open(fault), checkpoint).groups());
    }

    @Test
    void createMustRefuseADirectoryThatHoldsALogAndLeaveTheLogIntact() throws Exception {
        providerThatCanContinue();
        StorageBackend backend = newBackend(root);
        RedoLog log = open(backend);
        List<Group> appended = appendAll(log, randomGroups(new SplittableRandom(seed), 10, 1000),
                CommitDurability.SYNC_ON_COMMIT);
        log.close();
        List<String> files = backend.list(redoDirectory());

        assertThrows(IOException.class,
                () -> create(config(backend, CAPACITY_BYTES, CommitDurability.SYNC_ON_COMMIT), CONTINUE_AT_LSN));
        assertEquals(files, backend.list(redoDirectory()));
        RedoLog reopened = open(backend);
        assertEquals(Lsn.FIRST, reopened.checkpointLsn());
        assertEquals(appended, RedoGroups.scan(reopened, Lsn.FIRST).groups());
    }

    @Test
    void createMustRejectAStartLsnBelowFirst() throws Exception {
        RedoLogProvider provider = providerThatCanContinue();
        RedoLogConfig config = config(newBackend(root), CAPACITY_BYTES, CommitDurability.SYNC_ON_COMMIT);
        assertThrows(IllegalArgumentException.class, () -> provider.create(config, Lsn.FIRST - 1));
        assertThrows(IllegalArgumentException.class, () -> provider.create(config, Lsn.NONE));
        assertThrows(IllegalArgumentException.class, () -> provider.create(config, -1));
    }
}
