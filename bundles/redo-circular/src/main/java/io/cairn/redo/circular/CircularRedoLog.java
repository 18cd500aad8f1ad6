package io.cairn.redo.circular;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
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
import io.cairn.redo.circular.CircularFormat.Checkpoint;
import io.cairn.redo.circular.CircularFormat.Header;
import io.cairn.redo.circular.LogScanner.PageMark;
import io.cairn.redo.support.LsnWaiters;
import io.cairn.redo.support.WaitQueue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A redo log in one preallocated file used circularly, in the manner of InnoDB before 8.0.30:
 * a header with two alternating checkpoint slots, then a body of 4 KiB pages of self-describing
 * 512-byte blocks, reused once the checkpoint has passed them. The format, and why pages have
 * versions in slot pairs, is described in {@link CircularFormat}; the recovery walk in
 * {@link LogScanner}. Plain Java; the DS component in {@code internal} only adapts it.
 *
 * <h2>Map of this file</h2>
 * <ol>
 *   <li>Opening: directory checks, creating the file, recovery, the new incarnation's epoch</li>
 *   <li>Append: encode, reserve (blocking on capacity), copy, publish</li>
 *   <li>Durability waits</li>
 *   <li>The writer thread: pages, slots, versions, group commit</li>
 *   <li>Checkpoints, capacity, growing the file</li>
 *   <li>Scan, backend switch, stats, close, failure</li>
 * </ol>
 *
 * <h2>Positions</h2>
 * {@code checkpointLsn <= flushedLsn <= writtenLsn <= ready <= currentLsn}, all group boundaries
 * except {@code ready}'s internal steps.
 *
 * <h2>Threads</h2>
 * One daemon writer thread, {@code cairn-redo-circular-writer-N}, moves bytes from the ring into
 * pages, writes them and syncs: a commit waiting for a sync is served by the next write-and-sync
 * of everything ready, so one write and one sync serve every commit that arrived while the
 * previous sync ran. It also writes when the ring fills and syncs every background interval. It
 * survives exceptions: a failed write or sync fails the log (appends refused, waiters get the
 * {@link IOException}, nothing past the flushed LSN acknowledged). Checkpoint records are written
 * by the caller of {@link #checkpoint}, in the same file.
 *
 * <h2>Space and capacity</h2>
 * The file is sized at creation for twice the capacity in pages plus headroom (a partial page may
 * need a second slot, see {@link CircularFormat}), so appends limited by the LSN capacity never
 * run out of slots: on disk the log takes about 2.1 times its capacity (Cairn's multi-file log
 * takes about the capacity, more with many tiny syncs). Should the slots run out anyway (about 50
 * opens without a checkpoint in between), the writer waits for a checkpoint to free slots,
 * durability waiters wait with it, and warnings name the checkpoint as the progress owner.
 *
 * <h2>Resize: what a single preallocated file can do</h2>
 * <ul>
 *   <li>Shrinking lowers the LSN limit at once; appends block until the checkpoint age is below
 *       it. The file is never made smaller.</li>
 *   <li>Growing within what the file holds ({@link #fileCapacityBytes()}) takes effect at once.</li>
 *   <li>Growing beyond extends the file, and the new slots are inserted where the circle wraps.
 *       That is possible only while the live region (checkpoint to write position) does not wrap
 *       around the end of the file: then the file is extended at once and the grown capacity
 *       applies at once. While it wraps, the extension waits for the first checkpoint after which
 *       it does not; until then appends are limited to {@link #effectiveCapacityBytes()}, which
 *       {@link #capacityBytes()} (the configured value) exceeds. A larger capacity passed at open
 *       follows the same rule.</li>
 * </ul>
 *
 * <h2>Group boundaries</h2>
 * REQUIRES: the LSNs passed to {@link #checkpoint} and {@link #scan} are group boundaries, as
 * every LSN this log hands out is.
 */
public final class CircularRedoLog implements RedoLog {

    /** Smallest and largest capacity accepted at open and by {@link #resize}. */
    public static final long MIN_CAPACITY_BYTES = 64L << 10;
    public static final long MAX_CAPACITY_BYTES = 64L << 30;

    private static final System.Logger LOG = System.getLogger("io.cairn.redo.circular");
    private static final int COMPLETION_SLOTS = 1 << 14;
    private static final int BATCH_PAGES = 64;
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long close waits for a writer that has no free slot before it gives up. */
    private static final long CLOSE_SPACE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path directory;
    private final Path path;
    private final CommitDurability defaultDurability;
    private final long backgroundIntervalNanos;
    private final CircularRedoLogOptions options;
    private final UUID logId;
    private final int logTag;
    /** This incarnation's epoch, recorded durably before any of its pages is written. */
    private final int epoch;
    private final long maxGroupBytes;
    private volatile StorageBackend backend;
    /** The configured capacity; appends are limited by {@link #effectiveCapacityBytes()}. */
    private volatile long capacityBytes;

    private final LogRing ring;
    /** Written to the file up to here; changed by the writer under {@link #writeLock}. */
    private volatile long writtenLsn;
    private final AtomicLong flushedLsn;
    private volatile long checkpointLsn;
    private final AtomicLong writeRequested;
    private final AtomicLong syncRequested;

    // ---- recovery results, fixed at open
    private final long recoveredEndLsn;
    private final String recoveredTail;
    private final Checkpoint recoveredCheckpoint;
    private volatile boolean appendStarted;
    private final Object scanLock = new Object();

    // ---- write path, guarded by writeLock
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The open file; replaced by switchBackend holding both locks, so either lock makes it stable. */
    private volatile StorageFile file;
    /** The body's slot count; grows only while the live region does not wrap. Read without the lock. */
    private volatile int slotCount;
    /** The first slot recovery may need: the newest durable checkpoint record's mark slot. */
    private int liveStartSlot;
    /** Slots from liveStartSlot that hold live pages (or slots of the tail page's pair). */
    private int liveSlots;
    /** The next slot to take, in [0, slotCount]; slotCount means "wrap on the next take". */
    private int tailEnd;
    /** While true the writer must not wrap: the file is being grown at the wrap point. */
    private boolean growthHold;
    /** Sync starts on the file, counted under writeLock; a version written before one may be durable. */
    private long syncStarts;
    private final AtomicInteger syncsInFlight = new AtomicInteger();

    // ---- the tail page, guarded by writeLock
    private final ByteBuffer page = CircularFormat.alignedBuffer(CircularFormat.PAGE_BYTES);
    private long pageStartLsn;
    private int pageFilledBytes;
    /** The slot the page was first written to, or -1 before this incarnation's first page. */
    private int pageHomeSlot = -1;
    /** The second slot of the page's pair, or -1 while it has none. */
    private int pageAlternateSlot = -1;
    /** Where the newest version of the page was written, or -1 before its first. */
    private int pageVersionSlot = -1;
    private boolean pageRestart;
    private long pageVersionSyncStarts;
    private boolean pageVersionMaybeDurable;
    private int pagesSinceMark;
    private final ByteBuffer batch = CircularFormat.alignedBuffer(BATCH_PAGES * CircularFormat.PAGE_BYTES);
    private int batchFirstSlot;
    private int batchPages;

    // ---- free space hand-off between checkpoints and the writer
    /** Incremented whenever a checkpoint or a growth may have freed slots. */
    private volatile long spaceStamp;
    /** The writer found no free slot (written by the writer only). */
    private volatile boolean spaceBlocked;

    // ---- checkpoint state, guarded by checkpointLock
    private final ReentrantLock checkpointLock = new ReentrantLock();
    /** The newest durable checkpoint record. */
    private Checkpoint record;
    private int pendingSlotCount;
    /** Page marks from the checkpoint's on, ascending; guarded by its own monitor (writer adds). */
    private final ArrayDeque<PageMark> marks = new ArrayDeque<>();

    // ---- lifecycle
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean closing;
    private final AtomicInteger closeCalls = new AtomicInteger();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final AtomicInteger inFlightAppends = new AtomicInteger();
    private final LsnWaiters writtenWaiters = new LsnWaiters();
    private final LsnWaiters flushedWaiters = new LsnWaiters();
    /** Appenders waiting for capacity or ring space. */
    private final WaitQueue spaceWaiters = new WaitQueue();
    /** Close waiting for in-flight appends, switchBackend waiting for syncs in flight. */
    private final WaitQueue drainWaiters = new WaitQueue();

    // ---- counters
    private final LongAdder groupsAppended = new LongAdder();
    private final AtomicLong writeCalls = new AtomicLong();
    private final AtomicLong syncCalls = new AtomicLong();

    // ================================================================== 1. opening

    /**
     * Opens the log in {@code config.directory()}, creating its file when the directory holds
     * none. Recovers the end of the log from the newest valid checkpoint, syncs what recovery read,
     * and records a new epoch for this incarnation's pages.
     *
     * @throws IOException if the directory holds another format (named in the message), or the
     *     file is damaged in a way a crash cannot explain
     */
    public static CircularRedoLog open(RedoLogConfig config, CircularRedoLogOptions options) throws IOException {
        return open(config, options, Lsn.NONE);
    }

    /**
     * Creates a new, empty log in {@code config.directory()} that continues at {@code startLsn}
     * (see {@link io.cairn.redo.RedoLogProvider#create}); the directory must hold no redo file.
     */
    public static CircularRedoLog create(RedoLogConfig config, CircularRedoLogOptions options, long startLsn)
            throws IOException {
        if (startLsn < Lsn.FIRST) {
            throw new IllegalArgumentException("a redo log cannot start at LSN " + startLsn + ", below " + Lsn.FIRST);
        }
        return open(config, options, startLsn);
    }

    private static CircularRedoLog open(RedoLogConfig config, CircularRedoLogOptions options, long createAtLsn)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        requireCapacity(config.capacityBytes());
        StorageBackend backend = config.backend();
        Path directory = config.directory();
        backend.createDirectories(directory);
        List<String> names = backend.list(directory);
        for (String name : names) {
            String format = CircularFormat.foreignFormat(name);
            if (format != null) {
                throw new IOException(directory + " holds " + format + " (" + name + "), not a circular redo log;"
                        + " refusing to use or overwrite it");
            }
        }
        Path path = directory.resolve(CircularFormat.FILE_NAME);
        boolean exists = names.contains(CircularFormat.FILE_NAME);
        if (Lsn.isSet(createAtLsn) && exists) {
            throw new IOException(path + " already exists; a redo log continuing at LSN " + createAtLsn
                    + " needs a directory without one");
        }
        if (names.contains(CircularFormat.FILE_NAME + CircularFormat.TMP_SUFFIX)) {
            // A creation interrupted before its rename: it never held redo.
            backend.delete(directory.resolve(CircularFormat.FILE_NAME + CircularFormat.TMP_SUFFIX));
        }
        if (!exists) {
            createFile(backend, directory, config, Lsn.isSet(createAtLsn) ? createAtLsn : Lsn.FIRST);
        }
        StorageFile file = backend.open(path, readWrite(CreateMode.OPEN_EXISTING));
        CircularRedoLog log;
        try {
            requireAlignment(file);
            Header header = readHeader(file);
            Checkpoint newest = readNewestCheckpoint(file, header.logId());
            if (newest == null) {
                throw new IOException(path + " has no valid checkpoint record in either slot; the redo log is damaged"
                        + " beyond what a torn write can explain");
            }
            long needed = CircularFormat.fileSizeFor(newest.slotCount());
            if (file.sizeBytes() < needed) {
                throw new IOException(path + " holds " + file.sizeBytes() + " bytes, but its checkpoint record counts "
                        + newest.slotCount() + " slots (" + needed + " bytes): the file was truncated");
            }
            int logTag = CircularFormat.logTag(header.logId());
            LogScanner.Result recovered = new LogScanner(file, newest.slotCount(), logTag, newest.epoch())
                    .walk(newest.markLsn(), newest.markSlot(), newest.checkpointLsn(), Long.MAX_VALUE,
                            (start, end, body, offset, length) -> { });
            // Recovery may have read bytes that only the page cache holds: make them durable before
            // this incarnation builds on them, then record its epoch before it writes a page.
            file.sync(SyncLevel.DATA);
            Checkpoint bumped = newest.withEpoch(newest.epoch() + 1);
            writeCheckpointRecord(file, bumped, header.logId());
            file.sync(SyncLevel.DATA);
            LOG.log(System.Logger.Level.INFO, "circular redo log " + path + ": checkpoint at LSN "
                    + newest.checkpointLsn() + ", end at LSN " + recovered.endLsn() + " (" + recovered.tailDescription()
                    + "), epoch " + bumped.epoch());
            log = new CircularRedoLog(config, options, header, file, newest, bumped, recovered);
        } catch (IOException | RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
        log.growAtOpen();
        log.writer.start();
        IOException failed = log.failure();
        if (failed != null) {
            // Growing failed in a sync or a record write: the file's state is unknown, open again.
            try {
                log.close();
            } catch (IOException e) {
                failed.addSuppressed(e);
            }
            throw new IOException("opening the circular redo log " + path + " failed while growing its file: "
                    + failed.getMessage(), failed);
        }
        return log;
    }

    private static void createFile(StorageBackend backend, Path directory, RedoLogConfig config, long startLsn)
            throws IOException {
        UUID logId = UUID.randomUUID();
        int slots = CircularFormat.slotsFor(config.capacityBytes());
        long sizeBytes = CircularFormat.fileSizeFor(slots);
        Path tmp = directory.resolve(CircularFormat.FILE_NAME + CircularFormat.TMP_SUFFIX);
        try (StorageFile file = backend.open(tmp, readWrite(CreateMode.OPEN_OR_CREATE))) {
            requireAlignment(file);
            file.truncate(0);
            file.allocate(0, sizeBytes);
            ByteBuffer image = CircularFormat.alignedBuffer(2 * CircularFormat.REGION_BYTES);
            CircularFormat.encodeHeader(new Header(logId, slots, sizeBytes, startLsn, config.creator()),
                    image.duplicate().limit(CircularFormat.REGION_BYTES).slice());
            Checkpoint first = new Checkpoint(0, startLsn, startLsn, 0, 0, slots);
            CircularFormat.encodeCheckpoint(first, logId, image.duplicate()
                    .position((int) CircularFormat.checkpointSlotOffset(first.number())).slice());
            file.write(0, image);
            file.sync(SyncLevel.DATA_AND_METADATA);
        }
        // Under its final name the file always has a valid header and checkpoint.
        backend.rename(tmp, directory.resolve(CircularFormat.FILE_NAME));
        backend.syncDirectory(directory);
    }

    static OpenOptions readWrite(CreateMode mode) {
        return OpenOptions.of(FileRole.REDO, mode, CircularFormat.PAGE_BYTES);
    }

    /** Pages are written whole at page offsets from page-aligned buffers: alignments up to a page work. */
    static void requireAlignment(StorageFile file) throws IOException {
        IoCapabilities caps = file.capabilities();
        if (caps.offsetAlignmentBytes() > CircularFormat.PAGE_BYTES
                || caps.bufferAlignmentBytes() > CircularFormat.PAGE_BYTES) {
            throw new IOException(file.describe() + " needs " + caps.offsetAlignmentBytes() + "-byte offsets and "
                    + caps.bufferAlignmentBytes() + "-byte buffers; the circular redo log writes "
                    + CircularFormat.PAGE_BYTES + "-byte pages and supports alignments up to that");
        }
    }

    static Header readHeader(StorageFile file) throws IOException {
        ByteBuffer region = CircularFormat.alignedBuffer(CircularFormat.REGION_BYTES);
        file.read(0, region);
        return CircularFormat.decodeHeader(region.clear(), file.path().toString());
    }

    /** The newer valid record of the two slots, or null when neither is valid. */
    static Checkpoint readNewestCheckpoint(StorageFile file, UUID logId) throws IOException {
        ByteBuffer region = CircularFormat.alignedBuffer(CircularFormat.REGION_BYTES);
        Checkpoint best = null;
        for (int slot = 0; slot < 2; slot++) {
            region.clear();
            file.read(CircularFormat.checkpointSlotOffset(slot), region);
            Checkpoint c = CircularFormat.decodeCheckpoint(region.clear(), logId);
            if (c != null && (best == null || c.number() > best.number())) {
                best = c;
            }
        }
        return best;
    }

    private static void writeCheckpointRecord(StorageFile file, Checkpoint c, UUID logId) throws IOException {
        ByteBuffer region = CircularFormat.alignedBuffer(CircularFormat.REGION_BYTES);
        CircularFormat.encodeCheckpoint(c, logId, region);
        file.write(CircularFormat.checkpointSlotOffset(c.number()), region);
    }

    private CircularRedoLog(RedoLogConfig config, CircularRedoLogOptions options, Header header, StorageFile file,
            Checkpoint recoveredFrom, Checkpoint bumped, LogScanner.Result recovered) {
        this.directory = config.directory();
        this.path = file.path();
        this.defaultDurability = config.defaultDurability();
        this.backgroundIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.backgroundFlushIntervalMillis());
        this.options = options;
        this.logId = header.logId();
        this.logTag = CircularFormat.logTag(logId);
        this.epoch = bumped.epoch();
        this.maxGroupBytes = Math.min(options.logBufferBytes(),
                (long) CircularFormat.MAX_GROUP_BODY_BYTES + CircularFormat.GROUP_OVERHEAD_BYTES);
        this.backend = config.backend();
        this.capacityBytes = config.capacityBytes();
        long end = recovered.endLsn();
        this.ring = new LogRing(options.logBufferBytes(), COMPLETION_SLOTS, end);
        this.writtenLsn = end;
        this.flushedLsn = new AtomicLong(end);
        this.checkpointLsn = bumped.checkpointLsn();
        this.writeRequested = new AtomicLong(end);
        this.syncRequested = new AtomicLong(end);
        this.recoveredEndLsn = end;
        this.recoveredTail = recovered.tailDescription();
        this.recoveredCheckpoint = recoveredFrom;
        this.file = file;
        this.slotCount = bumped.slotCount();
        this.liveStartSlot = bumped.markSlot();
        this.liveSlots = recovered.liveSlots();
        int tail = liveStartSlot + liveSlots;
        this.tailEnd = tail <= slotCount ? tail : tail - slotCount;
        this.record = bumped;
        for (PageMark m : recovered.marks()) {
            if (m.startLsn() < end) {
                marks.add(m); // marks at or past the end belong to a torn tail the restart page supersedes
            }
        }
        if (marks.isEmpty()) {
            marks.add(new PageMark(bumped.markLsn(), bumped.markSlot()));
        }
        this.writer = new Thread(this::writerLoop, "cairn-redo-circular-writer-" + INSTANCES.incrementAndGet());
        writer.setDaemon(true);
    }

    /** Applies a configured capacity the file is too small for, as far as it can now. */
    private void growAtOpen() {
        int needed = CircularFormat.slotsFor(capacityBytes);
        if (needed <= slotCount) {
            return;
        }
        checkpointLock.lock();
        try {
            pendingSlotCount = needed;
            tryGrowLocked();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "circular redo log " + path + ": could not grow the file for a capacity"
                    + " of " + capacityBytes + " bytes; appends are limited to " + effectiveCapacityBytes() + ": " + e);
        } finally {
            checkpointLock.unlock();
        }
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
        byte[] frame = RecordEncoding.frame(records);
        if (frame.length > maxGroupBytes) {
            throw new IllegalArgumentException("a redo group of " + frame.length + " bytes exceeds the largest group of "
                    + maxGroupBytes + " bytes (the log buffer size)");
        }
        inFlightAppends.incrementAndGet();
        try {
            long start = reserve(frame.length);
            appendStarted = true;
            // Nothing between reserve and publish may throw: an unpublished range would stall the log.
            RecordEncoding.seal(frame, start);
            ring.copyIn(start, frame);
            long end = start + frame.length;
            ring.publish(start, end);
            groupsAppended.increment();
            if (end - ring.released() >= ring.ringBytes() / 4) {
                LockSupport.unpark(writer); // the ring fills: write without waiting for a commit
            }
            spaceWaiters.signalAll(); // a reservation blocked on completion slots may proceed
            return end;
        } finally {
            if (inFlightAppends.decrementAndGet() == 0 && closing) {
                drainWaiters.signalAll();
            }
        }
    }

    private long reserve(int size) throws IOException {
        long waitingSince = 0;
        long warnings = 0;
        while (true) {
            checkAppendable();
            long capacity = effectiveCapacityBytes();
            if (size > capacity) {
                throw new IllegalArgumentException("a redo group of " + size + " bytes can never fit the redo capacity of "
                        + capacity + " bytes");
            }
            long start = ring.tryReserve(size, checkpointLsn + capacity);
            if (start >= 0) {
                return start;
            }
            if (start == LogRing.NO_RING_SPACE) {
                raise(writeRequested, ring.reserved());
                LockSupport.unpark(writer);
            }
            long now = System.nanoTime();
            if (waitingSince == 0) {
                waitingSince = now;
            }
            boolean done;
            try {
                done = spaceWaiters.await(() -> closing || failure.get() != null
                        || ring.refusal(size, checkpointLsn + effectiveCapacityBytes()) == 0, WAIT_SLICE_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for redo space; nothing was appended");
            }
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince);
            if (!done && waitedMillis / options.waitWarningMillis() > warnings) {
                warnings = waitedMillis / options.waitWarningMillis();
                LOG.log(System.Logger.Level.WARNING, "thread " + Thread.currentThread().getName() + " has waited "
                        + waitedMillis + " ms to append " + size + " bytes of redo to " + path + ": "
                        + describeRefusal(ring.refusal(size, checkpointLsn + effectiveCapacityBytes())));
            }
        }
    }

    private String describeRefusal(long why) {
        if (why == LogRing.NO_CAPACITY) {
            return "checkpoint age " + (ring.reserved() - checkpointLsn) + " bytes at capacity "
                    + effectiveCapacityBytes() + "; progress owner: the engine's checkpoint";
        } else if (why == LogRing.NO_RING_SPACE) {
            return "log buffer full; progress owner: redo writer thread " + writer.getName()
                    + (spaceBlocked ? ", itself waiting for a checkpoint to free file space" : "");
        } else if (why == LogRing.NO_COMPLETION_SLOT) {
            return "a slow appender has not finished copying; progress owner: that appender";
        }
        return "space became available";
    }

    private void checkAppendable() throws IOException {
        if (closing) {
            throw new IllegalStateException("the redo log " + path + " is closed");
        }
        IOException failed = failure.get();
        if (failed != null) {
            throw new IOException("the redo log " + path + " refuses appends after a failed write or sync (restart the"
                    + " engine; recovery restores every durable commit): "
                    + failed.getMessage(), failed);
        }
    }

    @Override
    public long currentLsn() {
        return ring.reserved();
    }

    // ================================================================== 3. durability waits

    @Override
    public void waitFor(long lsn, CommitDurability durability) throws IOException, InterruptedException {
        Objects.requireNonNull(durability, "durability");
        long current = ring.reserved();
        if (lsn > current) {
            throw new IllegalArgumentException("LSN " + lsn + " was never appended; the current LSN is " + current);
        }
        if (failure.get() != null && lsn > flushedLsn.get()) {
            throw notDurable(lsn);
        }
        switch (durability) {
            case PERIODIC:
                return;
            case WRITE_ON_COMMIT:
                if (writtenLsn >= lsn) {
                    return;
                }
                raise(writeRequested, lsn);
                LockSupport.unpark(writer);
                awaitPosition(writtenWaiters, () -> writtenLsn, lsn, "written");
                return;
            case SYNC_ON_COMMIT:
                if (flushedLsn.get() >= lsn) {
                    return;
                }
                raise(syncRequested, lsn);
                LockSupport.unpark(writer);
                awaitPosition(flushedWaiters, flushedLsn::get, lsn, "synced");
                return;
            default:
                throw new IllegalArgumentException("unknown durability " + durability);
        }
    }

    private void awaitPosition(LsnWaiters waiters, LongSupplier position, long lsn, String what)
            throws IOException, InterruptedException {
        long since = System.nanoTime();
        long warnings = 0;
        while (!waiters.await(position, lsn, () -> failure.get() != null || !running, WAIT_SLICE_NANOS)) {
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (waitedMillis / options.waitWarningMillis() > warnings) {
                warnings = waitedMillis / options.waitWarningMillis();
                LOG.log(System.Logger.Level.WARNING, "thread " + Thread.currentThread().getName() + " has waited "
                        + waitedMillis + " ms for redo " + what + " up to LSN " + lsn + " in " + path + " (now at "
                        + position.getAsLong() + "); progress owner: " + writer.getName()
                        + (spaceBlocked ? ", waiting for a checkpoint to free file space" : ""));
            }
        }
        if (failure.get() != null && lsn > flushedLsn.get()) {
            throw notDurable(lsn);
        }
        if (position.getAsLong() < lsn) {
            throw new IOException("the redo log " + path + " closed before redo up to LSN " + lsn + " was " + what);
        }
    }

    private IOException notDurable(long lsn) {
        IOException cause = failure.get();
        return new IOException("redo up to LSN " + lsn + " is not durable: the redo log " + path + " failed ("
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
        long blockedAtStamp = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                boolean periodic = now - nextPeriodic >= 0;
                if (periodic) {
                    nextPeriodic = now + backgroundIntervalNanos;
                }
                boolean progressed = false;
                if (failure.get() == null) {
                    long ready = ring.advanceReady();
                    long written = writtenLsn;
                    long stamp = spaceStamp;
                    boolean mayWrite = !spaceBlocked || stamp != blockedAtStamp;
                    if (mayWrite && ready > written && (periodic || writeWanted(ready, written))) {
                        writeUpTo(ready);
                        progressed = writtenLsn > written;
                        if (spaceBlocked) {
                            blockedAtStamp = stamp;
                        }
                    }
                    long flushed = flushedLsn.get();
                    if (failure.get() == null && writtenLsn > flushed
                            && (periodic || closing || syncRequested.get() > flushed)) {
                        syncOnce();
                        progressed = true;
                    }
                }
                if (!progressed) {
                    long sleepNanos = Math.min(nextPeriodic - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
                    LockSupport.parkNanos(this, Math.max(sleepNanos, 10_000));
                }
            } catch (Throwable t) {
                fail(t instanceof IOException io ? io : new IOException("the redo writer of " + path + " failed: " + t, t));
            }
        }
    }

    private boolean writeWanted(long ready, long written) {
        return writeRequested.get() > written || syncRequested.get() > written || closing
                || ready - ring.released() >= ring.ringBytes() / 4;
    }

    private void writeUpTo(long target) throws IOException {
        writeLock.lock();
        try {
            writeLocked(target);
        } finally {
            writeLock.unlock();
        }
        writtenWaiters.wakeUpTo(writtenLsn);
        spaceWaiters.signalAll();
    }

    /**
     * Moves ring bytes up to {@code target} into pages and writes them, stopping early if no slot
     * is free. A page version that a sync may have made durable is never overwritten: the next
     * version goes to the other slot of the page's pair.
     */
    private void writeLocked(long target) throws IOException {
        if (failure.get() != null || target <= writtenLsn) {
            return;
        }
        spaceBlocked = false;
        long lsn = writtenLsn;
        boolean versionMayBeDurable = pageVersionSlot >= 0
                && (pageVersionMaybeDurable || pageVersionSyncStarts != syncStarts);
        boolean unemitted = false;
        while (lsn < target) {
            if (pageHomeSlot < 0 || pageFilledBytes == CircularFormat.PAGE_PAYLOAD_BYTES) {
                if (!startPage(lsn, pageHomeSlot < 0)) {
                    spaceBlocked = true;
                    break;
                }
                versionMayBeDurable = false;
            }
            if (versionMayBeDurable && pageVersionSlot == pageHomeSlot && pageAlternateSlot < 0) {
                int alternate = takeSlot();
                if (alternate < 0) {
                    spaceBlocked = true;
                    break;
                }
                pageAlternateSlot = alternate;
            }
            int n = (int) Math.min(CircularFormat.PAGE_PAYLOAD_BYTES - pageFilledBytes, target - lsn);
            copyIntoPage(lsn, n);
            lsn += n;
            unemitted = true;
            if (pageFilledBytes == CircularFormat.PAGE_PAYLOAD_BYTES) {
                emitVersion(versionMayBeDurable);
                versionMayBeDurable = false;
                unemitted = false;
            }
        }
        if (unemitted) {
            emitVersion(versionMayBeDurable);
        }
        flushBatch();
        ring.release(lsn);
        writtenLsn = lsn;
        if (file.capabilities().writeDurableOnReturn()) {
            raiseFlushed(lsn);
        }
    }

    /** Takes the next slot of the circle for the writer, or returns -1 when none is free. */
    private int takeSlot() {
        if (liveSlots >= slotCount) {
            return -1;
        }
        int slot = tailEnd;
        if (slot >= slotCount) {
            if (growthHold) {
                return -1; // the file is growing at the wrap point: the new slots come first
            }
            slot = 0;
        }
        tailEnd = slot + 1;
        liveSlots++;
        return slot;
    }

    /** Starts a new tail page at {@code lsn}; false when no slot is free. */
    private boolean startPage(long lsn, boolean restart) {
        int home = takeSlot();
        if (home < 0) {
            return false;
        }
        pageHomeSlot = home;
        pageAlternateSlot = -1;
        pageVersionSlot = -1;
        pageStartLsn = lsn;
        pageFilledBytes = 0;
        pageRestart = restart;
        for (int i = 0; i < CircularFormat.PAGE_BYTES; i += 8) {
            page.putLong(i, 0L);
        }
        synchronized (marks) {
            if (restart) {
                // This incarnation's first page supersedes a torn tail from lsn on.
                while (!marks.isEmpty() && marks.peekLast().startLsn() >= lsn) {
                    marks.pollLast();
                }
                marks.add(new PageMark(lsn, home));
                pagesSinceMark = 0;
            } else if (++pagesSinceMark >= CircularFormat.MARK_EVERY_PAGES) {
                marks.add(new PageMark(lsn, home));
                pagesSinceMark = 0;
            }
        }
        return true;
    }

    private void copyIntoPage(long lsn, int length) {
        int done = 0;
        while (done < length) {
            int index = pageFilledBytes + done;
            int room = CircularFormat.BLOCK_PAYLOAD_BYTES - index % CircularFormat.BLOCK_PAYLOAD_BYTES;
            int n = Math.min(room, length - done);
            ring.copyOut(lsn + done, page.duplicate().position(PageChain.payloadOffset(index)), n);
            done += n;
        }
        pageFilledBytes += length;
    }

    /** Queues the tail page's next version for its slot (see the class comment of {@link CircularFormat}). */
    private void emitVersion(boolean previousMayBeDurable) throws IOException {
        int slot;
        if (pageVersionSlot < 0) {
            slot = pageHomeSlot;
        } else if (previousMayBeDurable) {
            slot = pageVersionSlot == pageHomeSlot ? pageAlternateSlot : pageHomeSlot;
        } else {
            slot = pageVersionSlot;
        }
        PageChain.finish(page, pageStartLsn, epoch, pageRestart, logTag, pageFilledBytes);
        if (batchPages > 0 && (slot != batchFirstSlot + batchPages || batchPages == BATCH_PAGES)) {
            flushBatch();
        }
        if (batchPages == 0) {
            batchFirstSlot = slot;
        }
        batch.put(batchPages * CircularFormat.PAGE_BYTES, page, 0, CircularFormat.PAGE_BYTES);
        batchPages++;
        pageVersionSlot = slot;
        pageVersionSyncStarts = syncStarts;
        // A sync running while this version is written may make it durable.
        pageVersionMaybeDurable = syncsInFlight.get() > 0 || file.capabilities().writeDurableOnReturn();
    }

    private void flushBatch() throws IOException {
        if (batchPages == 0) {
            return;
        }
        int length = batchPages * CircularFormat.PAGE_BYTES;
        batchPages = 0;
        file.write(CircularFormat.slotOffset(batchFirstSlot), batch.duplicate().position(0).limit(length));
        writeCalls.incrementAndGet();
    }

    /** One group commit: a sync covering everything written when it starts. */
    private void syncOnce() throws IOException {
        long target;
        StorageFile f;
        writeLock.lock();
        try {
            target = writtenLsn;
            if (target <= flushedLsn.get() || failure.get() != null) {
                return;
            }
            f = file;
            syncStarts++;
            syncsInFlight.incrementAndGet();
        } finally {
            writeLock.unlock();
        }
        try {
            f.sync(SyncLevel.DATA);
            syncCalls.incrementAndGet();
        } catch (IOException e) {
            fail(e);
            return;
        } finally {
            syncsInFlight.decrementAndGet();
            drainWaiters.signalAll();
        }
        raiseFlushed(target);
    }

    /**
     * A sync of the file by a caller holding {@link #checkpointLock} (checkpoint records, growth):
     * counted like the writer's, since it makes the tail page's version durable too.
     */
    private void syncFileForRecord(SyncLevel level) throws IOException {
        long target;
        StorageFile f;
        writeLock.lock();
        try {
            target = writtenLsn;
            f = file;
            syncStarts++;
            syncsInFlight.incrementAndGet();
        } finally {
            writeLock.unlock();
        }
        try {
            f.sync(level);
            syncCalls.incrementAndGet();
        } catch (IOException e) {
            fail(e);
            throw e;
        } finally {
            syncsInFlight.decrementAndGet();
            drainWaiters.signalAll();
        }
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

    // ================================================================== 5. checkpoints and capacity

    @Override
    public long checkpointLsn() {
        return checkpointLsn;
    }

    @Override
    public void checkpoint(long lsn) throws IOException {
        checkpointLock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("the redo log " + path + " is closed");
            }
            long current = checkpointLsn;
            if (lsn < current) {
                throw new IllegalArgumentException("checkpoint LSN " + lsn + " is behind the current checkpoint " + current);
            }
            long flushed = flushedLsn.get();
            if (lsn > flushed) {
                throw new IllegalArgumentException("checkpoint LSN " + lsn + " is ahead of the flushed LSN " + flushed);
            }
            if (lsn == current) {
                return;
            }
            IOException failed = failure.get();
            if (failed != null) {
                throw new IOException("the redo log " + path + " failed and takes no checkpoints: " + failed.getMessage(),
                        failed);
            }
            PageMark mark = markAtOrBefore(lsn);
            Checkpoint next = record.next(lsn, mark.startLsn(), mark.slot());
            writeRecord(next);
            record = next;
            checkpointLsn = lsn;
            // Only now, with the record durable, may the slots before the mark be reused.
            writeLock.lock();
            try {
                int moved = Math.floorMod(mark.slot() - liveStartSlot, slotCount);
                liveSlots -= moved;
                liveStartSlot = mark.slot();
            } finally {
                writeLock.unlock();
            }
            freedSpace();
            try {
                tryGrowLocked();
            } catch (IOException e) {
                pendingSlotCount = 0;
                LOG.log(System.Logger.Level.WARNING, "circular redo log " + path + ": the file could not be grown; "
                        + "appends stay limited to " + effectiveCapacityBytes() + " bytes: " + e);
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    /** The newest mark at or before {@code lsn}, dropping older ones: the checkpoint will not go back. */
    private PageMark markAtOrBefore(long lsn) {
        synchronized (marks) {
            while (marks.size() > 1) {
                Iterator<PageMark> it = marks.iterator();
                it.next();
                if (it.next().startLsn() > lsn) {
                    break;
                }
                marks.pollFirst();
            }
            return marks.peekFirst();
        }
    }

    /** Writes a checkpoint record into its slot and syncs; any failure fails the log. */
    private void writeRecord(Checkpoint c) throws IOException {
        try {
            writeCheckpointRecord(file, c, logId);
            writeCalls.incrementAndGet();
        } catch (IOException e) {
            fail(e);
            throw e;
        }
        syncFileForRecord(SyncLevel.DATA);
    }

    private void freedSpace() {
        spaceStamp++;
        LockSupport.unpark(writer);
        spaceWaiters.signalAll();
    }

    @Override
    public long capacityBytes() {
        return capacityBytes;
    }

    /**
     * The capacity appends are limited by now: the configured one, or less while the file has not
     * been grown to it (see the class comment).
     */
    public long effectiveCapacityBytes() {
        return Math.min(capacityBytes, CircularFormat.capacityOf(slotCount));
    }

    /** The largest capacity the file holds without growing. */
    public long fileCapacityBytes() {
        return CircularFormat.capacityOf(slotCount);
    }

    @Override
    public void resize(long newCapacityBytes) throws IOException {
        requireCapacity(newCapacityBytes);
        checkpointLock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("the redo log " + path + " is closed");
            }
            long previous = capacityBytes;
            capacityBytes = newCapacityBytes;
            int needed = CircularFormat.slotsFor(newCapacityBytes);
            if (needed > slotCount) {
                pendingSlotCount = Math.max(pendingSlotCount, needed);
                try {
                    tryGrowLocked();
                } catch (IOException e) {
                    capacityBytes = previous;
                    pendingSlotCount = 0;
                    throw new IOException("cannot grow the circular redo log " + path + " for a capacity of "
                            + newCapacityBytes + " bytes; the capacity stays " + previous + " bytes: " + e.getMessage(), e);
                }
                if (pendingSlotCount > slotCount) {
                    LOG.log(System.Logger.Level.INFO, "circular redo log " + path + ": the live region wraps around the"
                            + " end of the file; the file grows for a capacity of " + newCapacityBytes + " bytes after a"
                            + " checkpoint past the wrap, appends are limited to " + effectiveCapacityBytes()
                            + " bytes until then");
                }
            }
            spaceWaiters.signalAll();
        } finally {
            checkpointLock.unlock();
        }
    }

    /**
     * Grows the body to {@link #pendingSlotCount} if the live region does not wrap around the end
     * of the file: extends the file, syncs the new size, then records the slot count in a
     * checkpoint record. The writer does not wrap meanwhile, so whichever record recovery finds, the
     * circle it walks is the one the pages were written in. REQUIRES: {@link #checkpointLock} held.
     *
     * @throws IOException if the file cannot be extended (the log stays usable at its size); a
     *     failed sync or record write also fails the log
     */
    private void tryGrowLocked() throws IOException {
        int target = pendingSlotCount;
        if (target <= slotCount || failure.get() != null || closing) {
            return;
        }
        int current;
        writeLock.lock();
        try {
            current = slotCount;
            if (liveStartSlot + liveSlots > current) {
                return; // wraps: a checkpoint past the wrap retries
            }
            if (tailEnd == 0 && liveSlots > 0) {
                tailEnd = current; // at the end exactly: continue into the new slots, not at slot 0
            }
            growthHold = true;
        } finally {
            writeLock.unlock();
        }
        boolean grown = false;
        try {
            long oldSize = CircularFormat.fileSizeFor(current);
            file.allocate(oldSize, CircularFormat.fileSizeFor(target) - oldSize);
            syncFileForRecord(SyncLevel.DATA_AND_METADATA);
            Checkpoint next = record.withSlotCount(target);
            writeRecord(next);
            record = next;
            writeLock.lock();
            try {
                slotCount = target;
                growthHold = false;
            } finally {
                writeLock.unlock();
            }
            grown = true;
            pendingSlotCount = 0;
            LOG.log(System.Logger.Level.INFO, "circular redo log " + path + " grew from " + current + " to " + target
                    + " slots (capacity up to " + CircularFormat.capacityOf(target) + " bytes)");
        } finally {
            if (!grown) {
                writeLock.lock();
                try {
                    growthHold = false; // a tailEnd of `current` still wraps to slot 0 in takeSlot
                } finally {
                    writeLock.unlock();
                }
            }
            freedSpace();
        }
    }

    // ================================================================== 6. scan, switch, stats, close

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
            Checkpoint from = recoveredCheckpoint;
            if (fromLsn < from.markLsn()) {
                throw new IOException("redo from LSN " + fromLsn + " is no longer available in " + path
                        + ": the oldest readable page starts at LSN " + from.markLsn());
            }
            LogScanner.Result result;
            // No page is written before the first append, so the walk sees what recovery saw.
            result = new LogScanner(file, from.slotCount(), logTag, from.epoch()).walk(from.markLsn(), from.markSlot(),
                    fromLsn, recoveredEndLsn, (start, end, body, offset, length) ->
                            visitor.group(start, end, RecordEncoding.decode(body, offset, length, start)));
            if (result.endLsn() != recoveredEndLsn) {
                throw new IOException("the redo scan of " + path + " from LSN " + fromLsn + " ended at "
                        + result.endLsn() + " (" + result.tailDescription() + ") instead of at " + recoveredEndLsn
                        + ", where recovery found the end: the file changed underneath, or the scan did not start at a"
                        + " group boundary");
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
                // At a write boundary: no page write runs (writeLock), no record write (checkpointLock).
                // Wait for the writer's sync so the old handle is not closed under it.
                try {
                    while (!drainWaiters.await(() -> syncsInFlight.get() == 0, WAIT_SLICE_NANOS)) {
                        // a sync in flight finishes by itself
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while switching " + path + " to "
                            + newBackend.describe() + "; the log stays on " + backend.describe());
                }
                StorageFile old = file;
                syncStarts++;
                try {
                    old.sync(SyncLevel.DATA);
                    syncCalls.incrementAndGet();
                } catch (IOException e) {
                    fail(e);
                    throw e;
                }
                raiseFlushed(writtenLsn);
                StorageFile opened = newBackend.open(path, readWrite(CreateMode.OPEN_EXISTING));
                try {
                    requireAlignment(opened);
                    Header header = readHeader(opened);
                    if (!header.logId().equals(logId)) {
                        throw new IOException(opened.describe() + " holds redo log " + header.logId() + ", not " + logId);
                    }
                } catch (IOException | RuntimeException e) {
                    closeQuietly(opened);
                    throw e;
                }
                file = opened;
                backend = newBackend;
                closeQuietly(old);
                LOG.log(System.Logger.Level.INFO, "circular redo log " + path + " switched to " + newBackend.describe()
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
        // In this order the snapshot keeps checkpoint <= flushed <= written <= current.
        long checkpoint = checkpointLsn;
        long flushed = flushedLsn.get();
        long written = writtenLsn;
        long current = ring.reserved();
        return new RedoStats(current, written, flushed, checkpoint, capacityBytes, groupsAppended.sum(),
                writeCalls.get(), syncCalls.get(), defaultDurability);
    }

    /** The backend the file is written through now. */
    public StorageBackend backend() {
        return backend;
    }

    /** The log's file. */
    public Path filePath() {
        return path;
    }

    /** The body's slot count now (for status and tests). */
    int slotCount() {
        return slotCount;
    }

    /** Whether the live region (checkpoint mark to write position) wraps around the file's end (for tests). */
    boolean liveRegionWraps() {
        writeLock.lock();
        try {
            return liveStartSlot + liveSlots > slotCount;
        } finally {
            writeLock.unlock();
        }
    }

    /** The slot the writer takes next (for tests). */
    int nextSlot() {
        writeLock.lock();
        try {
            return tailEnd >= slotCount ? 0 : tailEnd;
        } finally {
            writeLock.unlock();
        }
    }

    /** This incarnation's epoch (for tests). */
    int epoch() {
        return epoch;
    }

    /** The first failure of a write or sync; null while the log is healthy. */
    public IOException failure() {
        return failure.get();
    }

    @Override
    public void close() throws IOException {
        if (closeCalls.getAndIncrement() > 0) {
            return;
        }
        closing = true;
        spaceWaiters.signalAll();
        boolean interrupted = false;
        while (true) {
            try {
                if (drainWaiters.await(() -> inFlightAppends.get() == 0, WAIT_SLICE_NANOS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        long target = ring.reserved();
        if (failure.get() == null) {
            raise(syncRequested, target);
            long lastFlushed = flushedLsn.get();
            long progressAt = System.nanoTime();
            while (flushedLsn.get() < target && failure.get() == null) {
                LockSupport.unpark(writer);
                try {
                    flushedWaiters.await(flushedLsn::get, target, () -> failure.get() != null, WAIT_SLICE_NANOS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                long flushed = flushedLsn.get();
                if (flushed != lastFlushed) {
                    lastFlushed = flushed;
                    progressAt = System.nanoTime();
                } else if (spaceBlocked && System.nanoTime() - progressAt > CLOSE_SPACE_WAIT_NANOS) {
                    fail(new IOException(path + " is full up to the checkpoint at LSN " + checkpointLsn
                            + " and no checkpoint came while closing"));
                }
            }
        }
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        checkpointLock.lock();
        try {
            writeLock.lock();
            try {
                closeQuietly(file);
            } finally {
                writeLock.unlock();
            }
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
            throw new IOException("the redo log " + path + " closed after a failure; redo from LSN " + flushedLsn.get()
                    + " to " + target + " may be lost: " + failed.getMessage(), failed);
        }
    }

    private void fail(IOException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.log(System.Logger.Level.ERROR, "circular redo log " + path + " failed at written LSN " + writtenLsn
                    + ", flushed LSN " + flushedLsn.get() + "; it refuses further appends: " + e.getMessage(), e);
            writtenWaiters.wakeAll();
            flushedWaiters.wakeAll();
            spaceWaiters.signalAll();
            drainWaiters.signalAll();
        }
    }

    private static void closeQuietly(StorageFile f) {
        if (f != null) {
            try {
                f.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + f.path() + ": " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "CircularRedoLog[" + path + ", " + stats() + "]";
    }
}
