package io.cairn.redo.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.io.IoCapabilities;
import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.Lsn;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.kit.DirectIo;
import io.cairn.redo.kit.RedoGroups;
import io.cairn.redo.kit.RedoGroups.Group;
import io.cairn.redo.kit.RedoGroups.Scan;
import io.cairn.status.WaitStatus;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour specific to Cairn's redo log: its files, its write path, its recovery of damaged logs. */
class CairnRedoLogTest {

    private static final long FILE_BYTES = 64 << 10;

    private Path root;
    private Path dir;
    private long seed;
    private final List<CairnRedoLog> logs = new ArrayList<>();
    private final StorageBackend buffered = new BufferedStorageBackend(SyncMethod.FDATASYNC);

    @BeforeEach
    void setUp() throws IOException {
        seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        root = Files.createTempDirectory("cairn-redo-").toRealPath();
        dir = root.resolve("redo");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (CairnRedoLog log : logs) {
            try {
                log.close();
            } catch (IOException e) {
                // failed on purpose
            }
        }
        TestFiles.deleteRecursively(root);
    }

    private CairnRedoLog open(StorageBackend backend) throws IOException {
        return open(backend, 16L << 20, CommitDurability.SYNC_ON_COMMIT, 1000);
    }

    private CairnRedoLog open(StorageBackend backend, long capacity, CommitDurability durability, long intervalMillis)
            throws IOException {
        CairnRedoLog log = CairnRedoLog.open(new RedoLogConfig(dir, backend, capacity, durability, intervalMillis,
                        "Cairn test 1.0"),
                RedoLogOptions.defaults().withLogBufferBytes(1 << 20).withFileSizeBytes(FILE_BYTES));
        logs.add(log);
        return log;
    }

    private List<Group> append(CairnRedoLog log, int count, int maxBytes, CommitDurability durability)
            throws Exception {
        SplittableRandom random = new SplittableRandom(seed + log.currentLsn());
        List<Group> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, maxBytes));
            long before = log.currentLsn();
            long end = log.append(g);
            log.waitFor(end, durability);
            appended.add(new Group(before, end, RedoGroups.describe(g)));
        }
        return appended;
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

    private List<String> names() throws IOException {
        return buffered.list(dir);
    }

    // ------------------------------------------------------------------ layout

    @Test
    void aNewLogMustHoldAControlFileAndOneLogFileWithHeadersNamingFormatCreatorAndStartLsn() throws Exception {
        CairnRedoLog log = open(buffered);
        assertEquals(List.of("redo-0000000001.log", "redo-control"), names());
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("redo-0000000001.log")), 0, 4096).slice();
        LogFormat.FileHeader h = LogFormat.decodeHeader(header, "file 1");
        assertEquals(LogFormat.KIND_LOG_FILE, h.kind());
        assertEquals(1, h.fileNumber());
        assertEquals(Lsn.FIRST, h.startLsn());
        assertEquals(FILE_BYTES, h.fileSizeBytes());
        assertEquals("Cairn test 1.0", h.creator());
        assertEquals(FILE_BYTES, Files.size(dir.resolve("redo-0000000001.log")), "files are preallocated");
        ByteBuffer control = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("redo-control")));
        LogFormat.FileHeader c = LogFormat.decodeHeader(control.slice(0, 4096), "control");
        assertEquals(LogFormat.KIND_CONTROL, c.kind());
        assertEquals(h.logId(), c.logId());
        assertEquals(new LogFormat.Checkpoint(1, Lsn.FIRST),
                LogFormat.decodeCheckpoint(control.slice(8192, 4096), c.logId()), "checkpoint 1 sits in slot 1");
        assertEquals(null, LogFormat.decodeCheckpoint(control.slice(4096, 4096), c.logId()), "slot 0 is empty");
        log.close();
    }

    @Test
    void aFullFileMustRecordItsEndLsnWhereTheNextFileStarts() throws Exception {
        CairnRedoLog log = open(buffered);
        append(log, 120, 3000, CommitDurability.SYNC_ON_COMMIT);
        List<Path> files = log.filePaths();
        assertTrue(files.size() >= 3, "120 groups of up to 3000 bytes fill several 64 KiB files: " + files);
        for (int i = 0; i + 1 < files.size(); i++) {
            LogFile current = RedoDirectory.readLogFile(buffered, files.get(i), i + 1, logId());
            LogFile next = RedoDirectory.readLogFile(buffered, files.get(i + 1), i + 2, logId());
            assertEquals(next.startLsn(), RedoDirectory.readCompletion(buffered, current), "end of " + files.get(i));
        }
        log.close();
    }

    private java.util.UUID logId() throws IOException {
        ByteBuffer control = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("redo-control")));
        return LogFormat.decodeHeader(control.slice(0, 4096), "control").logId();
    }

    @Test
    void eachOpenMustStartANewFileAtTheEndOfTheLog() throws Exception {
        CairnRedoLog log = open(buffered);
        List<Group> first = append(log, 5, 500, CommitDurability.SYNC_ON_COMMIT);
        log.close();
        CairnRedoLog reopened = open(buffered);
        assertEquals(List.of("redo-0000000001.log", "redo-0000000002.log", "redo-control"), names());
        LogFile second = RedoDirectory.readLogFile(buffered, dir.resolve("redo-0000000002.log"), 2, logId());
        assertEquals(first.get(4).endLsn(), second.startLsn());
        assertEquals(first, RedoGroups.scan(reopened, Lsn.FIRST).groups());
    }

    @Test
    void checkpointsMustAlternateSlotsAndReclaimOnlyFilesBehindTheCheckpoint() throws Exception {
        CairnRedoLog log = open(buffered);
        List<Group> appended = append(log, 150, 3000, CommitDurability.SYNC_ON_COMMIT);
        List<Path> before = log.filePaths();
        assertTrue(before.size() >= 4, before.toString());
        long mid = appended.get(75).startLsn();
        log.checkpoint(mid);
        ByteBuffer control = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("redo-control")));
        assertEquals(new LogFormat.Checkpoint(2, mid), LogFormat.decodeCheckpoint(control.slice(4096, 4096), logId()));
        assertEquals(new LogFormat.Checkpoint(1, Lsn.FIRST),
                LogFormat.decodeCheckpoint(control.slice(8192, 4096), logId()), "the older slot is untouched");
        List<Path> after = log.filePaths();
        assertTrue(after.size() < before.size(), "files wholly behind the checkpoint are deleted");
        for (Path p : before) {
            assertEquals(after.contains(p), Files.exists(p), p.toString());
        }
        // The file holding the checkpoint LSN stays: a scan from the checkpoint must still work.
        log.checkpoint(appended.get(100).startLsn());
        log.close();
        CairnRedoLog reopened = open(buffered);
        assertEquals(appended.get(100).startLsn(), reopened.checkpointLsn());
        assertEquals(appended.subList(100, 150), RedoGroups.scan(reopened, reopened.checkpointLsn()).groups());
        assertThrows(IOException.class, () -> reopened.scan(Lsn.FIRST, (s, e, r) -> { }),
                "redo behind the reclaimed files is gone");
    }

    // ------------------------------------------------------------------ the write path

    @Test
    void noWriteMayOverlapBlockBytesThatASyncMayHaveMadeDurable() throws Exception {
        RewriteTrackingBackend tracking = new RewriteTrackingBackend(buffered);
        CairnRedoLog log = open(tracking, 16L << 20, CommitDurability.SYNC_ON_COMMIT, 5);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                CommitDurability durability = CommitDurability.values()[t % 3];
                SplittableRandom random = new SplittableRandom(seed + t);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        long end = log.append(RedoGroups.randomGroup(random, random.nextInt(1, 900)));
                        log.waitFor(end, durability);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, log.unwokenWaitExpiries(), "every waiter must be woken, not find out by its timeout");
        log.close();
        assertTrue(tracking.syncs.get() > 10, "the workload must sync often: " + tracking.syncs.get());
        assertEquals(List.of(), tracking.violations());
        assertEquals(1800, RedoGroups.scan(open(buffered), Lsn.FIRST).groups().size());
    }

    @Test
    void writesAndSyncsThroughDirectIoMustStayAlignedAndNeverRewriteSyncedBlocks() throws Exception {
        assumeTrue(DirectIo.supported(root), "O_DIRECT unsupported here");
        RewriteTrackingBackend tracking = new RewriteTrackingBackend(new DirectStorageBackend(FlushMethod.O_DIRECT));
        CairnRedoLog log = open(tracking);
        List<Group> appended = append(log, 200, 2500, CommitDurability.SYNC_ON_COMMIT);
        log.switchBackend(buffered);
        appended.addAll(append(log, 50, 2500, CommitDurability.SYNC_ON_COMMIT));
        log.switchBackend(tracking);
        appended.addAll(append(log, 50, 2500, CommitDurability.WRITE_ON_COMMIT));
        log.close();
        assertEquals(List.of(), tracking.violations());
        assertEquals(appended, RedoGroups.scan(open(new DirectStorageBackend(FlushMethod.O_DIRECT)), Lsn.FIRST)
                .groups());
    }

    @Test
    void aProcessCrashMustKeepEveryWriteOnCommitGroup() throws Exception {
        CairnRedoLog log = open(buffered, 16L << 20, CommitDurability.WRITE_ON_COMMIT, 100_000);
        List<Group> appended = append(log, 80, 2000, CommitDurability.WRITE_ON_COMMIT);
        assertTrue(log.flushedLsn() < log.writtenLsn(), "the background interval is long: nothing synced yet");
        log.halt();
        CairnRedoLog reopened = open(buffered);
        assertEquals(appended, RedoGroups.scan(reopened, Lsn.FIRST).groups());
    }

    @Test
    void aProcessCrashMayLosePeriodicGroupsButNeverLeavesAHole() throws Exception {
        CairnRedoLog log = open(buffered, 16L << 20, CommitDurability.PERIODIC, 100_000);
        List<Group> appended = append(log, 40, 2000, CommitDurability.SYNC_ON_COMMIT);
        appended.addAll(append(log, 40, 2000, CommitDurability.PERIODIC));
        log.halt();
        CairnRedoLog reopened = open(buffered);
        List<Group> scanned = RedoGroups.scan(reopened, Lsn.FIRST).groups();
        assertTrue(scanned.size() >= 40, "synced groups survive");
        assertEquals(appended.subList(0, scanned.size()), scanned);
    }

    @Test
    void theSweepMustReallyTearTheTail() throws Exception {
        // A test of the crash tests: some crashes must leave a damaged tail, and some must lose
        // the group whose sync was interrupted; otherwise the sweep proves nothing.
        int damaged = 0;
        int lost = 0;
        for (int n = 2; n < 40; n++) {
            TestFiles.deleteRecursively(dir);
            FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(buffered, seed + n);
            CairnRedoLog log = open(fault);
            fault.crashAtSync(n, "redo-*.log", CrashMode.PER_WRITE_RANDOM);
            List<Group> appended = new ArrayList<>();
            try {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 30; i++) {
                    List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 3000));
                    long before = log.currentLsn();
                    long end = log.append(g);
                    appended.add(new Group(before, end, RedoGroups.describe(g)));
                    log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                }
            } catch (IOException e) {
                // the crash
            }
            log.halt();
            fault.reset();
            CairnRedoLog reopened = open(buffered);
            Scan scan = RedoGroups.scan(reopened, Lsn.FIRST);
            if (!scan.result().tailDescription().equals("end of log")) {
                damaged++;
            }
            if (scan.groups().size() < appended.size()) {
                lost++;
            }
            reopened.close();
        }
        assertTrue(damaged > 0, "PER_WRITE_RANDOM never damaged the tail: the sweep tests nothing");
        assertTrue(lost > 0, "no crash ever lost an unsynced group: the harness is not dropping data");
    }

    /** Capabilities of a device with 4 KiB sectors: offsets, lengths and buffers aligned to 4096. */
    private static IoCapabilities fourKibibyteSectors(IoCapabilities caps) {
        return new IoCapabilities(4096, 4096, true, 0, false, true, false, caps.fileSystemType(), caps.facts());
    }

    /** Capabilities of an O_DSYNC-like file: every write is durable when it returns. */
    private static IoCapabilities durableOnReturn(IoCapabilities caps) {
        return new IoCapabilities(512, 512, true, 0, true, true, false, caps.fileSystemType(), caps.facts());
    }

    @Test
    void fourKibibyteUnitsMustBeWrittenAlignedAndNeverRewrittenOnceSynced() throws Exception {
        RewriteTrackingBackend tracking = new RewriteTrackingBackend(
                new FaultInjectingStorageBackend(buffered, seed, CairnRedoLogTest::fourKibibyteSectors));
        CairnRedoLog log = open(tracking);
        List<Group> appended = append(log, 150, 2500, CommitDurability.SYNC_ON_COMMIT);
        appended.addAll(append(log, 50, 700, CommitDurability.WRITE_ON_COMMIT));
        log.close();
        assertEquals(List.of(), tracking.violations());
        assertEquals(appended, RedoGroups.scan(open(buffered), Lsn.FIRST).groups());
    }

    @Test
    void aPowerLossOnFourKibibyteSectorsMustLeaveAPrefixHoldingEveryAcknowledgedGroup() throws Exception {
        for (CrashMode mode : List.of(CrashMode.TEAR_SECTORS, CrashMode.PER_WRITE_RANDOM)) {
            sweep(mode, CairnRedoLogTest::fourKibibyteSectors);
        }
    }

    @Test
    void aPowerLossOnADurableOnReturnDeviceMustKeepEveryAcknowledgedGroup() throws Exception {
        sweep(CrashMode.PER_WRITE_RANDOM, CairnRedoLogTest::durableOnReturn);
    }

    /** A crash at each file sync in turn under simulated capabilities; checks the prefix rule. */
    private void sweep(CrashMode mode, java.util.function.UnaryOperator<IoCapabilities> caps) throws Exception {
        boolean finished = false;
        for (int n = 1; n < 500 && !finished; n++) {
            TestFiles.deleteRecursively(dir);
            String context = mode + " at sync " + n + ", seed " + (seed + n);
            FaultInjectingStorageBackend fault = new FaultInjectingStorageBackend(buffered, seed + n, caps);
            fault.crashAtSync(n, "*", mode);
            List<Group> appended = new ArrayList<>();
            int acknowledged = 0;
            CairnRedoLog log = null;
            try {
                log = open(fault);
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < 40; i++) {
                    List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 5000));
                    long before = log.currentLsn();
                    long end = log.append(g);
                    appended.add(new Group(before, end, RedoGroups.describe(g)));
                    log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
                    acknowledged = appended.size();
                }
                log.close();
                finished = true;
            } catch (IOException e) {
                if (log != null) {
                    log.halt();
                }
            }
            fault.reset();
            CairnRedoLog reopened = open(buffered);
            Scan scan = RedoGroups.scan(reopened, Lsn.FIRST);
            assertTrue(scan.groups().size() >= acknowledged, context + ": " + scan.groups().size() + " of "
                    + acknowledged + " acknowledged groups; tail " + scan.result().tailDescription());
            assertEquals(appended.subList(0, scan.groups().size()), scan.groups(), context);
            reopened.close();
        }
        assertTrue(finished, "the sweep must reach a run without a crash");
    }

    // ------------------------------------------------------------------ recovery of damaged logs

    @Test
    void aDamagedBlockMustEndTheLogAtTheLastCompleteGroupBeforeIt() throws Exception {
        CairnRedoLog log = open(buffered);
        List<Group> appended = append(log, 30, 1500, CommitDurability.SYNC_ON_COMMIT);
        log.close();
        Path file = dir.resolve("redo-0000000001.log");
        long offset = LogFormat.DATA_OFFSET + 20 * LogFormat.BLOCK_BYTES + 100;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, offset);
        }
        CairnRedoLog reopened = open(buffered);
        Scan scan = RedoGroups.scan(reopened, Lsn.FIRST);
        assertTrue(scan.groups().size() < appended.size());
        assertEquals(appended.subList(0, scan.groups().size()), scan.groups());
        assertTrue(scan.result().tailDescription().contains("damaged block at offset "
                + (LogFormat.DATA_OFFSET + 20 * LogFormat.BLOCK_BYTES)), scan.result().tailDescription());
        // Appends continue after the damage, and the next incarnation reads them back.
        List<Group> more = append(reopened, 5, 500, CommitDurability.SYNC_ON_COMMIT);
        reopened.close();
        List<Group> expected = new ArrayList<>(scan.groups());
        expected.addAll(more);
        assertEquals(expected, RedoGroups.scan(open(buffered), Lsn.FIRST).groups());
    }

    @Test
    void filesAfterAHoleMustBeDeletedAsOrphans() throws Exception {
        CairnRedoLog log = open(buffered);
        List<Group> appended = append(log, 120, 3000, CommitDurability.SYNC_ON_COMMIT);
        log.close();
        // Zero the middle of file 2: its stream stops there, so files 3.. hold nothing reachable.
        Path second = dir.resolve("redo-0000000002.log");
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(16 << 10), LogFormat.DATA_OFFSET + 8192);
        }
        CairnRedoLog reopened = open(buffered);
        Scan scan = RedoGroups.scan(reopened, Lsn.FIRST);
        assertEquals(appended.subList(0, scan.groups().size()), scan.groups());
        long lastNumber = 0;
        for (String name : names()) {
            long n = LogFormat.parseLogFileName(name);
            if (n >= 3) {
                LogFile f = RedoDirectory.readLogFile(buffered, dir.resolve(name), n, logId());
                assertEquals(scan.result().endLsn(), f.startLsn(), name + " must be the new incarnation's file");
            }
            lastNumber = Math.max(lastNumber, n);
        }
        assertTrue(lastNumber > 3, "the new file takes a number never used before");
        List<Group> more = append(reopened, 3, 500, CommitDurability.SYNC_ON_COMMIT);
        reopened.close();
        List<Group> expected = new ArrayList<>(scan.groups());
        expected.addAll(more);
        assertEquals(expected, RedoGroups.scan(open(buffered), Lsn.FIRST).groups());
    }

    @Test
    void leftOverTemporaryFilesMustBeDeletedOnOpen() throws Exception {
        open(buffered).close();
        Files.write(dir.resolve("redo-0000000007.log.tmp"), new byte[100]);
        open(buffered);
        assertFalse(names().contains("redo-0000000007.log.tmp"));
    }

    @Test
    void aControlFileOfAnotherFormatMustBeRefusedNamingWhatWasFound() throws Exception {
        Files.createDirectories(dir);
        byte[] foreign = new byte[12288];
        byte[] magic = "SQLite format 3".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, foreign, 0, magic.length);
        Files.write(dir.resolve("redo-control"), foreign);
        IOException e = assertThrows(IOException.class, () -> open(buffered));
        assertTrue(e.getMessage().contains("'SQLite f'"), e.getMessage());
        assertEquals(12288, Files.size(dir.resolve("redo-control")), "never overwritten");
    }

    @Test
    void aNewerFormatVersionMustBeRefusedNamingTheVersion() throws Exception {
        open(buffered).close();
        Path control = dir.resolve("redo-control");
        try (FileChannel ch = FileChannel.open(control, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, 2), 8);
        }
        IOException e = assertThrows(IOException.class, () -> open(buffered));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void logFilesWithoutAControlFileMustBeRefused() throws Exception {
        open(buffered).close();
        Files.delete(dir.resolve("redo-control"));
        IOException e = assertThrows(IOException.class, () -> open(buffered));
        assertTrue(e.getMessage().contains("no redo-control"), e.getMessage());
    }

    // ------------------------------------------------------------------ contracts around the edges

    @Test
    void aBlockedAppendMustBeVisibleWithItsProgressOwnerAndInterruptible() throws Exception {
        CairnRedoLog log = open(buffered, 64 << 10, CommitDurability.SYNC_ON_COMMIT, 1000);
        long end = log.currentLsn();
        while (log.currentLsn() - log.checkpointLsn() < 60 << 10) {
            end = log.append(RedoGroups.smallGroup(1, end, 1000));
        }
        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread appender = new Thread(() -> {
            try {
                log.append(RedoGroups.smallGroup(1, 1, 8000));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        appender.start();
        await(() -> log.blockedAppenders() == 1, "the append to block");
        List<WaitStatus> waits = log.waits();
        assertEquals(1, waits.size());
        assertTrue(waits.get(0).progressOwner().contains("checkpoint"), waits.toString());
        assertTrue(log.capacityUsedFraction() > 0.9);
        long before = log.currentLsn();
        appender.interrupt();
        appender.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(outcome.get() instanceof InterruptedIOException, String.valueOf(outcome.get()));
        assertEquals(before, log.currentLsn(), "nothing was appended");
        assertEquals(0, log.blockedAppenders());
    }

    @Test
    void closeMustReleaseBlockedAppendsWithIllegalState() throws Exception {
        CairnRedoLog log = open(buffered, 64 << 10, CommitDurability.SYNC_ON_COMMIT, 1000);
        long end = log.currentLsn();
        while (log.currentLsn() - log.checkpointLsn() < 60 << 10) {
            end = log.append(RedoGroups.smallGroup(1, end, 1000));
        }
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread appender = new Thread(() -> {
            try {
                log.append(RedoGroups.smallGroup(1, 1, 8000));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        appender.start();
        await(() -> log.blockedAppenders() == 1, "the append to block");
        log.close();
        appender.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(outcome.get() instanceof IllegalStateException, String.valueOf(outcome.get()));
    }

    @Test
    void scanAfterTheFirstAppendMustBeRefused() throws Exception {
        CairnRedoLog log = open(buffered);
        log.append(RedoGroups.smallGroup(1, 1, 10));
        assertThrows(IllegalStateException.class, () -> log.scan(Lsn.FIRST, (s, e, r) -> { }));
    }

    @Test
    void aGroupLargerThanTheLogBufferMustBeRejected() throws Exception {
        CairnRedoLog log = open(buffered);
        assertThrows(IllegalArgumentException.class, () -> log.append(RedoGroups.smallGroup(1, 1, 2 << 20)));
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of()));
        long end = log.append(RedoGroups.smallGroup(1, 1, (1 << 20) - 100));
        log.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
    }

    @Test
    void aVisitorExceptionMustAbortTheScanAndLeaveItRepeatable() throws Exception {
        CairnRedoLog log = open(buffered);
        List<Group> appended = append(log, 10, 500, CommitDurability.SYNC_ON_COMMIT);
        log.close();
        CairnRedoLog reopened = open(buffered);
        IOException stop = new IOException("stop");
        assertEquals(stop, assertThrows(IOException.class, () -> reopened.scan(Lsn.FIRST, (s, e, r) -> {
            throw stop;
        })));
        assertEquals(appended, RedoGroups.scan(reopened, Lsn.FIRST).groups());
    }

    @Test
    void theWriterAndFlusherMustBeNamedDaemonThreadsThatStopOnClose() throws Exception {
        java.util.Set<Thread> before = redoThreads();
        CairnRedoLog log = open(buffered);
        java.util.Set<Thread> mine = redoThreads();
        mine.removeAll(before);
        assertEquals(2, mine.size(), mine.toString());
        assertTrue(mine.stream().anyMatch(t -> t.getName().startsWith("cairn-redo-writer-")));
        assertTrue(mine.stream().anyMatch(t -> t.getName().startsWith("cairn-redo-flusher-")));
        assertTrue(mine.stream().allMatch(Thread::isDaemon));
        log.close();
        for (Thread t : mine) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t.getName() + " must stop on close");
        }
    }

    private static java.util.Set<Thread> redoThreads() {
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("cairn-redo-")) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void statsMustCountGroupsWritesAndSyncs() throws Exception {
        CairnRedoLog log = open(buffered);
        append(log, 10, 200, CommitDurability.SYNC_ON_COMMIT);
        var stats = log.stats();
        assertEquals(10, stats.groupsAppended());
        assertTrue(stats.syncCalls() >= 1 && stats.syncCalls() <= 20, stats.toString());
        assertTrue(stats.writeCalls() >= 1, stats.toString());
        assertNotEquals(0, stats.flushedLsn());
    }
}
