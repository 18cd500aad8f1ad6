package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.config.InvalidSettingException;
import io.cairn.engine.ComponentKind;
import io.cairn.engine.Engine;
import io.cairn.engine.EngineControl;
import io.cairn.engine.EngineEvent;
import io.cairn.engine.SwapFailedException;
import io.cairn.engine.EngineListener;
import io.cairn.engine.EnginePhase;
import io.cairn.engine.EngineStateException;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.engine.Tablespace;
import io.cairn.engine.TablespaceExistsException;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.RedoScanResult;
import io.cairn.status.BackendStatus;
import io.cairn.status.EngineStatus;
import io.cairn.status.FlushStatus;
import io.cairn.status.RedoPressure;
import io.cairn.status.StatusService;
import io.cairn.status.TablespaceStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The engine: wires a home directory, storage backends, a buffer pool, a redo log and a page
 * cleaner, recovers on open and checkpoints on close. Plain Java: the OSGi component and the
 * embedded API both build it with {@link #open}.
 *
 * <p>File map:
 * <ul>
 *   <li>lifecycle: {@link #open}, {@link #close}, phases</li>
 *   <li>tablespaces: create, drop, truncate, rename, lookup</li>
 *   <li>mini-transactions and checkpoints</li>
 *   <li>{@link EngineControl}: durability, swaps, sizes</li>
 * </ul>
 */
public final class CairnEngine implements Engine, EngineControl, MtrContext, StatusService {

    /**
     * The replaceable parts an engine is built from.
     *
     * @param redoLog the redo log implementation wanted; a home whose log another implementation
     *     holds is recovered with that one ({@code redoLogByName}) and then handed over to this one
     * @param redoLogByName the installed redo log implementations by name (null when none is)
     */
    public record Parts(StorageBackend dataBackend, StorageBackend redoBackend, BufferPoolProvider bufferPool,
            RedoLogProvider redoLog, FlushPolicy flushPolicy,
            java.util.function.Function<String, RedoLogProvider> redoLogByName) {

        public Parts {
            java.util.Objects.requireNonNull(redoLog, "redoLog");
            java.util.Objects.requireNonNull(redoLogByName, "redoLogByName");
        }

        /** With {@code redoLog} as the only redo log implementation installed. */
        public Parts(StorageBackend dataBackend, StorageBackend redoBackend, BufferPoolProvider bufferPool,
                RedoLogProvider redoLog, FlushPolicy flushPolicy) {
            this(dataBackend, redoBackend, bufferPool, redoLog, flushPolicy,
                    name -> name.equals(redoLog.name()) ? redoLog : null);
        }
    }

    private static final System.Logger LOG = System.getLogger("io.cairn.engine");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String FILE_SUFFIX = ".cdb";
    private static final int DOUBLEWRITE_SLOTS = 64;

    private final EngineConfig config;
    private final HomeDirectory home;
    private final WaitRegistry waits = new WaitRegistry();
    private final CommitTracker commits = new CommitTracker();
    private final Map<Integer, TablespaceImpl> spacesById = new ConcurrentHashMap<>();
    private final Map<String, TablespaceImpl> spacesByName = new ConcurrentHashMap<>();
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock ddl = new ReentrantLock();
    /** Serialises backend swaps. */
    private final ReentrantLock swapLock = new ReentrantLock();
    /** Page write batches hold it shared; a data backend swap exclusively (see {@link #moveDataFiles}). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock pageWriteGate =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** The name of the provider of the pool in use. */
    private volatile String poolName;
    private volatile StorageBackend dataBackend;
    private volatile StorageBackend redoBackend;
    private volatile CommitDurability durability;
    private volatile FlushPolicy flushPolicy;
    private volatile EnginePhase phase = EnginePhase.RECOVERING;
    private SpaceIdAllocator spaceIds;
    private Doublewrite doublewrite;
    /** Replaced only by {@link #replaceBufferPool}, with every mini-transaction held at the gate. */
    private volatile BufferPool pool;
    private final MtrGate mtrGate = new MtrGate();
    /** What the pool was created from, for a replacement. */
    private BufferPoolConfig poolConfig;
    private EnginePageStore pageStore;
    /** Replaced only by a redo log hand-over, with every mini-transaction held at the gate. */
    private volatile RedoLog redo;
    /** The implementation of {@link #redo}. */
    private volatile String redoName;
    private FlushRequests flushRequests;
    private PageCleaner cleaner;
    private RedoSpace redoSpace;
    private final Object checkpointLock = new Object();
    /** What a writer waiting for redo space does; one instance, not one per mini-transaction. */
    private final RedoSpace.Checkpointer freeCheckCheckpointer = new RedoSpace.Checkpointer() {
        @Override
        public void awaitFlushedBelow(long lsn) throws IOException, InterruptedException {
            flushRequests.awaitFlushed(lsn);
        }

        @Override
        public void checkpointNow() throws IOException {
            CairnEngine.this.checkpointNow();
        }
    };
    private volatile BackendStatus dataBackendStatus;
    private volatile BackendStatus redoBackendStatus;
    /** What of the configuration could not be applied, for status; null when all of it was. */
    private volatile String configurationProblem;

    private CairnEngine(EngineConfig config, HomeDirectory home, Parts parts) {
        this.config = config;
        this.home = home;
        this.dataBackend = parts.dataBackend();
        this.redoBackend = parts.redoBackend();
        this.durability = config.commitDurability();
        this.flushPolicy = parts.flushPolicy();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Opens (creating if needed) the engine in {@code config.home()}: locks the home, restores torn
     * pages from the doublewrite file, applies redo from the last checkpoint, completes deferred
     * work, flushes and checkpoints, then starts the page cleaner and returns a RUNNING engine.
     */
    public static CairnEngine open(EngineConfig config, Parts parts) throws IOException {
        HomeDirectory home = HomeDirectory.open(config.home(), parts.dataBackend(), config.pageSizeBytes(),
                parts.redoLog().name());
        CairnEngine engine = new CairnEngine(config, home, parts);
        try {
            engine.start(parts);
            return engine;
        } catch (IOException | RuntimeException e) {
            engine.closeQuietlyAfterFailedStart();
            throw e;
        }
    }

    private void start(Parts parts) throws IOException {
        long startedNanos = System.nanoTime();
        int pageSize = home.pageSizeBytes();
        int maxId = openTablespaceFiles();
        spaceIds = SpaceIdAllocator.open(dataBackend, home.path(), maxId + 1);
        doublewrite = Doublewrite.open(dataBackend, home.doublewriteFile(), pageSize, DOUBLEWRITE_SLOTS);
        Doublewrite.RestoreReport restored = doublewrite.restoreTornPages(spaceId -> {
            TablespaceImpl space = spacesById.get(spaceId);
            return space == null ? null : space.file();
        });
        if (restored.pagesRestored() > 0) {
            LOG.log(System.Logger.Level.WARNING, "recovery: restored " + restored.pagesRestored()
                    + " torn pages from the doublewrite file: " + restored.restoredPages());
        }
        readHeaders();
        String recorded = home.redoLogName();
        RedoLogProvider recovering = recorded.equals(parts.redoLog().name()) ? parts.redoLog()
                : parts.redoLogByName().apply(recorded);
        if (recovering == null) {
            throw new IOException("the redo log of " + home.path() + " is in " + home.redoDirectory() + ", written by the"
                    + " redo log implementation '" + recorded + "', which is not installed; install the bundle that"
                    + " provides cairn.redo=" + recorded + " to recover it (the engine then hands the log over to '"
                    + parts.redoLog().name() + "')");
        }
        redo = recovering.open(redoLogConfig(home.redoDirectory(), config.redoCapacityBytes()));
        redoName = recorded;
        EnginePageStore store = new EnginePageStore(spacesById::get, () -> redo, doublewrite, config::doublewrite, pageSize,
                this::withPageWritesAllowed);
        redoSpace = new RedoSpace(pageSize, waits);
        dataBackendStatus = probe(dataBackend, home.dataDirectory());
        redoBackendStatus = probe(redoBackend, home.redoDirectory());
        int alignment = Math.max(4096, dataBackendStatus.capabilities() == null ? 4096
                : dataBackendStatus.capabilities().bufferAlignmentBytes());
        BufferPoolConfig defaults = BufferPoolConfig.defaults(config.bufferPoolSizeBytes(), pageSize);
        int instances = config.bufferPoolInstances() == 0 ? defaults.instances() : config.bufferPoolInstances();
        // Every instance needs at least one chunk, so small pools with many instances get small chunks.
        long chunkBytes = Math.max(pageSize,
                Math.min(defaults.chunkSizeBytes(), config.bufferPoolSizeBytes() / instances) / pageSize * pageSize);
        poolConfig = new BufferPoolConfig(defaults.sizeBytes(), chunkBytes, pageSize, instances,
                alignment, defaults.oldBlocksPct(), defaults.oldBlocksTimeMillis(), defaults.lruScanDepth(),
                defaults.readAheadThreshold());
        pageStore = store;
        pool = parts.bufferPool().create(poolConfig, store);
        poolName = parts.bufferPool().name();
        flushRequests = new FlushRequests(new FlushRequests.Flusher() {
            @Override
            public long oldestDirtyLsn() {
                long oldest = pool.oldestModificationLsn();
                return oldest == 0 ? Long.MAX_VALUE : oldest;
            }

            @Override
            public void flushBelow(long lsn) throws IOException {
                pool.flushList(Long.MAX_VALUE, lsn);
            }
        }, waits, 10_000);

        Recovery recovery = new Recovery(pool, new Recovery.Files() {
            @Override
            public TablespaceImpl space(int spaceId) {
                return spacesById.get(spaceId);
            }

            @Override
            public TablespaceImpl recreate(int spaceId, String fileName) throws IOException {
                return openFile(spaceId, home.dataDirectory().resolve(fileName), CreateMode.OPEN_OR_CREATE, "?");
            }
        }, redo.checkpointLsn(), redo.currentLsn()); // before the first append, the current LSN is the log's end
        RedoScanResult scan = redo.scan(redo.checkpointLsn(), recovery);
        LOG.log(System.Logger.Level.INFO, "recovery: scanned redo from LSN " + scan.startLsn() + " to " + scan.endLsn()
                + ", " + scan.groups() + " groups, " + recovery.pagesChanged() + " page changes applied; log end: "
                + scan.tailDescription());

        setPhase(EnginePhase.STARTING);
        readHeaders(); // names and sizes may have changed by redo apply
        for (int spaceId : recovery.deletedSpaces()) {
            TablespaceImpl space = spacesById.get(spaceId);
            if (space != null) {
                finishDrop(space); // a drop interrupted by the crash
            }
        }
        // Make everything recovery changed durable with nobody else's help: the page cleaner is not
        // running yet, so this thread is the progress owner of its own wait (field report 5).
        try {
            flushRequests.awaitFlushed(redo.currentLsn() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing the pages recovery changed", e);
        }
        checkpointNow();
        if (!recorded.equals(parts.redoLog().name())) {
            // Nothing runs yet and every page is written: the hand-over needs no quiescing.
            try {
                handOverRedoLog(parts.redoLog(), 0);
            } catch (IOException | RuntimeException e) {
                configurationProblem = "the redo log stays " + recorded + ": " + e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "recovery: " + configurationProblem);
            }
        }
        cleaner = new PageCleaner(this, config, flushPolicy);
        cleaner.start();
        flushRequests.cleanerServing(true);
        setPhase(EnginePhase.RUNNING);
        LOG.log(System.Logger.Level.INFO, "engine running in " + home.path() + " after "
                + (System.nanoTime() - startedNanos) / 1_000_000 + " ms (" + spacesById.size() + " tablespaces, page size "
                + pageSize + ")");
    }

    @Override
    public void close() throws IOException {
        if (phase == EnginePhase.STOPPED || phase == EnginePhase.STOPPING) {
            return;
        }
        setPhase(EnginePhase.STOPPING);
        try {
            if (cleaner != null) {
                flushRequests.cleanerServing(false);
                cleaner.stop();
            }
            flushRequests.awaitFlushed(redo.currentLsn() + 1);
            checkpointNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing for shutdown", e);
        } finally {
            closeQuietlyAfterFailedStart();
            setPhase(EnginePhase.STOPPED);
        }
        LOG.log(System.Logger.Level.INFO, "engine stopped cleanly in " + home.path());
    }

    private void closeQuietlyAfterFailedStart() {
        if (cleaner != null) {
            cleaner.stop();
        }
        closeQuietly(redo);
        if (pool != null) {
            pool.close();
        }
        for (TablespaceImpl space : spacesById.values()) {
            closeQuietly(space.file());
        }
        closeQuietly(doublewrite);
        closeQuietly(home);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "while closing " + closeable + ": " + e);
            }
        }
    }

    @Override
    public Path home() {
        return home.path();
    }

    @Override
    public EnginePhase phase() {
        return phase;
    }

    @Override
    public int pageSizeBytes() {
        return home.pageSizeBytes();
    }

    private void setPhase(EnginePhase next) {
        EnginePhase previous = phase;
        phase = next;
        publish(new EngineEvent.PhaseChanged(System.currentTimeMillis(), previous, next));
    }

    private void publish(EngineEvent event) {
        for (EngineListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "engine listener " + listener + " failed on " + event + ": " + e);
            }
        }
    }

    @Override
    public void addListener(EngineListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(EngineListener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ tablespaces

    private int openTablespaceFiles() throws IOException {
        int maxId = 0;
        for (String fileName : dataBackend.list(home.dataDirectory())) {
            if (!fileName.endsWith(FILE_SUFFIX)) {
                continue;
            }
            int spaceId;
            try {
                spaceId = Integer.parseInt(fileName.substring(0, fileName.length() - FILE_SUFFIX.length()));
            } catch (NumberFormatException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring " + fileName + " in " + home.dataDirectory()
                        + ": not a Cairn tablespace file name (<space id>" + FILE_SUFFIX + ")");
                continue;
            }
            openFile(spaceId, home.dataDirectory().resolve(fileName), CreateMode.OPEN_EXISTING, "?");
            maxId = Math.max(maxId, spaceId);
        }
        return maxId;
    }

    private TablespaceImpl openFile(int spaceId, Path path, CreateMode mode, String name) throws IOException {
        SwitchableFile file = SwitchableFile.open(dataBackend, path,
                OpenOptions.of(FileRole.DATA, mode, home.pageSizeBytes()));
        long pages = file.sizeBytes() / home.pageSizeBytes();
        TablespaceImpl space = new TablespaceImpl(spaceId, name, home.pageSizeBytes(), file, pages);
        spacesById.put(spaceId, space);
        return space;
    }

    /** Reads names and sizes from the header pages (directly: the pool may not exist yet). */
    private void readHeaders() throws IOException {
        spacesByName.clear();
        int pageSize = home.pageSizeBytes();
        // slice(): PageFormat takes the page size from the capacity, and an aligned start can leave a larger one.
        ByteBuffer frame = ByteBuffer.allocateDirect(pageSize + 4096).alignedSlice(4096).limit(pageSize).slice();
        for (TablespaceImpl space : spacesById.values()) {
            String name = null;
            if (pool != null) {
                try (var handle = pool.fix(new io.cairn.bufferpool.PageId(space.spaceId(), 0),
                        io.cairn.bufferpool.LatchMode.SHARED, io.cairn.bufferpool.FixMode.READ)) {
                    name = headerName(handle.frame(), space);
                }
            } else {
                frame.clear();
                space.file().read(0, frame);
                if (PageFormat.verify(frame, space.spaceId(), 0) == PageFormat.Verdict.VALID) {
                    name = headerName(frame, space);
                }
            }
            if (name != null) {
                space.rename(name);
                spacesByName.put(name, space);
            }
        }
    }

    private static String headerName(ByteBuffer frame, TablespaceImpl space) {
        if (frame.getLong(TablespaceImpl.MAGIC_OFFSET) != TablespaceImpl.MAGIC) {
            return null; // created, but its header never reached the file: redo will write it
        }
        space.sizePages(frame.getLong(TablespaceImpl.SIZE_PAGES_OFFSET));
        int length = frame.getShort(TablespaceImpl.NAME_LENGTH_OFFSET);
        byte[] bytes = new byte[length];
        frame.get(TablespaceImpl.NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public List<String> tablespaceNames() {
        List<String> names = new ArrayList<>(spacesByName.keySet());
        names.sort(null);
        return names;
    }

    @Override
    public Tablespace tablespace(String name) {
        TablespaceImpl space = spacesByName.get(name);
        if (space == null) {
            throw new NoSuchTablespaceException("no such tablespace: '" + name + "'");
        }
        return space;
    }

    @Override
    public Tablespace createTablespace(String name) throws IOException {
        requireRunning("create a tablespace");
        requireName(name);
        ddl.lock();
        try {
            if (spacesByName.containsKey(name)) {
                throw new TablespaceExistsException("tablespace '" + name + "' already exists");
            }
            int spaceId = spaceIds.allocate();
            String fileName = spaceId + FILE_SUFFIX;
            TablespaceImpl space = openFile(spaceId, home.dataDirectory().resolve(fileName), CreateMode.CREATE_NEW, name);
            space.extendFileTo(TablespaceImpl.EXTENT_PAGES);
            space.sizePages(TablespaceImpl.EXTENT_PAGES);
            dataBackend.syncDirectory(home.dataDirectory());
            try (MiniTransactionImpl mtr = new MiniTransactionImpl(this)) {
                mtr.logFileRecord(new RedoRecord.FileCreate(spaceId, fileName, home.pageSizeBytes()));
                MiniTransactionImpl.EngineView header = mtr.engineWritePage(space, TablespaceImpl.HEADER_PAGE_NO, true);
                header.putLong(TablespaceImpl.MAGIC_OFFSET, TablespaceImpl.MAGIC);
                header.putBytes(TablespaceImpl.FORMAT_OFFSET, ByteBuffer.allocate(8)
                        .putInt(TablespaceImpl.FORMAT_VERSION).putInt(home.pageSizeBytes()).array());
                header.putLong(TablespaceImpl.SIZE_PAGES_OFFSET, TablespaceImpl.EXTENT_PAGES);
                header.putLong(TablespaceImpl.HIGH_WATER_OFFSET, TablespaceImpl.FIRST_USER_PAGE_NO);
                header.putLong(TablespaceImpl.FREE_HEAD_OFFSET, 0);
                writeName(header, name);
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            spacesByName.put(name, space);
            return space;
        } finally {
            ddl.unlock();
        }
    }

    private static void writeName(MiniTransactionImpl.EngineView header, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer field = ByteBuffer.allocate(2 + TablespaceImpl.MAX_NAME_BYTES);
        field.putShort((short) bytes.length).put(bytes);
        header.putBytes(TablespaceImpl.NAME_LENGTH_OFFSET, field.array());
    }

    @Override
    public void dropTablespace(String name) throws IOException {
        requireRunning("drop a tablespace");
        ddl.lock();
        try {
            TablespaceImpl space = (TablespaceImpl) tablespace(name);
            space.lifecycle().beginStop();
            spacesByName.remove(name);
            try {
                if (!space.lifecycle().awaitQuiescent(waits, 60_000)) {
                    throw new IOException("drop of '" + name + "' gave up: operations on it did not end within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while dropping '" + name + "'", e);
            }
            try (MiniTransactionImpl mtr = new MiniTransactionImpl(this)) {
                mtr.logFileRecord(new RedoRecord.FileDelete(space.spaceId(), space.file().path().getFileName().toString()));
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            finishDrop(space);
        } finally {
            ddl.unlock();
        }
    }

    /** Removes the pages and the file of a stopping tablespace whose deletion is in the redo log. */
    private void finishDrop(TablespaceImpl space) throws IOException {
        if (space.state() == io.cairn.engine.TablespaceState.ACTIVE) {
            space.lifecycle().beginStop();
        }
        pool.evictTablespace(space.spaceId());
        space.file().close();
        dataBackend.delete(space.file().path());
        dataBackend.syncDirectory(home.dataDirectory());
        space.lifecycle().markDropped();
        spacesById.remove(space.spaceId());
        spacesByName.values().remove(space);
    }

    @Override
    public Tablespace truncateTablespace(String name) throws IOException {
        dropTablespace(name);
        return createTablespace(name);
    }

    @Override
    public void renameTablespace(String from, String to) throws IOException {
        requireRunning("rename a tablespace");
        requireName(to);
        ddl.lock();
        try {
            TablespaceImpl space = (TablespaceImpl) tablespace(from);
            if (spacesByName.containsKey(to)) {
                throw new TablespaceExistsException("tablespace '" + to + "' already exists");
            }
            try (MiniTransactionImpl mtr = new MiniTransactionImpl(this)) {
                writeName(mtr.engineWritePage(space, TablespaceImpl.HEADER_PAGE_NO, false), to);
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            spacesByName.remove(from);
            space.rename(to);
            spacesByName.put(to, space);
        } finally {
            ddl.unlock();
        }
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSettingException("tablespace name", name,
                    "1 to 64 characters of letters, digits, '_', '-' and '.', starting with a letter or digit");
        }
    }

    private void requireRunning(String operation) {
        EnginePhase current = phase;
        if (!current.acceptsOperations()) {
            throw new EngineStateException(current, operation);
        }
    }

    // ------------------------------------------------------------------ mini-transactions, checkpoints

    @Override
    public MiniTransaction beginMiniTransaction() {
        requireRunning("begin a mini-transaction");
        // Before the free check, which may flush pages itself: a pool replacement waits for both.
        mtrGate.enter();
        try {
            // Before any latch is taken: see RedoSpace for why it cannot wait later.
            redoSpace.freeCheck(redo, freeCheckCheckpointer);
        } catch (IOException e) {
            mtrGate.exit();
            throw new java.io.UncheckedIOException("waiting for redo space before a mini-transaction: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            mtrGate.exit();
            throw e;
        }
        return new MiniTransactionImpl(this, true);
    }

    @Override
    public void mtrEnded() {
        mtrGate.exit();
    }

    @Override
    public void awaitDurable(long lsn, CommitDurability durability) throws IOException {
        CommitDurability d = durability == null ? defaultDurability() : durability;
        mtrGate.enter(); // not on a redo log that is being handed over
        try {
            redo.waitFor(lsn, d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the commit at LSN " + lsn + " to become durable", e);
        } finally {
            mtrGate.exit();
        }
    }

    @Override
    public long checkpoint() throws IOException {
        requireRunning("checkpoint");
        mtrGate.enter(); // it flushes the pool: not while the pool is being replaced
        try {
            flushRequests.awaitFlushed(redo.currentLsn() + 1);
            return checkpointNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing for a checkpoint", e);
        } finally {
            mtrGate.exit();
        }
    }

    /**
     * Advances the checkpoint as far as it safely can: not past the oldest dirty page, not past a
     * commit that is between its redo append and its flush-list insertion, not past the synced redo.
     * Pages below it were synced by the page store when they were written.
     *
     * <p>Serialised: the page cleaner, explicit checkpoints and writers waiting for redo space all
     * call it, and a caller that computed its target earlier must not try to move the checkpoint
     * back behind one written meanwhile.
     */
    long checkpointNow() throws IOException {
        synchronized (checkpointLock) {
            return advanceCheckpoint();
        }
    }

    private long advanceCheckpoint() throws IOException {
        // The order of these three reads is what makes the target safe (each read is a lower bound
        // for whatever the next one can miss):
        // 1. synced redo F. A commit that reserves its LSNs after this starts at or above F.
        // 2. commits in flight T. A commit registered before this read holds T at or below its start.
        //    One registered after it reserves its LSNs after read 1, so it starts at or above F.
        // 3. oldest dirty page D. A commit that left the window before read 2 had put its pages on
        //    the flush list first, so D sees them (or they were written and synced).
        // Reading D first (as this method once did) lets a commit slip between the reads: its pages
        // were clean at read 3 and it had left the window by read 2, and the checkpoint passed it.
        long flushed = redo.flushedLsn();
        long inFlight = commits.oldestInFlight();
        long oldestDirty = pool.oldestModificationLsn();
        long target = Math.min(flushed, inFlight);
        if (oldestDirty != 0) {
            target = Math.min(target, oldestDirty);
        }
        if (target > redo.checkpointLsn()) {
            redo.checkpoint(target);
        }
        return redo.checkpointLsn();
    }

    // ------------------------------------------------------------------ MtrContext

    @Override
    public BufferPool pool() {
        return pool;
    }

    @Override
    public RedoLog redo() {
        return redo;
    }

    @Override
    public CommitDurability defaultDurability() {
        return durability;
    }

    @Override
    public CommitTracker commits() {
        return commits;
    }

    @Override
    public TablespaceImpl resolve(Tablespace tablespace) {
        if (tablespace instanceof TablespaceImpl space && spacesById.get(space.spaceId()) == space) {
            return space;
        }
        throw new NoSuchTablespaceException("no such tablespace: '" + tablespace.name() + "'"
                + (tablespace instanceof TablespaceImpl ? " was dropped" : " is not one of this engine's"));
    }

    PageCleaner cleaner() {
        return cleaner;
    }

    RedoSpace redoSpace() {
        return redoSpace;
    }

    FlushRequests flushRequests() {
        return flushRequests;
    }

    WaitRegistry waits() {
        return waits;
    }

    // ------------------------------------------------------------------ status

    /** What a backend offers for {@code directory}, probed once: status must not do I/O. */
    private static BackendStatus probe(StorageBackend backend, Path directory) {
        java.util.Map<String, String> properties = java.util.Map.of(StorageBackend.NAME_PROPERTY, backend.name());
        try {
            return new BackendStatus(backend.name(), backend.describe(), properties, backend.probe(directory), null);
        } catch (IOException | RuntimeException e) {
            return new BackendStatus(backend.name(), backend.describe(), properties, null, String.valueOf(e.getMessage()));
        }
    }

    @Override
    public EngineStatus engineStatus() {
        BufferPool currentPool = pool;
        RedoLog currentRedo = redo;
        PageCleaner currentCleaner = cleaner;
        List<TablespaceStatus> spaces = new ArrayList<>();
        for (TablespaceImpl space : new java.util.TreeMap<>(spacesById).values()) {
            spaces.add(new TablespaceStatus(space.spaceId(), space.name(), space.lifecycle().state(), space.sizePages(),
                    space.lifecycle().pendingOperations(), space.lifecycle().pendingIo()));
        }
        FlushStatus flush = currentCleaner == null
                ? new FlushStatus(flushPolicy == null ? SafeFlushPolicy.NAME : "(not running)", null,
                        java.util.Set.of(), 0, null, 0)
                : currentCleaner.status();
        return new EngineStatus(phase, home.path().toString(), home.pageSizeBytes(),
                currentPool == null ? null : currentPool.stats(),
                currentRedo == null ? null : currentRedo.stats(),
                currentRedo == null || redoSpace == null ? RedoPressure.NONE : redoSpace.pressure(currentRedo),
                flush, dataBackendStatus, redoBackendStatus, spaces, waits.snapshot(), configurationProblem);
    }

    // ------------------------------------------------------------------ EngineControl

    @Override
    public EngineControl control() {
        return this;
    }

    @Override
    public CommitDurability commitDurability() {
        return durability;
    }

    @Override
    public void setCommitDurability(CommitDurability durability) {
        this.durability = java.util.Objects.requireNonNull(durability, "durability");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Data files: under the DDL lock (no file comes or goes meanwhile) and with page writes held
     * back (a batch's doublewrite decision and its in-place writes see one backend), each file is
     * synced and reopened through the new backend in turn; if one fails, the files already moved
     * go back. Reads of a file pause only while that file switches. Redo: the log switches at a
     * write boundary.
     */
    @Override
    public void switchBackend(ComponentKind kind, StorageBackend backend) {
        java.util.Objects.requireNonNull(backend, "backend");
        if (kind != ComponentKind.DATA_BACKEND && kind != ComponentKind.REDO_BACKEND) {
            throw new IllegalArgumentException("switchBackend moves the files of DATA_BACKEND or REDO_BACKEND, not " + kind);
        }
        requireRunning("switch the " + (kind == ComponentKind.DATA_BACKEND ? "data" : "redo") + " backend");
        swapLock.lock();
        try {
            StorageBackend previous = kind == ComponentKind.DATA_BACKEND ? dataBackend : redoBackend;
            String from = previous.describe();
            String to = backend.describe();
            publish(new EngineEvent.SwapStarted(System.currentTimeMillis(), kind, from, to));
            long startedNanos = System.nanoTime();
            try {
                if (kind == ComponentKind.DATA_BACKEND) {
                    moveDataFiles(previous, backend);
                } else {
                    redo.switchBackend(backend);
                    redoBackend = backend;
                }
            } catch (IOException | RuntimeException e) {
                String reason = String.valueOf(e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "the " + kind + " swap from " + from + " to " + to
                        + " failed and was rolled back: " + reason);
                publish(new EngineEvent.SwapFailed(System.currentTimeMillis(), kind, from, to, reason));
                throw new SwapFailedException(kind, reason, e);
            }
            long pauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            if (kind == ComponentKind.DATA_BACKEND) {
                dataBackendStatus = probe(backend, home.dataDirectory());
            } else {
                redoBackendStatus = probe(backend, home.redoDirectory());
            }
            LOG.log(System.Logger.Level.INFO, kind + " switched from " + from + " to " + to + " in " + pauseMillis + " ms");
            publish(new EngineEvent.SwapCompleted(System.currentTimeMillis(), kind, from, to, pauseMillis));
        } finally {
            swapLock.unlock();
        }
    }

    private void moveDataFiles(StorageBackend previous, StorageBackend next) throws IOException {
        ddl.lock();
        try {
            List<SwitchableFile> files = new ArrayList<>();
            for (TablespaceImpl space : new java.util.TreeMap<>(spacesById).values()) {
                files.add(space.file());
            }
            files.add(doublewrite.file());
            // Open everything through the new backend first, while I/O goes on: a refusal or a
            // failed open then costs the workload nothing.
            List<SwitchableFile.Prepared> prepared = new ArrayList<>();
            try {
                long startedNanos = System.nanoTime();
                for (SwitchableFile file : files) {
                    prepared.add(file.prepareSwitch(next, this::refusalOfDataCapabilities));
                }
                long openedNanos = System.nanoTime();
                pageWriteGate.writeLock().lock();
                long heldNanos = System.nanoTime();
                List<SwitchableFile> moved = new ArrayList<>();
                try {
                    for (int i = 0; i < files.size(); i++) {
                        files.get(i).completeSwitch(prepared.get(i));
                        moved.add(files.get(i));
                    }
                } catch (IOException | RuntimeException e) {
                    for (SwitchableFile file : moved) {
                        try {
                            file.switchTo(previous, capabilities -> null);
                        } catch (IOException | RuntimeException back) {
                            // The file stays on the new backend, which opened it and is usable;
                            // say so rather than claim a clean rollback.
                            LOG.log(System.Logger.Level.ERROR, file.path() + " could not go back to " + previous.name()
                                    + " and stays on " + next.name() + ": " + back.getMessage());
                        }
                    }
                    throw e;
                } finally {
                    pageWriteGate.writeLock().unlock();
                }
                dataBackend = next;
                spaceIds.useBackend(next);
                long doneNanos = System.nanoTime();
                LOG.log(System.Logger.Level.INFO, files.size() + " data files opened through " + next.name() + " in "
                        + millis(openedNanos - startedNanos) + " ms; page writes drained in "
                        + millis(heldNanos - openedNanos) + " ms and held for " + millis(doneNanos - heldNanos)
                        + " ms while each file was synced and switched");
            } finally {
                for (SwitchableFile.Prepared unused : prepared) {
                    unused.close(); // the ones not switched to (after a failure); no-op for the others
                }
            }
        } finally {
            ddl.unlock();
        }
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /**
     * Why a data file may not use a backend with these capabilities, or null: the frames and
     * copies the engine hands to it were aligned when the engine opened, and pages must be whole
     * units of its offset alignment.
     */
    private String refusalOfDataCapabilities(io.cairn.io.IoCapabilities capabilities) {
        int frameAlignmentBytes = poolConfig.frameAlignmentBytes(); // from the data backend at open
        if (capabilities.bufferAlignmentBytes() > frameAlignmentBytes) {
            return "it needs buffers aligned to " + capabilities.bufferAlignmentBytes() + " bytes and the buffer pool's"
                    + " frames are aligned to " + frameAlignmentBytes + " (chosen at start; restart to use it)";
        }
        if (home.pageSizeBytes() % capabilities.offsetAlignmentBytes() != 0) {
            return "it needs offsets and lengths in multiples of " + capabilities.offsetAlignmentBytes()
                    + " bytes and pages are " + home.pageSizeBytes() + " bytes";
        }
        return null;
    }

    /**
     * Runs a batch of page writes with data backend swaps held off, so that one batch's
     * doublewrite decision and in-place writes see the same backend.
     */
    private void withPageWritesAllowed(EnginePageStore.IoStep batch) throws IOException {
        pageWriteGate.readLock().lock();
        try {
            batch.run();
        } finally {
            pageWriteGate.readLock().unlock();
        }
    }

    /**
     * Records what of the configuration could not be applied (null: everything was), shown by
     * {@link #engineStatus()}. Set by whoever applies configuration, such as the DS component.
     */
    public void reportConfigurationProblem(String problem) {
        configurationProblem = problem;
    }

    /** The settings the engine was opened with. */
    public EngineConfig config() {
        return config;
    }

    @Override
    public void switchFlushPolicy(FlushPolicy policy) {
        flushPolicy = policy;
        PageCleaner current = cleaner;
        if (current != null) {
            current.bind(policy); // from the next round on
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Holds new mini-transactions at the gate and waits (at most {@link #QUIESCE_TIMEOUT_MILLIS})
     * for the running ones to release their pages, stops the page cleaner, writes every dirty page
     * and takes a checkpoint, then creates the new pool with the old one's geometry and current
     * size, hands the old pool's pages over ({@link #handOverPages}), switches to the new pool,
     * closes the old one and starts the cleaner again. If the new pool cannot be created, the
     * engine goes on with the old one.
     */
    @Override
    public void replaceBufferPool(BufferPoolProvider provider) throws IOException {
        java.util.Objects.requireNonNull(provider, "provider");
        requireRunning("replace the buffer pool");
        replaceQuiesced(ComponentKind.BUFFER_POOL, "buffer pool", () -> poolName, provider.name(),
                () -> replacePoolQuiesced(provider));
    }

    /** What a replacement does once every mini-transaction is held at the gate. */
    private interface QuiescedStep {
        void run() throws IOException;
    }

    /**
     * Runs {@code step} with new mini-transactions held at the gate, the running ones ended (waiting
     * at most {@link #QUIESCE_TIMEOUT_MILLIS}), DDL excluded and other swaps serialised, and
     * publishes the swap's events. A failing step throws {@link SwapFailedException}.
     */
    private void replaceQuiesced(ComponentKind kind, String what, java.util.function.Supplier<String> current,
            String to, QuiescedStep step) throws IOException {
        swapLock.lock();
        try {
            String from = current.get();
            publish(new EngineEvent.SwapStarted(System.currentTimeMillis(), kind, from, to));
            long startedNanos = System.nanoTime();
            ddl.lock();
            try {
                try (WaitRegistry.Wait wait = waits.begin("mini-transactions to end before the " + what
                        + " is replaced by " + to, "the threads running them")) {
                    if (!mtrGate.close(QUIESCE_TIMEOUT_MILLIS)) {
                        String reason = mtrGate.active() + " mini-transactions did not end within "
                                + QUIESCE_TIMEOUT_MILLIS / 1000 + " s";
                        publish(new EngineEvent.SwapFailed(System.currentTimeMillis(), kind, from, to, reason));
                        throw new SwapFailedException(kind, reason, null);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SwapFailedException(kind, "interrupted while waiting for mini-transactions", e);
                }
                try {
                    step.run();
                } catch (IOException | RuntimeException e) {
                    String reason = String.valueOf(e.getMessage());
                    publish(new EngineEvent.SwapFailed(System.currentTimeMillis(), kind, from, to, reason));
                    throw e instanceof SwapFailedException swapFailed ? swapFailed : new SwapFailedException(kind, reason, e);
                } finally {
                    mtrGate.open();
                }
            } finally {
                ddl.unlock();
            }
            long pauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            LOG.log(System.Logger.Level.INFO, what + " replaced: " + from + " -> " + to + " in " + pauseMillis + " ms");
            publish(new EngineEvent.SwapCompleted(System.currentTimeMillis(), kind, from, to, pauseMillis));
        } finally {
            swapLock.unlock();
        }
    }

    /** How long a buffer pool replacement waits for running mini-transactions. */
    static final long QUIESCE_TIMEOUT_MILLIS = 30_000;

    private void replacePoolQuiesced(BufferPoolProvider provider) throws IOException {
        flushRequests.cleanerServing(false);
        cleaner.stop();
        BufferPool old = pool;
        BufferPool created = null;
        try {
            old.flushList(Long.MAX_VALUE, Long.MAX_VALUE);
            checkpointNow();
            BufferPoolConfig current = new BufferPoolConfig(old.stats().sizeBytes(), poolConfig.chunkSizeBytes(),
                    poolConfig.pageSizeBytes(), poolConfig.instances(), poolConfig.frameAlignmentBytes(),
                    poolConfig.oldBlocksPct(), poolConfig.oldBlocksTimeMillis(), poolConfig.lruScanDepth(),
                    poolConfig.readAheadThreshold());
            HandOverPageStore handOverStore = new HandOverPageStore(pageStore);
            created = provider.create(current, handOverStore);
            if (old.oldestModificationLsn() != 0) {
                throw new IOException("pages were changed while the buffer pool was being replaced");
            }
            handOverPages(old, created, handOverStore, provider.name());
            pool = created;
            poolName = provider.name();
            old.close();
        } catch (IOException | RuntimeException e) {
            if (created != null && pool != created) {
                created.close();
            }
            throw e;
        } finally {
            cleaner = new PageCleaner(this, config, flushPolicy);
            cleaner.start();
            flushRequests.cleanerServing(true);
        }
    }

    /** How long a buffer pool replacement may spend copying pages into the new pool. */
    static final long POOL_HAND_OVER_BUDGET_MILLIS = 2_000;

    /**
     * Loads the pages {@code from} holds into {@code to} by copying frames, not by reading
     * tablespaces, so the new pool starts as warm as the old one was. Runs while nothing can change
     * a page (see {@link HandOverPageStore}). Takes as many pages as the new pool holds short of the
     * page cleaner's free-frame floor, and loads the most recently used last, so that they end up
     * nearest the head of the new pool's list. A pool that cannot list its pages
     * ({@link BufferPool#cachedPages}) hands nothing over. Past {@link #POOL_HAND_OVER_BUDGET_MILLIS},
     * or on a failed fix, it stops: the pages not handed over are read from disk when needed, so
     * neither makes the replacement fail.
     */
    private void handOverPages(BufferPool from, BufferPool to, HandOverPageStore store, String toName) {
        long startedNanos = System.nanoTime();
        long totalFrames = to.stats().totalFrames();
        int room = (int) Math.min(Integer.MAX_VALUE,
                Math.max(0, totalFrames - PageCleaner.freeFrameFloor(totalFrames)));
        List<PageId> pages;
        try {
            pages = from.cachedPages(room);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the old buffer pool could not list its pages (" + e
                    + "); the new pool " + toName + " starts cold");
            return;
        }
        long deadline = startedNanos + TimeUnit.MILLISECONDS.toNanos(POOL_HAND_OVER_BUDGET_MILLIS);
        int handed = 0;
        String stopped = "";
        store.beginHandOver(from);
        try {
            for (int i = pages.size() - 1; i >= 0; i--) {
                if (System.nanoTime() - deadline > 0) {
                    stopped = "; stopped after " + POOL_HAND_OVER_BUDGET_MILLIS + " ms, the other " + (i + 1)
                            + " pages will be read when needed";
                    break;
                }
                try (PageHandle handle = to.fix(pages.get(i), LatchMode.SHARED, FixMode.BACKGROUND)) {
                    if (handle != null) {
                        handed++;
                    }
                } catch (IOException | RuntimeException e) {
                    stopped = "; stopped at " + pages.get(i) + " (" + e.getMessage() + "), the other " + i
                            + " pages will be read when needed";
                    break;
                }
            }
        } finally {
            store.endHandOver();
        }
        lastPoolHandOverPages = handed;
        LOG.log(stopped.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "buffer pool hand-over to " + toName + ": " + handed + " of " + pages.size() + " cached pages copied in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos) + " ms" + stopped);
    }

    /** Pages the last buffer pool replacement handed over (for tests). */
    private volatile int lastPoolHandOverPages;

    int lastPoolHandOverPages() {
        return lastPoolHandOverPages;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Holds new mini-transactions at the gate and waits for the running ones (their commits'
     * durability waits included), stops the page cleaner, writes every dirty page, syncs the redo
     * and checkpoints at its end, then hands the log over ({@link #handOverRedoLog}) and starts the
     * cleaner again. If the new log cannot be created, the engine goes on with the old one.
     */
    @Override
    public void replaceRedoLog(RedoLogProvider provider) throws IOException {
        java.util.Objects.requireNonNull(provider, "provider");
        requireRunning("replace the redo log");
        replaceQuiesced(ComponentKind.REDO_LOG, "redo log", () -> redoName, provider.name(), () -> {
            flushRequests.cleanerServing(false);
            cleaner.stop();
            try {
                long flushStartNanos = System.nanoTime();
                pool.flushList(Long.MAX_VALUE, Long.MAX_VALUE);
                handOverRedoLog(provider, System.nanoTime() - flushStartNanos);
            } finally {
                cleaner = new PageCleaner(this, config, flushPolicy);
                cleaner.start();
                flushRequests.cleanerServing(true);
            }
        });
    }

    /**
     * Moves the log to {@code provider}'s implementation; nothing may change pages or append redo
     * meanwhile, and every dirty page must be written. The old log is synced and checkpointed at
     * its end L; the new one is created in its own directory continuing at L and synced; then the
     * home's format file is rewritten to name it. Before that rewrite a crash recovers the old log
     * (nothing after L) and after it the new one (empty at L): either way nothing is lost, and
     * the page LSNs (all at most L) stay below every LSN the new log hands out.
     */
    private void handOverRedoLog(RedoLogProvider provider, long pageFlushNanos) throws IOException {
        String from = redoName;
        String to = provider.name();
        if (to.equals(from)) {
            return;
        }
        if (!provider.canContinueAtLsn()) {
            throw new SwapFailedException(ComponentKind.REDO_LOG, "the redo log implementation " + to
                    + " cannot continue at a given LSN (RedoLogProvider.canContinueAtLsn), so it cannot take over", null);
        }
        RedoLog old = redo;
        long endLsn = old.currentLsn();
        long checkpointStartNanos = System.nanoTime();
        try {
            old.waitFor(endLsn, CommitDurability.SYNC_ON_COMMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing the redo log before handing it over", e);
        }
        long checkpointLsn = checkpointNow();
        if (checkpointLsn != endLsn || pool.oldestModificationLsn() != 0) {
            throw new IOException("the checkpoint (LSN " + checkpointLsn + ") did not reach the end of the log (LSN "
                    + endLsn + "): pages are still dirty, so the log cannot be handed over");
        }
        long createStartNanos = System.nanoTime();
        Path directory = home.redoDirectoryFor(to);
        emptyRedoDirectory(directory);
        RedoLog created = provider.create(redoLogConfig(directory, old.capacityBytes()), endLsn);
        long createNanos = System.nanoTime() - createStartNanos;
        try {
            if (created.currentLsn() < endLsn || created.flushedLsn() < endLsn || created.checkpointLsn() < endLsn) {
                throw new IOException("the redo log implementation " + to + " created a log at LSN "
                        + created.currentLsn() + " (checkpoint " + created.checkpointLsn() + "), behind the end of the"
                        + " old log at " + endLsn);
            }
            home.recordRedoLog(dataBackend, to);
        } catch (IOException | RuntimeException e) {
            closeQuietly(created);
            restoreRedoLogRecord(from, e);
            throw e;
        }
        synchronized (checkpointLock) {
            redo = created;
            redoName = to;
        }
        closeQuietly(old);
        try {
            emptyRedoDirectory(home.redoDirectoryFor(from));
        } catch (IOException e) {
            // Harmless: the format file names the new log, and a later hand-over empties the directory first.
            LOG.log(System.Logger.Level.WARNING, "the old redo log's files in " + home.redoDirectoryFor(from)
                    + " could not all be deleted: " + e.getMessage());
        }
        // Where the pause went, so an operator can tell a slow disk from a slow implementation.
        LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                "redo log handed over from %s to %s at LSN %d: dirty pages written in %.1f ms, old log synced and"
                        + " checkpointed in %.1f ms, new log created in %.1f ms",
                from, to, endLsn, pageFlushNanos / 1e6, (createStartNanos - checkpointStartNanos) / 1e6,
                createNanos / 1e6));
    }

    /**
     * After a failed rewrite of the format file it may name either log. Both are valid now, but
     * only the old one will receive appends, so it must be the one named; if even that cannot be
     * written, the old log is closed and commits fail rather than be acknowledged into a log that
     * recovery might not read.
     */
    private void restoreRedoLogRecord(String from, Exception cause) {
        try {
            home.recordRedoLog(dataBackend, from);
        } catch (IOException | RuntimeException again) {
            cause.addSuppressed(again);
            LOG.log(System.Logger.Level.ERROR, "the home's format file could not be rewritten to name the redo log "
                    + from + " (" + again.getMessage() + "); the redo log is closed and commits fail until the engine"
                    + " is restarted");
            closeQuietly(redo);
        }
    }

    /** Creates {@code directory} if needed and deletes every file in it, through the redo backend. */
    private void emptyRedoDirectory(Path directory) throws IOException {
        redoBackend.createDirectories(directory);
        for (String name : redoBackend.list(directory)) {
            redoBackend.delete(directory.resolve(name));
        }
        redoBackend.syncDirectory(directory);
    }

    private RedoLogConfig redoLogConfig(Path directory, long capacityBytes) {
        return new RedoLogConfig(directory, redoBackend, capacityBytes, durability, 1000,
                "Cairn " + HomeDirectory.FORMAT_VERSION);
    }

    @Override
    public void resizeBufferPool(long sizeBytes) throws IOException {
        swapLock.lock(); // not while the pool is being replaced
        try {
            pool.resize(sizeBytes);
        } finally {
            swapLock.unlock();
        }
    }

    @Override
    public void resizeRedo(long capacityBytes) throws IOException {
        redo.resize(capacityBytes);
    }

    @Override
    public String active(ComponentKind kind) {
        return switch (kind) {
            case DATA_BACKEND -> dataBackend.name();
            case REDO_BACKEND -> redoBackend.name();
            case COMMIT_DURABILITY -> durability.name();
            case BUFFER_POOL -> poolName;
            case REDO_LOG -> redoName;
            case FLUSH_POLICY -> cleaner == null ? SafeFlushPolicy.NAME : cleaner.status().policyName();
            default -> "unknown";
        };
    }
}
