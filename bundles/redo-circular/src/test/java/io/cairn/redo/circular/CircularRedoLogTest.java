package io.cairn.redo.circular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.io.CreateMode;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.Lsn;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.circular.CircularFormat.Checkpoint;
import io.cairn.redo.kit.RedoGroups;
import io.cairn.redo.kit.RedoGroups.Group;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The circular layout: wrap-around, stale pages of the previous lap, torn checkpoint records,
 * page versions under power loss, restarts over torn groups, growing the file. The contract as a
 * whole is {@link CircularRedoLogConformanceTest}'s.
 */
class CircularRedoLogTest {

    private static final long SMALL_CAPACITY_BYTES = 64 << 10;
    private static final CircularRedoLogOptions OPTIONS = CircularRedoLogOptions.defaults().withLogBufferBytes(1 << 20);

    private Path root;
    private long seed;
    private final List<CircularRedoLog> opened = new ArrayList<>();

    @BeforeEach
    void createRoot() throws IOException {
        seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        root = Files.createTempDirectory("cairn-redo-circular-").toRealPath();
    }

    @AfterEach
    void closeAndDelete() throws IOException {
        for (CircularRedoLog log : opened) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                // crash tests leave failed logs behind
            }
        }
        TestFiles.deleteRecursively(root);
    }

    private Path redoDirectory() {
        return root.resolve("redo");
    }

    private static StorageBackend buffered() {
        return new BufferedStorageBackend(SyncMethod.FDATASYNC);
    }

    private RedoLogConfig config(StorageBackend backend, long capacityBytes) {
        // A long background interval: nothing is synced behind the test's back.
        return new RedoLogConfig(redoDirectory(), backend, capacityBytes, CommitDurability.SYNC_ON_COMMIT, 100_000,
                "circular test");
    }

    private CircularRedoLog open(StorageBackend backend, long capacityBytes) throws IOException {
        CircularRedoLog log = CircularRedoLog.open(config(backend, capacityBytes), OPTIONS);
        opened.add(log);
        return log;
    }

    private String context() {
        return "seed " + seed + " (replay with -Dcairn.testkit.seed=" + seed + ")";
    }

    /**
     * Appends random groups until the LSN advanced by {@code laps} times what the file's slots can
     * hold (so every slot was written at least {@code laps} times), checkpointing every few groups.
     * Every group is synced when this returns.
     */
    private static List<Group> appendWrapping(CircularRedoLog log, SplittableRandom random, int laps)
            throws Exception {
        long target = log.currentLsn() + (long) laps * log.slotCount() * CircularFormat.PAGE_PAYLOAD_BYTES;
        List<Group> appended = new ArrayList<>();
        long end = log.currentLsn();
        while (log.currentLsn() < target) {
            List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 3000));
            long before = log.currentLsn();
            end = log.append(g);
            appended.add(new Group(before, end, RedoGroups.describe(g)));
            if (appended.size() % 8 == 0) {
                log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                log.checkpoint(appended.get(appended.size() - 4).startLsn());
            }
        }
        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
        return appended;
    }

    private static List<Group> from(List<Group> appended, long lsn) {
        return appended.stream().filter(g -> g.startLsn() >= lsn).toList();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Reads the page in {@code slot} of the log file as the scan would. */
    private PageChain readSlot(StorageBackend backend, int slot) throws IOException {
        Path file = redoDirectory().resolve(CircularFormat.FILE_NAME);
        try (StorageFile f = backend.open(file, CircularRedoLog.readWrite(CreateMode.OPEN_EXISTING).asReadOnly())) {
            UUID logId = CircularRedoLog.readHeader(f).logId();
            ByteBuffer page = CircularFormat.alignedBuffer(CircularFormat.PAGE_BYTES);
            f.read(CircularFormat.slotOffset(slot), page);
            return PageChain.parse(page.clear(), CircularFormat.logTag(logId));
        }
    }

    // ------------------------------------------------------------------ wrap-around

    @Test
    void aLogThatWrappedAroundItsFileSeveralTimesMustRecoverEveryGroupFromTheCheckpoint() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        int slots = log.slotCount();
        List<Group> appended = appendWrapping(log, new SplittableRandom(seed), 3);
        assertEquals(slots, log.slotCount(), "the file must not have grown");
        long checkpoint = log.checkpointLsn();
        log.close();

        CircularRedoLog reopened = open(backend, SMALL_CAPACITY_BYTES);
        assertEquals(checkpoint, reopened.checkpointLsn());
        RedoGroups.Scan scan = RedoGroups.scan(reopened, checkpoint);
        assertEquals(from(appended, checkpoint), scan.groups(), context());
        assertEquals(appended.get(appended.size() - 1).endLsn(), scan.result().endLsn());
        assertEquals("end of log", scan.result().tailDescription());

        // And once more around, continuing from the recovered end.
        List<Group> more = appendWrapping(reopened, new SplittableRandom(seed + 1), 1);
        long second = reopened.checkpointLsn();
        reopened.close();
        List<Group> all = new ArrayList<>(appended);
        all.addAll(more);
        assertEquals(from(all, second), RedoGroups.scan(open(backend, SMALL_CAPACITY_BYTES), second).groups(), context());
    }

    @Test
    void aStalePageOfThePreviousLapAfterTheEndMustEndTheScanThere() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        List<Group> appended = appendWrapping(log, new SplittableRandom(seed), 2);
        log.close();

        CircularRedoLog reopened = open(backend, SMALL_CAPACITY_BYTES);
        int next = reopened.nextSlot();
        PageChain stale = readSlot(backend, next);
        assertNotNull(stale, "after two laps the slot after the end holds a valid page of the previous lap");
        assertTrue(stale.endLsn() <= reopened.checkpointLsn(), "that page is from before the checkpoint: " + stale);
        RedoGroups.Scan scan = RedoGroups.scan(reopened, reopened.checkpointLsn());
        assertEquals(appended.get(appended.size() - 1).endLsn(), scan.result().endLsn(), context());
        assertEquals(from(appended, reopened.checkpointLsn()), scan.groups());
    }

    /** Power loss at several syncs of a log that has wrapped: stale pages sit right after every write. */
    @ParameterizedTest
    @EnumSource(CrashMode.class)
    void aPowerLossInAWrappedLogMustLeaveAPrefixHoldingEveryAcknowledgedGroup(CrashMode mode) throws Exception {
        for (int n : new int[] {1, 2, 5, 13}) {
            TestFiles.deleteRecursively(redoDirectory());
            long runSeed = seed + n;
            String context = mode + " at sync " + n + ", seed " + runSeed;
            FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(buffered(), runSeed);
            CircularRedoLog log = open(fault, SMALL_CAPACITY_BYTES);
            SplittableRandom random = new SplittableRandom(runSeed);
            List<Group> appended = appendWrapping(log, random, 2);
            int acknowledged = appended.size();
            fault.crashAtSync(n, "*", mode);
            try {
                for (int i = 0; i < 40; i++) {
                    // Small groups, each synced: page versions alternate between the slots of a pair.
                    List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, i % 4 == 0 ? 5000 : 300));
                    long before = log.currentLsn();
                    long end = log.append(g);
                    appended.add(new Group(before, end, RedoGroups.describe(g)));
                    log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                    acknowledged = appended.size();
                    if (i % 10 == 9) {
                        log.checkpoint(appended.get(appended.size() - 3).startLsn());
                    }
                }
                fail(context + ": the armed crash did not happen");
            } catch (IOException e) {
                // the power loss
            }
            fault.reset();
            verifyPrefix(open(fault, SMALL_CAPACITY_BYTES), appended, acknowledged, context);
        }
    }

    /** The reopened log scans a prefix of {@code appended} from its checkpoint, holding the first {@code acknowledged}. */
    private void verifyPrefix(CircularRedoLog log, List<Group> appended, int acknowledged, String context)
            throws Exception {
        long checkpoint = log.checkpointLsn();
        RedoGroups.Scan scan = RedoGroups.scan(log, checkpoint);
        List<Group> expected = from(appended, checkpoint);
        int survivors = scan.groups().size();
        assertTrue(survivors <= expected.size(), context + ": more groups than appended");
        assertEquals(expected.subList(0, survivors), scan.groups(), context);
        int acknowledgedFromCheckpoint = acknowledged - (appended.size() - expected.size());
        assertTrue(survivors >= acknowledgedFromCheckpoint, context + ": " + survivors + " groups survived, "
                + acknowledgedFromCheckpoint + " were acknowledged; tail: " + scan.result().tailDescription());
        long end = survivors == 0 ? checkpoint : expected.get(survivors - 1).endLsn();
        assertEquals(end, log.currentLsn(), context);
        log.close();
    }

    // ------------------------------------------------------------------ page versions

    @Test
    void aPartialPageThatMayBeDurableMustGetItsNextVersionInTheOtherSlotOfItsPair() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        long end1 = log.append(RedoGroups.smallGroup(1, 1, 100));
        log.waitFor(end1, CommitDurability.SYNC_ON_COMMIT);
        PageChain first = readSlot(backend, 0);
        assertEquals(end1, first.endLsn(), "the first version in the page's home slot");

        long end2 = log.append(RedoGroups.smallGroup(1, 2, 100));
        log.waitFor(end2, CommitDurability.SYNC_ON_COMMIT);
        assertEquals(end1, readSlot(backend, 0).endLsn(), "the synced version must not be overwritten");
        PageChain second = readSlot(backend, 1);
        assertTrue(second.samePage(first) && second.endLsn() == end2, "the next version in the alternate slot");

        long end3 = log.append(RedoGroups.smallGroup(1, 3, 100));
        log.waitFor(end3, CommitDurability.SYNC_ON_COMMIT);
        assertEquals(end2, readSlot(backend, 1).endLsn(), "the newest synced version stays");
        assertEquals(end3, readSlot(backend, 0).endLsn(), "versions alternate back to the home slot");

        // Without a sync in between, a version is rewritten in place.
        long end4 = log.append(RedoGroups.smallGroup(1, 4, 100));
        log.waitFor(end4, CommitDurability.WRITE_ON_COMMIT);
        long end5 = log.append(RedoGroups.smallGroup(1, 5, 100));
        log.waitFor(end5, CommitDurability.WRITE_ON_COMMIT);
        assertEquals(end5, readSlot(backend, 1).endLsn());
        assertEquals(end3, readSlot(backend, 0).endLsn());
        log.close();
        assertEquals(5, RedoGroups.scan(open(backend, SMALL_CAPACITY_BYTES), Lsn.FIRST).groups().size());
    }

    /** A group of exactly {@code frameBytes} LSNs. */
    private static List<RedoRecord> groupOfExactly(int frameBytes, long pageNo) {
        for (int bytes = frameBytes; bytes > 0; bytes--) {
            List<RedoRecord> g = RedoGroups.smallGroup(2, pageNo, bytes);
            if (RecordEncoding.frame(g).length == frameBytes) {
                return g;
            }
        }
        throw new AssertionError("no group of " + frameBytes + " bytes");
    }

    @Test
    void aPageOfAnEarlierIncarnationThatHappensToContinueTheLsnsMustNotBeReadAfterARestart() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        List<Group> expected = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            List<RedoRecord> g = groupOfExactly(CircularFormat.PAGE_PAYLOAD_BYTES, page);
            long before = log.currentLsn();
            long end = log.append(g);
            log.waitFor(end, CommitDurability.WRITE_ON_COMMIT);
            if (page == 0) {
                expected.add(new Group(before, end, RedoGroups.describe(g)));
            }
        }
        log.close();
        // What a power loss that dropped the second page's write but kept the third's leaves.
        Path file = redoDirectory().resolve(CircularFormat.FILE_NAME);
        try (StorageFile f = backend.open(file, CircularRedoLog.readWrite(CreateMode.OPEN_EXISTING))) {
            f.write(CircularFormat.slotOffset(1), CircularFormat.alignedBuffer(CircularFormat.PAGE_BYTES));
            f.sync(SyncLevel.DATA);
        }
        PageChain third = readSlot(backend, 2);
        assertEquals(Lsn.FIRST + 2L * CircularFormat.PAGE_PAYLOAD_BYTES, third.startLsn());

        CircularRedoLog second = open(backend, SMALL_CAPACITY_BYTES);
        assertEquals(expected, RedoGroups.scan(second, Lsn.FIRST).groups());
        // The restart page fills exactly, so it ends where the earlier incarnation's third page starts.
        List<RedoRecord> g = groupOfExactly(CircularFormat.PAGE_PAYLOAD_BYTES, 9);
        long before = second.currentLsn();
        long end = second.append(g);
        second.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
        expected.add(new Group(before, end, RedoGroups.describe(g)));
        assertEquals(third.startLsn(), end);
        second.close();

        assertEquals(expected, RedoGroups.scan(open(backend, SMALL_CAPACITY_BYTES), Lsn.FIRST).groups(),
                "the earlier incarnation's page after the restart page is stale");
    }

    // ------------------------------------------------------------------ checkpoint records

    @Test
    void aTornNewestCheckpointRecordMustFallBackToTheOlderOne() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        List<Group> appended = new ArrayList<>(appendWrapping(log, new SplittableRandom(seed), 2));
        List<Group> extra = appendRandom(log, new SplittableRandom(seed + 1), 6);
        appended.addAll(extra);
        long older = extra.get(2).startLsn();
        long newer = extra.get(4).startLsn();
        log.checkpoint(older);
        log.checkpoint(newer);
        log.close();

        tearNewestCheckpointRecord(backend);
        CircularRedoLog reopened = open(backend, SMALL_CAPACITY_BYTES);
        assertEquals(older, reopened.checkpointLsn(), "the older record must be used");
        assertEquals(from(appended, older), RedoGroups.scan(reopened, older).groups(), context());
    }

    @Test
    void aFileWithBothCheckpointRecordsTornMustBeRefusedNamingIt() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        appendWrapping(log, new SplittableRandom(seed), 1);
        log.close();
        tearNewestCheckpointRecord(backend);
        tearNewestCheckpointRecord(backend);
        IOException e = assertThrows(IOException.class, () -> open(backend, SMALL_CAPACITY_BYTES));
        assertTrue(e.getMessage().contains(CircularFormat.FILE_NAME) && e.getMessage().contains("checkpoint"),
                e.getMessage());
    }

    /** Overwrites the first sector of the newest valid checkpoint record with garbage, as a torn write would. */
    private void tearNewestCheckpointRecord(StorageBackend backend) throws IOException {
        Path file = redoDirectory().resolve(CircularFormat.FILE_NAME);
        try (StorageFile f = backend.open(file, CircularRedoLog.readWrite(CreateMode.OPEN_EXISTING))) {
            Checkpoint newest = CircularRedoLog.readNewestCheckpoint(f, CircularRedoLog.readHeader(f).logId());
            assertNotNull(newest);
            ByteBuffer garbage = CircularFormat.alignedBuffer(512);
            byte[] bytes = new byte[512];
            new SplittableRandom(seed).nextBytes(bytes);
            garbage.put(0, bytes);
            f.write(CircularFormat.checkpointSlotOffset(newest.number()), garbage);
            f.sync(SyncLevel.DATA);
        }
    }

    // ------------------------------------------------------------------ incarnations

    @Test
    void tinyCommitsSyncedOneByOneMustSurviveAPowerLossAtAnySync() throws Exception {
        for (CrashMode mode : List.of(CrashMode.TEAR_SECTORS, CrashMode.PER_WRITE_RANDOM, CrashMode.DROP_RANDOM_SUBSET)) {
            for (int n = 1; n <= 30; n += 3) {
                TestFiles.deleteRecursively(redoDirectory());
                String context = mode + " at sync " + n + ", seed " + (seed + n);
                FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(buffered(), seed + n);
                CircularRedoLog log = open(fault, SMALL_CAPACITY_BYTES);
                fault.crashAtSync(n, "*", mode);
                List<Group> appended = new ArrayList<>();
                int acknowledged = 0;
                try {
                    for (int i = 0; i < 200; i++) {
                        List<RedoRecord> g = RedoGroups.smallGroup(5, i, 30);
                        long before = log.currentLsn();
                        long end = log.append(g);
                        appended.add(new Group(before, end, RedoGroups.describe(g)));
                        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                        acknowledged = appended.size();
                    }
                    fail(context + ": the armed crash did not happen");
                } catch (IOException e) {
                    // the power loss
                }
                fault.reset();
                verifyPrefix(open(fault, SMALL_CAPACITY_BYTES), appended, acknowledged, context);
            }
        }
    }

    /**
     * Each incarnation loses a large group torn across pages; the next one restarts at the group's
     * start, which lies in an earlier page than the torn bytes: every later scan must follow the
     * restarts and see exactly the acknowledged groups.
     */
    @Test
    void incarnationsRestartingInsideTornGroupsMustKeepEveryAcknowledgedGroup() throws Exception {
        FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(buffered(), seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<Group> acknowledged = new ArrayList<>();
        int previousEpoch = 0;
        for (int incarnation = 0; incarnation < 8; incarnation++) {
            String context = "incarnation " + incarnation + ", " + context();
            CircularRedoLog log = open(fault, SMALL_CAPACITY_BYTES);
            assertTrue(log.epoch() > previousEpoch, context + ": each open must take a new epoch");
            previousEpoch = log.epoch();
            RedoGroups.Scan scan = RedoGroups.scan(log, Lsn.FIRST);
            assertEquals(acknowledged, scan.groups(), context);
            for (int i = 0; i < 5; i++) {
                List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 1500));
                long before = log.currentLsn();
                long end = log.append(g);
                log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                acknowledged.add(new Group(before, end, RedoGroups.describe(g)));
            }
            // Written but not synced: the power loss tears it sector by sector.
            long end = log.append(RedoGroups.randomGroup(random, 12_000));
            log.waitFor(end, CommitDurability.WRITE_ON_COMMIT);
            fault.crash(CrashMode.TEAR_SECTORS);
            try {
                log.close();
            } catch (IOException e) {
                // the crashed backend refuses the close's sync
            }
            fault.reset();
        }
        assertEquals(acknowledged, RedoGroups.scan(open(fault, SMALL_CAPACITY_BYTES), Lsn.FIRST).groups(), context());
    }

    // ------------------------------------------------------------------ capacity

    @Test
    void growingBeyondTheFileMustExtendItAtOnceWhileTheLiveRegionDoesNotWrap() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        int slots = log.slotCount();
        List<Group> appended = new ArrayList<>(appendRandom(log, new SplittableRandom(seed), 10));
        assertFalse(log.liveRegionWraps());
        long grown = 4 * SMALL_CAPACITY_BYTES;
        log.resize(grown);
        assertEquals(grown, log.capacityBytes());
        assertEquals(grown, log.effectiveCapacityBytes(), "the grown capacity must apply at once");
        assertTrue(log.slotCount() > slots, "the file must have grown: " + log.slotCount() + " slots");
        assertEquals(CircularFormat.fileSizeFor(log.slotCount()), Files.size(log.filePath()));
        // Wrap around the grown file, so recovery must use the new slot count.
        appended.addAll(appendWrapping(log, new SplittableRandom(seed + 1), 2));
        long checkpoint = log.checkpointLsn();
        log.close();
        CircularRedoLog reopened = open(backend, grown);
        assertEquals(from(appended, checkpoint), RedoGroups.scan(reopened, checkpoint).groups(), context());
    }

    @Test
    void growingBeyondTheFileWhileTheLiveRegionWrapsMustWaitForACheckpointPastTheWrap() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        int slots = log.slotCount();
        SplittableRandom random = new SplittableRandom(seed);
        List<Group> appended = new ArrayList<>(appendWrapping(log, random, 1));
        // Append until the live region straddles the end of the file.
        while (!log.liveRegionWraps()) {
            appended.addAll(appendRandom(log, random, 1));
            long end = appended.get(appended.size() - 1).endLsn();
            long candidate = appended.get(appended.size() - 6).startLsn();
            if (appended.size() % 8 == 0 && candidate > log.checkpointLsn()) {
                log.checkpoint(candidate);
            }
            assertTrue(end - log.checkpointLsn() < SMALL_CAPACITY_BYTES);
        }
        long grown = 4 * SMALL_CAPACITY_BYTES;
        log.resize(grown);
        assertEquals(grown, log.capacityBytes());
        assertEquals(slots, log.slotCount(), "the file cannot grow while the live region wraps");
        assertTrue(log.effectiveCapacityBytes() < grown, "appends stay limited to what the file holds");
        while (log.slotCount() == slots) {
            appended.addAll(appendRandom(log, random, 1));
            log.checkpoint(appended.get(appended.size() - 1).startLsn());
        }
        assertEquals(grown, log.effectiveCapacityBytes(), "a checkpoint past the wrap must let the file grow");
        appended.addAll(appendWrapping(log, random, 1));
        long checkpoint = log.checkpointLsn();
        log.close();
        assertEquals(from(appended, checkpoint), RedoGroups.scan(open(backend, grown), checkpoint).groups(), context());
    }

    @Test
    void aLargerCapacityAtOpenMustGrowTheFileAndShrinkingMustNeverCutIt() throws Exception {
        StorageBackend backend = buffered();
        CircularRedoLog log = open(backend, SMALL_CAPACITY_BYTES);
        List<Group> appended = appendRandom(log, new SplittableRandom(seed), 20);
        int slots = log.slotCount();
        log.close();
        CircularRedoLog bigger = open(backend, 16 * SMALL_CAPACITY_BYTES);
        assertTrue(bigger.slotCount() > slots);
        assertEquals(16 * SMALL_CAPACITY_BYTES, bigger.effectiveCapacityBytes());
        assertEquals(appended, RedoGroups.scan(bigger, Lsn.FIRST).groups());
        int grownSlots = bigger.slotCount();
        bigger.close();
        CircularRedoLog smaller = open(backend, SMALL_CAPACITY_BYTES);
        assertEquals(grownSlots, smaller.slotCount(), "the file is never made smaller");
        assertEquals(SMALL_CAPACITY_BYTES, smaller.effectiveCapacityBytes());
        assertEquals(appended, RedoGroups.scan(smaller, Lsn.FIRST).groups());
    }

    private static List<Group> appendRandom(CircularRedoLog log, SplittableRandom random, int count) throws Exception {
        List<Group> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 2000));
            long before = log.currentLsn();
            long end = log.append(g);
            log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
            appended.add(new Group(before, end, RedoGroups.describe(g)));
        }
        return appended;
    }

    // ------------------------------------------------------------------ directories and threads

    @Test
    void aDirectoryHoldingCairnsMultiFileLogMustBeRefusedNamingItAndLeftUntouched() throws Exception {
        Files.createDirectories(redoDirectory());
        Path control = redoDirectory().resolve("redo-control");
        byte[] content = "CAIRNRDO".getBytes(StandardCharsets.US_ASCII);
        Files.write(control, content);
        IOException e = assertThrows(IOException.class, () -> open(buffered(), SMALL_CAPACITY_BYTES));
        assertTrue(e.getMessage().contains("redo-control") && e.getMessage().contains("multi-file"), e.getMessage());
        assertEquals(List.of("redo-control"), buffered().list(redoDirectory()));
        assertArrayEquals(content, Files.readAllBytes(control));
    }

    @Test
    void aFileOfThisNameInAnotherFormatMustBeRefusedNamingWhatItHoldsAndLeftUntouched() throws Exception {
        Files.createDirectories(redoDirectory());
        Path file = redoDirectory().resolve(CircularFormat.FILE_NAME);
        byte[] content = "SQLite format 3\u0000 and more".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, content);
        IOException e = assertThrows(IOException.class, () -> open(buffered(), SMALL_CAPACITY_BYTES));
        assertTrue(e.getMessage().contains(CircularFormat.FILE_NAME) && e.getMessage().contains("'SQLite f'"),
                e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void theWriterMustBeANamedDaemonThreadThatStopsAtClose() throws Exception {
        CircularRedoLog log = open(buffered(), SMALL_CAPACITY_BYTES);
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("cairn-redo-circular-writer-") && t.isAlive())
                .reduce((a, b) -> a.getId() > b.getId() ? a : b)
                .orElseThrow(() -> new AssertionError("no cairn-redo-circular-writer thread"));
        assertTrue(writer.isDaemon());
        log.close();
        await(() -> !writer.isAlive(), "the writer thread to stop after close");
    }
}
