package io.cairn.redo.log;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.CreateMode;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.Lsn;
import io.cairn.redo.RedoGroupVisitor;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.RedoScanResult;
import io.cairn.redo.RedoStats;
import io.cairn.redo.log.LogFormat.Checkpoint;
import io.cairn.redo.log.LogFormat.FileHeader;
import io.cairn.redo.support.LsnWaiters;
import io.cairn.redo.support.WaitQueue;
import io.cairn.status.WaitStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Cairn's redo log: CRC-framed groups in self-describing 512-byte blocks, a lock-free log buffer,
 * a writer and a flusher thread with group commit, two alternating checkpoint slots, and a
 * recovery scan that ends at the first incomplete or damaged group. The file format is described
 * in {@link LogFormat}; plain Java, the DS component in {@code internal} only adapts it.
 *
 * <h2>Map of this file</h2>
 * <ol>
 *   <li>Opening: directory checks, checkpoint, end-of-log discovery, a fresh file per incarnation</li>
 *   <li>Append: encode, reserve (blocking on capacity), copy, publish</li>
 *   <li>Durability waits</li>
 *   <li>Writer thread and the block-aligned write path</li>
 *   <li>Flusher thread</li>
 *   <li>Checkpoints, capacity, reclaiming files</li>
 *   <li>Scan, backend switch, stats, close, failure</li>
 * </ol>
 *
 * <h2>Positions</h2>
 * {@code checkpointLsn <= flushedLsn <= writtenLsn <= ready <= reserved (currentLsn)}. All are
 * group boundaries. {@code ready}: every byte below is copied into the log buffer.
 *
 * <h2>Never rewrite what a sync may have made durable</h2>
 * Writes are whole write units (the file's alignment, at least 512 bytes); the last, partial
 * unit is rewritten with the following bytes, as InnoDB rewrites its last block. But once a sync
 * has started after a unit was written, that unit may be durable and acknowledged, and a torn
 * rewrite (power loss mid-write; the fault backend's {@code PER_WRITE_RANDOM}) could destroy it.
 * So after every sync start the writer <em>seals</em> the unit: the next bytes go into a new block
 * at the next unit boundary. A sync start and a write exclude each other through
 * {@link #writeLock}, {@link #syncEpoch} counts sync starts, and a unit written while a sync is in
 * flight is sealed as well (that sync may pick it up). The cost is at most one unit of file space
 * per sync; the LSN does not count it.
 *
 * <h2>Threads and progress owners</h2>
 * The writer ({@code cairn-redo-writer-N}) moves bytes from the buffer to the file when a commit
 * waits for a write (level 2), when the buffer fills, and every background interval. The flusher
 * ({@code cairn-redo-flusher-N}) serves commits waiting for a sync (level 1): it writes what is
 * ready and then syncs, so such a commit needs one hand-off, and every commit that arrives while
 * a sync runs is covered by the next one ({@link #gatherBatch} explains the short, count-bounded
 * pause under load). Waiters are woken only once their LSN is covered ({@link LsnWaiters}). Both
 * threads are daemons that survive exceptions: a failed write or sync fails the log (appends
 * refused, waiters get the {@link IOException}, nothing beyond the flushed LSN is acknowledged).
 * Appends waiting for capacity depend on the engine calling {@link #checkpoint}; that wait is
 * visible in {@link #blockedAppenders()}, {@link #waits()} and {@link #capacityUsedFraction()},
 * and logged after {@link RedoLogOptions#waitWarningMillis()}. No wait spins.
 *
 * <h2>Group boundaries</h2>
 * REQUIRES: the LSNs passed to {@link #checkpoint} and {@link #scan} are group boundaries, which
 * every LSN this log hands out is ({@link #append}'s result, {@link #currentLsn()},
 * {@link #writtenLsn()}, {@link #flushedLsn()}). Recovery parses groups from the checkpoint.
 *
 * <h2>Space</h2>
 * Capacity counts LSNs (group bytes). The files also hold block headers (4%) and the padding of
 * sealed units, so with many tiny syncs the files on disk can exceed the capacity; they are
 * reclaimed, whole files at a time, only behind the checkpoint.
 */
public final class CairnRedoLog implements RedoLog {

    /** Smallest and largest capacity accepted by {@link #resize} and at open. */
    public static final long MIN_CAPACITY_BYTES = 64L << 10;
    public static final long MAX_CAPACITY_BYTES = 1L << 40;

    private static final System.Logger LOG = System.getLogger("io.cairn.redo");
    private static final int LINK_SLOTS = 1 << 16;
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Upper bound of the flusher's batching pause (see {@link #gatherBatch}). */
    private static final long MAX_BATCH_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path directory;
    private final String creator;
    private final CommitDurability defaultDurability;
    private final long backgroundIntervalNanos;
    private final RedoLogOptions options;
    private final UUID logId;
    private final long maxGroupBytes;
    private volatile StorageBackend backend;
    private volatile long capacityBytes;

    private final LogBuffer buffer;
    /** Written to the current file up to here; changed by the writer under {@link #writeLock}. */
    private volatile long writtenLsn;
    private final AtomicLong flushedLsn;
    private volatile long checkpointLsn;
    /** Highest LSN some waiter wants written / synced. */
    private final AtomicLong writeRequested;
    private final AtomicLong flushRequested;

    /** Log files holding LSNs at or above the checkpoint's file, sorted; the last is the current one. */
    private final List<LogFile> files;
    private long nextFileNumber; // guarded by writeLock

    private final long recoveredEndLsn;
    private final String recoveredTail;
    private volatile boolean appendStarted;
    private final Object scanLock = new Object();

    // ---- write path state, guarded by writeLock
    private final ReentrantLock writeLock = new ReentrantLock();
    private LogFile.Handle current;
    /** Incremented (under writeLock) whenever a sync of the current file is about to start. */
    private long syncEpoch;
    /** {@link #syncEpoch} when the unit at {@link #wbufFileOffset} was last written; -1 forces a seal. */
    private long unitEpoch;
    /** Flusher syncs between their start (counted under writeLock) and their return. */
    private final AtomicInteger syncsInFlight = new AtomicInteger();

    // ---- flusher-confined batching state
    /** How many waiting commits the last sync served. */
    private int lastBatch;
    /** How long the last sync took. */
    private long lastSyncNanos;

    // ---- hand-off flags: wake a background thread only when it would not look by itself
    /** The writer is parked with nothing to do (set before its last check, Dekker-style). */
    private volatile boolean writerIdle;
    /** The flusher is parked with nothing to do. */
    private volatile boolean flusherIdle;
    private final Runnable wakeFlusher = this::wakeFlusherIfIdle;
    private final Runnable wakeWriter = this::wakeWriterIfIdle;
    private final ByteBuffer wbuf = LogFormat.alignedBuffer(WRITE_BUFFER_BYTES);
    private long wbufFileOffset;
    private int wbufBlocks;
    private int tailLength;
    private int dirtyFromBlock;

    // ---- checkpoint state, guarded by checkpointLock
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private StorageFile control;
    private long checkpointNumber;

    // ---- lifecycle
    private final Thread writer;
    private final Thread flusher;
    private volatile boolean running = true;
    private volatile boolean closing;
    private final AtomicInteger closeCalls = new AtomicInteger();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final AtomicInteger inFlightAppends = new AtomicInteger();
    private final LsnWaiters writtenWaiters = new LsnWaiters();
    private final LsnWaiters flushedWaiters = new LsnWaiters();
    private final WaitQueue spaceWaiters = new WaitQueue();
    private final WaitQueue drainWaiters = new WaitQueue();
    private final Map<Thread, WaitStatus> capacityWaits = new ConcurrentHashMap<>();

    // ---- counters
    private final LongAdder groupsAppended = new LongAdder();
    private final AtomicLong writeCalls = new AtomicLong();
    private final AtomicLong syncCalls = new AtomicLong();

    // ================================================================== 1. opening

    /** What {@link #open} found and prepared before the log object exists. */
    private record Opened(UUID logId, StorageFile control, Checkpoint checkpoint, List<LogFile> files,
            long endLsn, String tail, long nextFileNumber) {
    }

    /**
     * Opens the log in {@code config.directory()}, creating it when the directory holds no redo
     * files. Finds the newest valid checkpoint and the end of the log, deletes files behind the
     * checkpoint and orphans past the end, syncs what recovery will build on, and starts a new log
     * file at the end LSN for this incarnation's appends.
     *
     * @throws IOException if the directory holds another format (named in the message), or the
     *     files are inconsistent in a way a crash cannot explain
     */
    public static CairnRedoLog open(RedoLogConfig config, RedoLogOptions options) throws IOException {
        return open(config, options, Lsn.NONE);
    }

    /**
     * Creates a new, empty log in {@code config.directory()} that continues at {@code startLsn}
     * (see {@link io.cairn.redo.RedoLogProvider#create}); the directory must hold no redo files.
     */
    public static CairnRedoLog create(RedoLogConfig config, RedoLogOptions options, long startLsn) throws IOException {
        if (startLsn < Lsn.FIRST) {
            throw new IllegalArgumentException("a log cannot start at LSN " + startLsn + ", below " + Lsn.FIRST);
        }
        return open(config, options, startLsn);
    }

    /** Opens the log, or with {@code createAtLsn} set creates it there in an empty directory. */
    private static CairnRedoLog open(RedoLogConfig config, RedoLogOptions options, long createAtLsn)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        requireCapacity(config.capacityBytes());
        StorageBackend backend = config.backend();
        Path directory = config.directory();
        backend.createDirectories(directory);
        List<String> names = backend.list(directory);
        RedoDirectory.refuseForeignFiles(directory, names);
        for (String name : names) {
            if (name.endsWith(LogFormat.TMP_SUFFIX)) {
                backend.delete(directory.resolve(name)); // an interrupted creation; never renamed into place
            }
        }
        List<long[]> numbered = RedoDirectory.logFileNumbers(names);
        if (Lsn.isSet(createAtLsn) && (names.contains(LogFormat.CONTROL_FILE_NAME) || !numbered.isEmpty())) {
            throw new IOException(directory + " already holds a redo log (" + String.join(", ", names)
                    + "); a log continuing at LSN " + createAtLsn + " needs an empty directory");
        }
        Opened opened;
        if (!names.contains(LogFormat.CONTROL_FILE_NAME)) {
            if (!numbered.isEmpty()) {
                throw new IOException(directory + " holds redo log files (" + names.get((int) numbered.get(0)[1])
                        + ") but no " + LogFormat.CONTROL_FILE_NAME + "; refusing to guess where recovery starts");
            }
            opened = createFresh(backend, directory, config, Lsn.isSet(createAtLsn) ? createAtLsn : Lsn.FIRST);
        } else {
            opened = openExisting(backend, directory, config, numbered);
        }
        backend.syncDirectory(directory);
        StorageFile controlFile = opened.control();
        try {
            long fileSize = options.fileSizeFor(config.capacityBytes());
            LogFile first = RedoDirectory.createLogFile(backend, directory, opened.nextFileNumber(), opened.endLsn(),
                    fileSize, options.zeroFillFiles(), opened.logId(), config.creator());
            StorageFile storage = backend.open(first.path(), RedoDirectory.readWrite(CreateMode.OPEN_EXISTING));
            LogFile.Handle handle;
            try {
                handle = new LogFile.Handle(first, storage, RedoDirectory.unitFor(storage));
            } catch (IOException | RuntimeException e) {
                storage.close();
                throw e;
            }
            List<LogFile> files = new ArrayList<>(opened.files());
            files.add(first);
            return new CairnRedoLog(config, options, opened, files, handle);
        } catch (IOException | RuntimeException e) {
            controlFile.close();
            throw e;
        }
    }

    private static Opened createFresh(StorageBackend backend, Path directory, RedoLogConfig config, long startLsn)
            throws IOException {
        UUID logId = UUID.randomUUID();
        RedoDirectory.createControlFile(backend, directory, logId, config.creator(), startLsn);
        backend.syncDirectory(directory);
        StorageFile control = backend.open(directory.resolve(LogFormat.CONTROL_FILE_NAME),
                RedoDirectory.readWrite(CreateMode.OPEN_EXISTING));
        return new Opened(logId, control, new Checkpoint(1, startLsn), List.of(), startLsn,
                startLsn == Lsn.FIRST ? "end of log (new log)" : "end of log (new log continuing at LSN " + startLsn + ")",
                1);
    }

    private static Opened openExisting(StorageBackend backend, Path directory, RedoLogConfig config,
            List<long[]> numbered) throws IOException {
        StorageFile control = backend.open(directory.resolve(LogFormat.CONTROL_FILE_NAME),
                RedoDirectory.readWrite(CreateMode.OPEN_EXISTING));
        try {
            RedoDirectory.unitFor(control);
            FileHeader header = RedoDirectory.readControlHeader(control);
            UUID logId = header.logId();
            Checkpoint checkpoint = RedoDirectory.readCheckpoint(control, logId);
            if (checkpoint == null) {
                throw new IOException(control.path() + " has no valid checkpoint in either slot; the redo log is"
                        + " damaged beyond what a torn write can explain");
            }
            List<LogFile> all = new ArrayList<>();
            long maxNumber = 0;
            for (long[] n : numbered) {
                Path path = directory.resolve(LogFormat.logFileName(n[0]));
                all.add(RedoDirectory.readLogFile(backend, path, n[0], logId));
                maxNumber = Math.max(maxNumber, n[0]);
            }
            long cp = checkpoint.lsn();
            int first = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).startLsn() <= cp) {
                    first = i;
                }
                if (i > 0 && all.get(i).startLsn() < all.get(i - 1).startLsn()) {
                    throw new IOException(all.get(i).path() + " starts at LSN " + all.get(i).startLsn() + ", before "
                            + all.get(i - 1).path() + " at " + all.get(i - 1).startLsn());
                }
            }
            long endLsn;
            String tail;
            List<LogFile> live;
            if (first < 0) {
                if (!all.isEmpty()) {
                    throw new IOException("the checkpoint LSN " + cp + " lies before the oldest log file "
                            + all.get(0).path() + " (LSN " + all.get(0).startLsn() + "): redo needed by recovery is"
                            + " missing");
                }
                // Only possible when a crash interrupted the very first file's creation.
                endLsn = cp;
                tail = "end of log (no log file)";
                live = new ArrayList<>();
            } else {
                live = new ArrayList<>(all.subList(first, all.size()));
                GroupScanner.Result end;
                try (LogReader reader = new LogReader(backend, live, cp)) {
                    end = GroupScanner.scan(reader, Long.MAX_VALUE, (s, e, body, length) -> {
                    });
                }
                endLsn = end.endLsn();
                tail = end.tailDescription();
                for (LogFile behind : all.subList(0, first)) {
                    backend.delete(behind.path()); // wholly behind the checkpoint
                }
                List<LogFile> kept = new ArrayList<>();
                for (LogFile f : live) {
                    if (f.startLsn() >= endLsn) {
                        backend.delete(f.path()); // holds nothing below the end: an orphan of a torn tail
                    } else {
                        kept.add(f);
                    }
                }
                // Recovery read these bytes, perhaps from the page cache; make them durable before
                // a new incarnation builds on them.
                for (LogFile f : kept) {
                    RedoDirectory.syncFile(backend, f.path());
                }
                live = kept;
                LOG.log(System.Logger.Level.INFO, "redo log " + directory + ": checkpoint at LSN " + cp + ", end at LSN "
                        + endLsn + " (" + tail + ")");
            }
            return new Opened(logId, control, checkpoint, live, endLsn, tail, maxNumber + 1);
        } catch (IOException | RuntimeException e) {
            control.close();
            throw e;
        }
    }

    private CairnRedoLog(RedoLogConfig config, RedoLogOptions options, Opened opened, List<LogFile> files,
            LogFile.Handle first) {
        this.directory = config.directory();
        this.creator = config.creator();
        this.defaultDurability = config.defaultDurability();
        this.backgroundIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.backgroundFlushIntervalMillis());
        this.options = options;
        this.logId = opened.logId();
        this.backend = config.backend();
        this.capacityBytes = config.capacityBytes();
        this.maxGroupBytes = Math.min(options.logBufferBytes(),
                (long) LogFormat.MAX_GROUP_BODY_BYTES + LogFormat.GROUP_HEADER_BYTES);
        long end = opened.endLsn();
        this.buffer = new LogBuffer(options.logBufferBytes(), LINK_SLOTS, end);
        this.writtenLsn = end;
        this.flushedLsn = new AtomicLong(end);
        this.checkpointLsn = opened.checkpoint().lsn();
        this.checkpointNumber = opened.checkpoint().number();
        this.writeRequested = new AtomicLong(end);
        this.flushRequested = new AtomicLong(end);
        this.files = files;
        this.nextFileNumber = first.file.number() + 1;
        this.recoveredEndLsn = end;
        this.recoveredTail = opened.tail();
        this.control = opened.control();
        this.current = first;
        this.wbufFileOffset = LogFormat.DATA_OFFSET;
        int id = INSTANCES.incrementAndGet();
        this.writer = new Thread(this::writerLoop, "cairn-redo-writer-" + id);
        this.flusher = new Thread(this::flusherLoop, "cairn-redo-flusher-" + id);
        writer.setDaemon(true);
        flusher.setDaemon(true);
        writer.start();
        flusher.start();
    }

    static void requireCapacity(long capacityBytes) {
        InvalidSettingException.requireRange("capacityBytes", capacityBytes, MIN_CAPACITY_BYTES, MAX_CAPACITY_BYTES);
    }

    // ================================================================== 2. append

    @Override
    public long append(List<RedoRecord> records) throws IOException {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a redo group needs at least one record");
        }
        int bodyLength = RecordCodec.encodedSize(records);
        long size = (long) LogFormat.GROUP_HEADER_BYTES + bodyLength;
        if (size > maxGroupBytes) {
            throw new IllegalArgumentException("a redo group of " + size + " bytes exceeds the largest group of "
                    + maxGroupBytes + " bytes (the log buffer size)");
        }
        byte[] group = new byte[(int) size];
        RecordCodec.encode(records, group, LogFormat.GROUP_HEADER_BYTES);
        inFlightAppends.incrementAndGet();
        try {
            long start = reserve((int) size);
            appendStarted = true;
            // Nothing between reserve and publish may throw: an unpublished range stalls the log.
            LogFormat.putInt(group, 0, bodyLength);
            LogFormat.putInt(group, 4, LogFormat.groupCrc(start, bodyLength, group, LogFormat.GROUP_HEADER_BYTES));
            buffer.copyIn(start, group, group.length);
            long end = start + size;
            long ready = buffer.publish(start, end);
            groupsAppended.increment();
            long written = writtenLsn;
            if (ready > written) {
                // Someone may wait for bytes that only this publication made ready; a busy thread
                // looks at ready again by itself, only an idle one needs a wake-up.
                if (flusherIdle && flushRequested.get() > written) {
                    LockSupport.unpark(flusher);
                }
                if (writerIdle && (writeRequested.get() > written
                        || end - buffer.released() >= buffer.ringBytes() / 4)) {
                    LockSupport.unpark(writer);
                }
            }
            spaceWaiters.signalAll(); // a reservation blocked on link slots may proceed now
            return end;
        } finally {
            if (inFlightAppends.decrementAndGet() == 0 && closing) {
                drainWaiters.signalAll();
            }
        }
    }

    /** Reserves {@code size} LSNs, waiting while capacity, buffer space or link slots are short. */
    private long reserve(int size) throws IOException {
        long waitingSince = 0;
        long warnings = 0;
        boolean counted = false;
        try {
            while (true) {
                checkAppendable();
                long limit = checkpointLsn + capacityBytes;
                if (size > capacityBytes) {
                    throw new IllegalArgumentException("a redo group of " + size + " bytes can never fit the redo"
                            + " capacity of " + capacityBytes + " bytes");
                }
                long start = buffer.tryReserve(size, limit);
                if (start >= 0) {
                    return start;
                }
                long now = System.nanoTime();
                if (waitingSince == 0) {
                    waitingSince = now;
                }
                if (start == LogBuffer.NO_CAPACITY) {
                    if (!counted) {
                        counted = true;
                        capacityWaits.put(Thread.currentThread(), new WaitStatus(Thread.currentThread().getName(),
                                "redo capacity for a group of " + size + " bytes", "the engine's checkpoint", 0));
                    }
                } else {
                    raise(writeRequested, buffer.reserved());
                    LockSupport.unpark(writer);
                }
                boolean done;
                try {
                    done = spaceWaiters.await(() -> closing || failure.get() != null
                            || buffer.blockedReason(size, checkpointLsn + capacityBytes) == 0, WAIT_SLICE_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for redo space; nothing was appended");
                }
                long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince);
                if (counted) {
                    capacityWaits.put(Thread.currentThread(), new WaitStatus(Thread.currentThread().getName(),
                            "redo capacity for a group of " + size + " bytes (checkpoint age "
                                    + (buffer.reserved() - checkpointLsn) + " of " + capacityBytes + " bytes)",
                            "the engine's checkpoint (page flushing, then RedoLog.checkpoint)", waitedMillis));
                }
                if (!done && waitedMillis / options.waitWarningMillis() > warnings) {
                    warnings = waitedMillis / options.waitWarningMillis();
                    LOG.log(System.Logger.Level.WARNING, "thread " + Thread.currentThread().getName() + " has waited "
                            + waitedMillis + " ms to append " + size + " bytes of redo: "
                            + describeBlocked(buffer.blockedReason(size, checkpointLsn + capacityBytes)));
                }
            }
        } finally {
            if (counted) {
                capacityWaits.remove(Thread.currentThread());
            }
        }
    }

    private String describeBlocked(long reason) {
        if (reason == LogBuffer.NO_CAPACITY) {
            return "checkpoint age " + (buffer.reserved() - checkpointLsn) + " bytes at capacity " + capacityBytes
                    + "; progress owner: the engine's checkpoint (flush pages, then call checkpoint)";
        } else if (reason == LogBuffer.NO_BUFFER_SPACE) {
            return "log buffer full; progress owner: redo writer thread " + writer.getName();
        } else if (reason == LogBuffer.NO_LINK_SLOT) {
            return "a slow appender has not finished copying; progress owner: that appender";
        }
        return "space became available";
    }

    private void checkAppendable() throws IOException {
        if (closing) {
            throw new IllegalStateException("the redo log " + directory + " is closed");
        }
        IOException failed = failure.get();
        if (failed != null) {
            throw new IOException("the redo log refuses appends after a failed write or sync (restart the engine;"
                    + " recovery restores every durable commit): " + failed.getMessage(),
                    failed);
        }
    }

    @Override
    public long currentLsn() {
        return buffer.reserved();
    }

    // ================================================================== 3. durability waits

    @Override
    public void waitFor(long lsn, CommitDurability durability) throws IOException, InterruptedException {
        Objects.requireNonNull(durability, "durability");
        if (lsn > buffer.reserved()) {
            throw new IllegalArgumentException("LSN " + lsn + " was never appended; the current LSN is "
                    + buffer.reserved());
        }
        switch (durability) {
            case PERIODIC:
                if (failure.get() != null && lsn > flushedLsn.get()) {
                    throw notDurable(lsn);
                }
                return;
            case WRITE_ON_COMMIT:
                if (writtenLsn >= lsn && failure.get() == null) {
                    return;
                }
                raise(writeRequested, lsn);
                awaitPosition(writtenWaiters, () -> writtenLsn, lsn, "written", writer, wakeWriter);
                return;
            case SYNC_ON_COMMIT:
                if (flushedLsn.get() >= lsn) {
                    return;
                }
                raise(flushRequested, lsn);
                // The flusher writes what is ready, then syncs; it is woken once this waiter counts.
                awaitPosition(flushedWaiters, flushedLsn::get, lsn, "synced", flusher, wakeFlusher);
                return;
            default:
                throw new IllegalArgumentException("unknown durability " + durability);
        }
    }

    private void awaitPosition(LsnWaiters queue, LongSupplier position, long lsn, String what, Thread owner,
            Runnable wakeOwner) throws IOException, InterruptedException {
        long since = System.nanoTime();
        long warnings = 0;
        BooleanSupplier failed = () -> failure.get() != null;
        while (!queue.await(position, lsn, failed, WAIT_SLICE_NANOS, wakeOwner)) {
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (waitedMillis / options.waitWarningMillis() > warnings) {
                warnings = waitedMillis / options.waitWarningMillis();
                LOG.log(System.Logger.Level.WARNING, "thread " + Thread.currentThread().getName() + " has waited "
                        + waitedMillis + " ms for redo " + what + " up to LSN " + lsn + " (now at " + position.getAsLong()
                        + "); progress owner: " + owner.getName());
            }
        }
        if (failure.get() != null && lsn > flushedLsn.get()) {
            throw notDurable(lsn);
        }
    }

    private IOException notDurable(long lsn) {
        IOException cause = failure.get();
        return new IOException("redo up to LSN " + lsn + " is not durable: the redo log failed ("
                + cause.getMessage() + "); report the commit as failed", cause);
    }

    @Override
    public long writtenLsn() {
        return writtenLsn;
    }

    @Override
    public long flushedLsn() {
        return flushedLsn.get();
    }

    // ================================================================== 4. writer

    private void writerLoop() {
        long nextPeriodic = System.nanoTime() + backgroundIntervalNanos;
        while (running) {
            try {
                long now = System.nanoTime();
                boolean periodic = now - nextPeriodic >= 0;
                if (failure.get() == null) {
                    long ready = buffer.advanceReady();
                    if (ready > writtenLsn && (periodic || writerWanted(ready))) {
                        writeUpTo(ready);
                    }
                    if (periodic) {
                        raise(flushRequested, writtenLsn);
                    }
                    long flushed = flushedLsn.get();
                    if (flushRequested.get() > flushed && writtenLsn > flushed) {
                        LockSupport.unpark(flusher);
                    }
                }
                if (periodic) {
                    nextPeriodic = now + backgroundIntervalNanos;
                }
                writerIdle = true;
                long ready = buffer.advanceReady();
                if (failure.get() == null && ready > writtenLsn && writerWanted(ready)) {
                    writerIdle = false;
                    continue; // more arrived while writing
                }
                long sleep = Math.min(nextPeriodic - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
                LockSupport.parkNanos(this, Math.max(sleep, 1000));
                writerIdle = false;
            } catch (Throwable t) {
                fail(asIOException("the redo writer failed", t));
            }
        }
    }

    private boolean writerWanted(long ready) {
        long written = writtenLsn;
        return writeRequested.get() > written || flushRequested.get() > written || closing
                || ready - buffer.released() >= buffer.ringBytes() / 4;
    }

    /**
     * Writes the buffer up to {@code target} (a group boundary at or below ready) into blocks and
     * the current file, switching files when one is full.
     */
    private void writeUpTo(long target) throws IOException {
        writeLock.lock();
        try {
            writeLocked(target);
        } finally {
            writeLock.unlock();
        }
        afterWrite();
    }

    /** Wakes what a write may have released: written-LSN waiters and appenders waiting for buffer space. */
    private void afterWrite() {
        writtenWaiters.wakeUpTo(writtenLsn);
        spaceWaiters.signalAll();
    }

    /**
     * {@link #writeUpTo} with {@link #writeLock} held; the caller calls {@link #afterWrite()} after
     * unlocking. A failed write fails the log before the lock is released: another thread waiting
     * for the lock must find the log failed, not write the same bytes again once a backend is back
     * (which would make a commit already reported as failed durable after all).
     */
    private void writeLocked(long target) throws IOException {
        try {
            writeLockedOnce(target);
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    private void writeLockedOnce(long target) throws IOException {
        if (failure.get() != null || target <= writtenLsn) {
            return;
        }
        if (unitEpoch != syncEpoch) {
            seal();
        }
        long lsn = writtenLsn;
        while (lsn < target) {
            if (tailRoom() == 0) {
                long blockFileOffset = wbufFileOffset + (long) wbufBlocks * LogFormat.BLOCK_BYTES;
                if (blockFileOffset + LogFormat.BLOCK_BYTES > current.file.sizeBytes()) {
                    writeOut();
                    switchFile(lsn);
                    continue;
                }
                if ((wbufBlocks + 1) * LogFormat.BLOCK_BYTES > wbuf.capacity()) {
                    writeOut();
                    compact();
                    continue;
                }
                startBlock(lsn);
            }
            int n = (int) Math.min(tailRoom(), target - lsn);
            int at = (wbufBlocks - 1) * LogFormat.BLOCK_BYTES + LogFormat.BLOCK_HEADER_BYTES + tailLength;
            buffer.copyOut(lsn, wbuf.duplicate().position(at), n);
            tailLength += n;
            wbuf.putShort((wbufBlocks - 1) * LogFormat.BLOCK_BYTES + 8, (short) tailLength);
            dirtyFromBlock = Math.min(dirtyFromBlock, wbufBlocks - 1);
            lsn += n;
            buffer.release(lsn);
        }
        writeOut();
        compact();
        // A unit written while a sync runs may become durable through that sync: never rewrite it.
        unitEpoch = syncsInFlight.get() > 0 ? -1 : syncEpoch;
        writtenLsn = target;
        if (current.storage.capabilities().writeDurableOnReturn()) {
            unitEpoch = -1; // each write was durable on return: never rewrite it
            raiseFlushed(target);
        }
    }

    private int tailRoom() {
        return wbufBlocks == 0 ? 0 : LogFormat.BLOCK_PAYLOAD_BYTES - tailLength;
    }

    private void startBlock(long lsn) {
        int at = wbufBlocks * LogFormat.BLOCK_BYTES;
        wbuf.putLong(at, lsn);
        wbuf.putShort(at + 8, (short) 0);
        wbuf.putShort(at + 10, (short) 0);
        wbuf.putInt(at + 12, (int) current.file.number());
        wbufBlocks++;
        tailLength = 0;
    }

    /** Checksums the changed blocks and writes every block in the buffer, padded to whole units. */
    private void writeOut() throws IOException {
        if (wbufBlocks == 0) {
            return;
        }
        for (int b = dirtyFromBlock; b < wbufBlocks; b++) {
            int at = b * LogFormat.BLOCK_BYTES;
            wbuf.putInt(at + LogFormat.BLOCK_CRC_OFFSET, LogFormat.crc(wbuf, at, at + LogFormat.BLOCK_CRC_OFFSET));
        }
        dirtyFromBlock = wbufBlocks;
        int length = (int) LogFormat.roundUp((long) wbufBlocks * LogFormat.BLOCK_BYTES, current.unitBytes);
        current.storage.write(wbufFileOffset, wbuf.duplicate().position(0).limit(length));
        writeCalls.incrementAndGet();
    }

    /** Drops written units from the front of the buffer, keeping the unit the next bytes go into. */
    private void compact() {
        int used = wbufBlocks * LogFormat.BLOCK_BYTES;
        if (used == 0) {
            return;
        }
        int unit = current.unitBytes;
        boolean tailFull = tailLength == LogFormat.BLOCK_PAYLOAD_BYTES;
        int keepFrom = tailFull && used % unit == 0 ? used : (used - 1) / unit * unit;
        if (keepFrom == 0) {
            return;
        }
        int kept = used - keepFrom;
        if (kept > 0) {
            ByteBuffer src = wbuf.duplicate().position(keepFrom).limit(used);
            wbuf.duplicate().position(0).put(src);
        }
        zero(kept, used);
        wbufFileOffset += keepFrom;
        wbufBlocks = kept / LogFormat.BLOCK_BYTES;
        dirtyFromBlock = Math.max(0, dirtyFromBlock - keepFrom / LogFormat.BLOCK_BYTES);
        if (wbufBlocks == 0) {
            tailLength = 0;
        }
    }

    /** A sync may have made the current unit durable: continue in a new block at the next unit. */
    private void seal() {
        int used = wbufBlocks * LogFormat.BLOCK_BYTES;
        long next = LogFormat.roundUp(wbufFileOffset + used, current.unitBytes);
        zero(0, used);
        wbufFileOffset = next;
        wbufBlocks = 0;
        tailLength = 0;
        dirtyFromBlock = 0;
        unitEpoch = syncEpoch;
    }

    private void zero(int from, int to) {
        for (int i = from; i < to; i += 8) {
            wbuf.putLong(i, 0L);
        }
    }

    /**
     * The current file is full: record its end, sync it (so a later file never holds bytes the
     * previous one lost), and continue in a new file starting at {@code lsn}.
     */
    private void switchFile(long lsn) throws IOException {
        LogFile.Handle old = current;
        RedoDirectory.writeCompletion(old.storage, old.file, lsn);
        writeCalls.incrementAndGet();
        syncEpoch++;
        old.storage.sync(SyncLevel.DATA);
        syncCalls.incrementAndGet();
        StorageBackend b = backend;
        LogFile next = RedoDirectory.createLogFile(b, directory, nextFileNumber, lsn, options.fileSizeFor(capacityBytes),
                options.zeroFillFiles(), logId, creator);
        nextFileNumber++;
        StorageFile storage = b.open(next.path(), RedoDirectory.readWrite(CreateMode.OPEN_EXISTING));
        LogFile.Handle handle;
        try {
            handle = new LogFile.Handle(next, storage, RedoDirectory.unitFor(storage));
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
        synchronized (files) {
            files.add(next);
        }
        current = handle;
        old.retire();
        zero(0, wbufBlocks * LogFormat.BLOCK_BYTES);
        wbufFileOffset = LogFormat.DATA_OFFSET;
        wbufBlocks = 0;
        tailLength = 0;
        dirtyFromBlock = 0;
        unitEpoch = syncEpoch;
    }

    // ================================================================== 5. flusher

    private void flusherLoop() {
        while (running) {
            try {
                if (flusherHasWork()) {
                    gatherBatch();
                    syncOnce();
                    continue;
                }
                flusherIdle = true;
                if (!flusherHasWork()) {
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                }
                flusherIdle = false;
            } catch (Throwable t) {
                fail(asIOException("the redo flusher failed", t));
            }
        }
    }

    private boolean flusherHasWork() {
        long flushed = flushedLsn.get();
        return failure.get() == null && flushRequested.get() > flushed
                && (writtenLsn > flushed || buffer.advanceReady() > writtenLsn);
    }

    /** A write waiter just queued: wake the writer if it is idle. */
    private void wakeWriterIfIdle() {
        if (writerIdle) {
            LockSupport.unpark(writer);
        }
    }

    /** A sync waiter just queued: wake the flusher if it is idle (a busy one looks again by itself). */
    private void wakeFlusherIfIdle() {
        if (flusherIdle) {
            LockSupport.unpark(flusher);
        }
    }

    /**
     * Under load, gives the committers the last sync woke a moment to append again, so the next
     * sync serves all of them. Without it, committers settle into two halves: while one half
     * waits for a sync, the other half re-appends and is served by the next sync, and every sync
     * serves half the committers. The pause is bounded by count, not only by time: it ends as soon
     * as as many commits wait as the last sync served, or after half the last sync's duration (at
     * most {@link #MAX_BATCH_PAUSE_NANOS}). A single committer never pauses. PostgreSQL's {@code commit_delay} with {@code commit_siblings} has the same aim.
     *
     * <p>The flusher yields its processor during the pause instead of parking: the committers it
     * waits for get the CPU first, and no wake-up system call is needed when the batch completes
     * (InnoDB's log threads spin before they block for the same reason). The pause is short and
     * bounded, and happens only while commits wait for a sync.
     */
    private void gatherBatch() {
        int target = lastBatch;
        if (target < 2 || closing) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(lastSyncNanos / 2, MAX_BATCH_PAUSE_NANOS);
        while (running && failure.get() == null && !closing && flushedWaiters.uncovered() < target
                && deadline - System.nanoTime() > 0) {
            Thread.yield();
        }
    }

    /**
     * One group commit: writes what is ready (so a commit waiting for a sync needs one hand-off,
     * not two), then one sync covers everything written when it starts.
     */
    private void syncOnce() throws IOException {
        LogFile.Handle handle;
        long target;
        writeLock.lock();
        try {
            writeLocked(buffer.advanceReady());
            target = writtenLsn;
            if (target <= flushedLsn.get() || failure.get() != null) {
                return; // nothing to sync (or a durable-on-return write already made it durable)
            }
            handle = current;
            syncEpoch++;
            syncsInFlight.incrementAndGet();
            handle.retain();
        } finally {
            writeLock.unlock();
            afterWrite();
        }
        long started = System.nanoTime();
        try {
            handle.storage.sync(SyncLevel.DATA);
            syncCalls.incrementAndGet();
        } catch (IOException e) {
            fail(e);
            return;
        } finally {
            syncsInFlight.decrementAndGet();
            handle.release();
        }
        lastSyncNanos = System.nanoTime() - started;
        lastBatch = flushedWaiters.coverUpTo(target);
        raiseFlushed(target);
    }

    private void raiseFlushed(long lsn) {
        raise(flushedLsn, lsn);
        flushedWaiters.wakeUpTo(flushedLsn.get());
    }

    private static void raise(AtomicLong position, long lsn) {
        long seen = position.get();
        while (seen < lsn && !position.compareAndSet(seen, lsn)) {
            seen = position.get();
        }
    }

    // ================================================================== 6. checkpoints and capacity

    @Override
    public long checkpointLsn() {
        return checkpointLsn;
    }

    @Override
    public void checkpoint(long lsn) throws IOException {
        checkpointLock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("the redo log " + directory + " is closed");
            }
            long currentCheckpoint = checkpointLsn;
            if (lsn < currentCheckpoint) {
                throw new IllegalArgumentException("checkpoint LSN " + lsn + " is behind the current checkpoint "
                        + currentCheckpoint);
            }
            long flushed = flushedLsn.get();
            if (lsn > flushed) {
                throw new IllegalArgumentException("checkpoint LSN " + lsn + " is ahead of the flushed LSN " + flushed);
            }
            if (lsn == currentCheckpoint) {
                return;
            }
            // Writes the slot not holding the newest checkpoint; a failure leaves the number
            // unchanged, so a retry writes the same (non-newest) slot again.
            Checkpoint next = new Checkpoint(checkpointNumber + 1, lsn);
            RedoDirectory.writeCheckpoint(control, next, logId);
            syncCalls.incrementAndGet();
            writeCalls.incrementAndGet();
            checkpointNumber = next.number();
            checkpointLsn = lsn;
            spaceWaiters.signalAll();
            reclaim(lsn);
        } finally {
            checkpointLock.unlock();
        }
    }

    /** Deletes the files wholly behind {@code checkpoint}: those whose successor starts at or before it. */
    private void reclaim(long checkpoint) {
        List<LogFile> victims = new ArrayList<>();
        synchronized (files) {
            while (files.size() > 1 && files.get(1).startLsn() <= checkpoint) {
                victims.add(files.remove(0));
            }
        }
        if (victims.isEmpty()) {
            return;
        }
        StorageBackend b = backend;
        for (LogFile f : victims) {
            try {
                b.delete(f.path());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete redo file " + f.path()
                        + " behind the checkpoint; it is deleted at the next open: " + e);
            }
        }
        try {
            b.syncDirectory(directory);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sync " + directory + " after deleting redo files: " + e);
        }
    }

    @Override
    public long capacityBytes() {
        return capacityBytes;
    }

    @Override
    public void resize(long newCapacityBytes) throws IOException {
        requireCapacity(newCapacityBytes);
        capacityBytes = newCapacityBytes;
        spaceWaiters.signalAll();
    }

    /** How full the redo capacity is: checkpoint age / capacity (may exceed 1 right after shrinking). */
    public double capacityUsedFraction() {
        return (double) (buffer.reserved() - checkpointLsn) / capacityBytes;
    }

    /** The number of appends blocked now because the checkpoint age would exceed the capacity. */
    public int blockedAppenders() {
        return capacityWaits.size();
    }

    /** The appends blocked on capacity now, each naming its progress owner. */
    public List<WaitStatus> waits() {
        return List.copyOf(capacityWaits.values());
    }

    /** The log files in use, oldest first (for status and tests). */
    public List<Path> filePaths() {
        synchronized (files) {
            return files.stream().map(LogFile::path).toList();
        }
    }

    // ================================================================== 7. scan, switch, stats, close

    @Override
    public RedoScanResult scan(long fromLsn, RedoGroupVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        synchronized (scanLock) {
            if (appendStarted) {
                throw new IllegalStateException("scan must come before the first append of this redo log");
            }
            if (fromLsn > recoveredEndLsn) {
                throw new IllegalArgumentException("scan from LSN " + fromLsn + " is past the end of the log at "
                        + recoveredEndLsn);
            }
            List<LogFile> snapshot;
            synchronized (files) {
                snapshot = new ArrayList<>(files);
            }
            int first = -1;
            for (int i = 0; i < snapshot.size(); i++) {
                if (snapshot.get(i).startLsn() <= fromLsn) {
                    first = i;
                }
            }
            if (first < 0) {
                throw new IOException("redo from LSN " + fromLsn + " is no longer available: the oldest log file "
                        + snapshot.get(0).path() + " starts at LSN " + snapshot.get(0).startLsn());
            }
            GroupScanner.Result result;
            try (LogReader reader = new LogReader(backend, snapshot.subList(first, snapshot.size()), fromLsn)) {
                result = GroupScanner.scan(reader, recoveredEndLsn, (start, end, body, length) ->
                        visitor.group(start, end, RecordCodec.decode(body, 0, length, start)));
            }
            if (result.endLsn() != recoveredEndLsn) {
                throw new IOException("the redo scan from LSN " + fromLsn + " ended at " + result.endLsn() + " ("
                        + result.tailDescription() + ") before the end found at open, " + recoveredEndLsn
                        + ": the files changed underneath, or the scan did not start at a group boundary");
            }
            return new RedoScanResult(fromLsn, recoveredEndLsn, result.groups(), recoveredTail);
        }
    }

    @Override
    public void switchBackend(StorageBackend newBackend) throws IOException {
        Objects.requireNonNull(newBackend, "newBackend");
        checkpointLock.lock();
        try {
            writeLock.lock();
            try {
                checkAppendable();
                LogFile.Handle old = current;
                // At a write boundary (we hold the write lock): make everything written durable
                // through the old backend, then reopen through the new one.
                syncEpoch++;
                try {
                    old.storage.sync(SyncLevel.DATA);
                    syncCalls.incrementAndGet();
                } catch (IOException e) {
                    fail(e);
                    throw e;
                }
                raiseFlushed(writtenLsn);
                StorageFile newFile = newBackend.open(old.file.path(), RedoDirectory.readWrite(CreateMode.OPEN_EXISTING));
                StorageFile newControl = null;
                int unit;
                try {
                    unit = RedoDirectory.unitFor(newFile);
                    newControl = newBackend.open(directory.resolve(LogFormat.CONTROL_FILE_NAME),
                            RedoDirectory.readWrite(CreateMode.OPEN_EXISTING));
                    RedoDirectory.unitFor(newControl);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(newFile);
                    closeQuietly(newControl);
                    throw e;
                }
                backend = newBackend;
                current = new LogFile.Handle(old.file, newFile, unit);
                old.retire();
                StorageFile oldControl = control;
                control = newControl;
                closeQuietly(oldControl);
                unitEpoch = -1; // the next write starts a new unit, aligned for the new backend
                LOG.log(System.Logger.Level.INFO, "redo log " + directory + " switched to " + newBackend.describe()
                        + " at LSN " + writtenLsn);
            } finally {
                writeLock.unlock();
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    @Override
    public RedoStats stats() {
        // Read in this order so the snapshot keeps checkpoint <= flushed <= written <= current.
        long checkpoint = checkpointLsn;
        long flushed = flushedLsn.get();
        long written = writtenLsn;
        long currentLsn = buffer.reserved();
        return new RedoStats(currentLsn, written, flushed, checkpoint, capacityBytes, groupsAppended.sum(),
                writeCalls.get(), syncCalls.get(), defaultDurability);
    }

    /** The backend the files are written through now. */
    public StorageBackend backend() {
        return backend;
    }

    @Override
    public void close() throws IOException {
        if (closeCalls.getAndIncrement() > 0) {
            return;
        }
        closing = true;
        spaceWaiters.signalAll();
        boolean interrupted = false;
        try {
            while (!drainWaiters.await(() -> inFlightAppends.get() == 0, WAIT_SLICE_NANOS)) {
                // appends between reservation and publication finish without blocking
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        long target = buffer.reserved();
        if (failure.get() == null) {
            raise(flushRequested, target);
            BooleanSupplier failed = () -> failure.get() != null;
            LockSupport.unpark(flusher);
            while (true) {
                try {
                    if (flushedWaiters.await(flushedLsn::get, target, failed, WAIT_SLICE_NANOS, wakeFlusher)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        running = false;
        LockSupport.unpark(writer);
        LockSupport.unpark(flusher);
        for (Thread t : List.of(writer, flusher)) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        writeLock.lock();
        try {
            current.retire();
        } finally {
            writeLock.unlock();
        }
        checkpointLock.lock();
        try {
            closeQuietly(control);
        } finally {
            checkpointLock.unlock();
        }
        writtenWaiters.wakeAll();
        flushedWaiters.wakeAll();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        IOException failed = failure.get();
        if (failed != null && flushedLsn.get() < target) {
            throw new IOException("the redo log " + directory + " closed after a failure; redo from LSN "
                    + flushedLsn.get() + " to " + target + " may be lost: " + failed.getMessage(), failed);
        }
    }

    /**
     * Stops the threads and drops the handles without writing anything more: what a process crash
     * leaves (written bytes stay in the page cache, unwritten ones are gone). For tests.
     */
    void halt() {
        closing = true;
        failure.compareAndSet(null, new IOException("halted (simulated process crash)"));
        running = false;
        LockSupport.unpark(writer);
        LockSupport.unpark(flusher);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            flusher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeLock.lock();
        try {
            current.retire();
        } finally {
            writeLock.unlock();
        }
        closeQuietly(control);
        closeCalls.incrementAndGet();
    }

    /** Waits that noticed their LSN only when their time slice ran out (lost wake-ups); for tests. */
    long unwokenWaitExpiries() {
        return writtenWaiters.unwokenExpiries() + flushedWaiters.unwokenExpiries();
    }

    /** The first failure of a write or sync; null while the log is healthy. */
    public IOException failure() {
        return failure.get();
    }

    private void fail(IOException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.log(System.Logger.Level.ERROR, "redo log " + directory + " failed at written LSN " + writtenLsn
                    + ", flushed LSN " + flushedLsn.get() + "; it refuses further appends: " + e.getMessage(), e);
            writtenWaiters.wakeAll();
            flushedWaiters.wakeAll();
            spaceWaiters.signalAll();
            drainWaiters.signalAll();
        }
    }

    private static IOException asIOException(String what, Throwable t) {
        return t instanceof IOException io ? io : new IOException(what + ": " + t, t);
    }

    private static void closeQuietly(StorageFile file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + file.path() + ": " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "CairnRedoLog[" + directory + ", " + stats() + "]";
    }
}
