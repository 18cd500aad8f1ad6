package io.cairn.io.faultinject;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.StorageLock;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A decorator that simulates what real backends cannot show on demand: power loss and I/O errors.
 *
 * <h2>Durability model</h2>
 * Writes go through to the wrapped backend at once (so reads, including other handles', see them),
 * and the decorator remembers, per file, what each not-yet-durable change overwrote. A change is
 * durable once the wrapped backend's {@link IoCapabilities} say so: data when the write returns if
 * {@code writeDurableOnReturn}, else after any sync of the file; size changes (extending writes,
 * allocate, truncate) when they return if not {@code needsSyncAfterResize}, else after
 * {@code sync(DATA_AND_METADATA)}. Creates, renames and deletes are durable after
 * {@link #syncDirectory} of the parent (deleted files are kept aside until then).
 * Capabilities can be overridden to simulate a backend that claims something else.
 *
 * <p>{@link #crash(CrashMode)} turns the files on disk into what a power loss would leave: it
 * undoes every non-durable change, re-applies some of them as the mode says, cuts files to their
 * durable size and rolls back non-durable directory operations. The backend then refuses all work
 * with {@link SimulatedCrashException} until {@link #reset()}; the files on disk are what a
 * restarted engine sees.
 *
 * <h2>Error injection</h2>
 * {@link #inject(FaultRule)} arms a fault for a class of operations, by countdown or probability,
 * transient or persistent. Every decision uses one random generator seeded at construction, and
 * every injected fault is recorded in {@link #faultLog()} with the seed, so a failure replays.
 *
 * <p>Thread-safe; model changes are serialised on one lock, which is acceptable for a test backend.
 * It ships only in test distributions.
 */
public final class FaultInjectingStorageBackend extends FilterStorageBackend {

    /** The {@value StorageBackend#NAME_PROPERTY} of this backend. */
    public static final String NAME = "faultinject";

    /** Deleted files wait under this prefix until their directory is synced. */
    static final String TRASH_PREFIX = ".faultinject-trash-";

    private static final System.Logger LOG = System.getLogger(FaultInjectingStorageBackend.class.getName());
    private static final int FAULT_LOG_CAPACITY = 1000;

    private final StorageBackend target;
    private final long seed;
    private final UnaryOperator<IoCapabilities> capabilityOverride;
    final Object lock = new Object();

    // Everything below is guarded by lock.
    private final SplittableRandom random;
    private final Map<Path, FileModel> files = new HashMap<>();
    private final List<DirectoryChange> directoryJournal = new ArrayList<>();
    private final Set<FaultInjectingStorageFile> openFiles = new HashSet<>();
    private final List<ArmedRule> rules = new ArrayList<>();
    private final Map<OperationClass, Long> operationCounts = new EnumMap<>(OperationClass.class);
    private final Deque<String> faultLog = new ArrayDeque<>();
    private String crashReason;
    /** Incremented when a crash starts rewriting files; a read that saw it change read a half-restored file. */
    private long crashEpoch;
    private long trashCounter;
    private int syncCrashCountdown;
    private PathMatcher syncCrashMatcher;
    private CrashMode syncCrashMode;
    private boolean traceOperations;

    /**
     * @param target the backend whose files are really written
     * @param seed the seed of every random decision
     * @param capabilityOverride turns the target's capabilities into the ones to simulate
     *     ({@link UnaryOperator#identity()} to model the target truthfully)
     */
    public FaultInjectingStorageBackend(StorageBackend target, long seed, UnaryOperator<IoCapabilities> capabilityOverride) {
        this.target = Objects.requireNonNull(target, "target");
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.capabilityOverride = Objects.requireNonNull(capabilityOverride, "capabilityOverride");
        for (OperationClass op : OperationClass.values()) {
            operationCounts.put(op, 0L);
        }
    }

    /** A decorator that models {@code target} truthfully. */
    public FaultInjectingStorageBackend(StorageBackend target, long seed) {
        this(target, seed, UnaryOperator.identity());
    }

    /** The seed of this instance's random decisions. */
    public long seed() {
        return seed;
    }

    @Override
    protected StorageBackend delegate() {
        return target;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return NAME + "(seed=" + seed + ") -> " + target.describe();
    }

    // ------------------------------------------------------------------ backend operations

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        injectIfArmed(OperationClass.OPEN, path);
        synchronized (lock) {
            checkAlive();
            boolean existed = Files.exists(path);
            StorageFile inner = target.open(path, options);
            FileModel model = files.get(path);
            if (model == null) {
                model = new FileModel(path, existed ? inner.sizeBytes() : 0);
                files.put(path, model);
            }
            if (!existed) {
                directoryJournal.add(new DirectoryChange.Created(path));
            }
            model.capabilities = capabilityOverride.apply(inner.capabilities());
            FaultInjectingStorageFile file = new FaultInjectingStorageFile(this, inner, model);
            openFiles.add(file);
            return file;
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        injectIfArmed(OperationClass.METADATA, path);
        synchronized (lock) {
            checkAlive();
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(path.toString(), null, "no such file to delete");
            }
            Path trash = moveToTrash(path);
            directoryJournal.add(new DirectoryChange.Deleted(path, trash));
        }
    }

    @Override
    public void rename(Path source, Path destination) throws IOException {
        injectIfArmed(OperationClass.METADATA, source);
        synchronized (lock) {
            checkAlive();
            if (!Files.isRegularFile(source)) {
                throw new NoSuchFileException(source.toString(), null, "no such file to rename");
            }
            if (Files.exists(destination)) {
                directoryJournal.add(new DirectoryChange.Deleted(destination, moveToTrash(destination)));
            }
            target.rename(source, destination);
            moveModel(source, destination);
            directoryJournal.add(new DirectoryChange.Renamed(source, destination));
        }
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        injectIfArmed(OperationClass.METADATA, directory);
        checkAliveLocked();
        List<String> names = new ArrayList<>(target.list(directory));
        names.removeIf(name -> name.startsWith(TRASH_PREFIX));
        return names;
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        injectIfArmed(OperationClass.METADATA, directory);
        checkAliveLocked();
        // Directory creation is not rolled back by a crash: Cairn creates its directories once,
        // before it writes anything that depends on them.
        target.createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        injectIfArmed(OperationClass.SYNC, directory);
        synchronized (lock) {
            checkAlive();
            target.syncDirectory(directory);
            for (Iterator<DirectoryChange> it = directoryJournal.iterator(); it.hasNext(); ) {
                DirectoryChange change = it.next();
                if (!change.affects(directory)) {
                    continue;
                }
                if (change instanceof DirectoryChange.Deleted deleted) {
                    target.delete(deleted.trash());
                    files.remove(deleted.trash());
                }
                it.remove();
            }
        }
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        checkAliveLocked();
        return target.lock(lockFile);
    }

    @Override
    public IoCapabilities probe(Path directory) throws IOException {
        checkAliveLocked();
        return capabilityOverride.apply(target.probe(directory));
    }

    // ------------------------------------------------------------------ crash simulation

    /** Simulates a power loss now; see the class comment. Does nothing if already crashed. */
    public void crash(CrashMode mode) throws IOException {
        synchronized (lock) {
            crashLocked(mode, "crash(" + mode + ") called");
        }
    }

    /**
     * Arms a power loss at the {@code n}-th sync (counting from now) of a file whose name matches
     * {@code fileNameGlob} (a {@link java.nio.file.FileSystem#getPathMatcher glob} such as
     * {@code "*.ibd"}). The crash happens instead of that sync, which fails with
     * {@link SimulatedCrashException}.
     */
    public void crashAtSync(int n, String fileNameGlob, CrashMode mode) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, was " + n);
        }
        synchronized (lock) {
            syncCrashCountdown = n;
            syncCrashMatcher = FileSystems.getDefault().getPathMatcher("glob:" + fileNameGlob);
            syncCrashMode = Objects.requireNonNull(mode, "mode");
        }
    }

    /** Whether a crash happened and {@link #reset()} was not called since. */
    public boolean isCrashed() {
        synchronized (lock) {
            return crashReason != null;
        }
    }

    /**
     * Ends the crashed state: the files on disk become the new durable baseline and the backend
     * accepts work again. Handles opened before the crash stay unusable. Armed faults are cleared.
     */
    public void reset() {
        synchronized (lock) {
            crashReason = null;
            files.clear();
            directoryJournal.clear();
            openFiles.clear();
            rules.clear();
            syncCrashMatcher = null;
        }
    }

    /** The number of changes that a crash now could lose (for tests of the harness itself). */
    public int pendingChangeCount() {
        synchronized (lock) {
            int count = directoryJournal.size();
            for (FileModel model : files.values()) {
                count += model.pending.size() + (model.sizeIsDurable() ? 0 : 1);
            }
            return count;
        }
    }

    /**
     * Records every write, sync, resize and crash in {@link #faultLog()} with the calling thread, for
     * finding out which thread produced a state a test did not expect. Off by default: it is costly.
     */
    public void traceOperations(boolean on) {
        synchronized (lock) {
            traceOperations = on;
        }
    }

    /** Records {@code event} if tracing is on. Caller holds the lock. */
    void trace(String event) {
        if (traceOperations) {
            record(Thread.currentThread().getName() + ": " + event);
        }
    }

    // ------------------------------------------------------------------ error injection

    /** Arms a fault rule. */
    public void inject(FaultRule rule) {
        synchronized (lock) {
            rules.add(new ArmedRule(rule, operationCounts.get(rule.operation())));
        }
    }

    /** Removes every armed fault rule. */
    public void clearFaults() {
        synchronized (lock) {
            rules.clear();
        }
    }

    /** Every injected fault and crash so far, oldest first, each naming the seed. */
    public List<String> faultLog() {
        synchronized (lock) {
            return List.copyOf(faultLog);
        }
    }

    // ------------------------------------------------------------------ package-private hooks

    /**
     * Counts an operation and applies the armed rules to it: EIO and ENOSPC are thrown here;
     * SHORT_WRITE and BIT_FLIP are returned for the caller to act on; null means no fault.
     */
    FaultKind injectIfArmed(OperationClass operation, Path path) throws IOException {
        synchronized (lock) {
            checkAlive();
            long count = operationCounts.merge(operation, 1L, Long::sum);
            for (Iterator<ArmedRule> it = rules.iterator(); it.hasNext(); ) {
                ArmedRule armed = it.next();
                FaultRule rule = armed.rule;
                if (rule.operation() != operation) {
                    continue;
                }
                boolean fire;
                if (rule.afterOperations() > 0) {
                    long due = armed.armedAtCount + rule.afterOperations();
                    fire = rule.persistent() ? count >= due : count == due;
                } else {
                    fire = random.nextDouble() < rule.probability();
                }
                if (!fire) {
                    continue;
                }
                if (!rule.persistent() && rule.afterOperations() > 0) {
                    it.remove();
                }
                record("injected " + rule.kind() + " into " + operation + " #" + count + " on " + path);
                switch (rule.kind()) {
                    case EIO:
                        throw new NativeIoException(operation.name().toLowerCase(java.util.Locale.ROOT),
                                NativeIoException.EIO, "injected I/O error on " + path + " (seed " + seed + ")");
                    case ENOSPC:
                        throw new NativeIoException(operation.name().toLowerCase(java.util.Locale.ROOT),
                                NativeIoException.ENOSPC, "injected disk full on " + path + " (seed " + seed + ")");
                    default:
                        return rule.kind();
                }
            }
            return null;
        }
    }

    /** Called by a file's sync before it syncs: crashes instead when an armed sync crash is due. */
    void beforeSync(Path path) throws IOException {
        synchronized (lock) {
            if (syncCrashMatcher != null && syncCrashMatcher.matches(path.getFileName())
                    && --syncCrashCountdown == 0) {
                CrashMode mode = syncCrashMode;
                syncCrashMatcher = null;
                crashLocked(mode, "armed crash at sync of " + path);
                throw new SimulatedCrashException("simulated power loss at sync of " + path + " (seed " + seed + ")");
            }
        }
    }

    /** The crash epoch, read under the lock together with the alive check. */
    long crashEpoch() throws SimulatedCrashException {
        synchronized (lock) {
            checkAlive();
            return crashEpoch;
        }
    }

    /**
     * Fails a read that overlapped a crash: the crash may have been rewriting the file under it, and
     * what such a read saw is neither the state before nor the state after the power loss.
     */
    void checkNoCrashSince(long epoch, Path path) throws SimulatedCrashException {
        synchronized (lock) {
            if (crashEpoch != epoch) {
                throw new SimulatedCrashException("simulated power loss during a read of " + path + " (seed " + seed + ")");
            }
        }
    }

    int nextInt(int bound) {
        synchronized (lock) {
            return random.nextInt(bound);
        }
    }

    void closed(FaultInjectingStorageFile file) {
        synchronized (lock) {
            openFiles.remove(file);
        }
    }

    void checkAlive() throws SimulatedCrashException {
        if (crashReason != null) {
            throw new SimulatedCrashException("the fault-injecting backend crashed (" + crashReason
                    + ", seed " + seed + "); nothing works until reset()");
        }
    }

    private void checkAliveLocked() throws SimulatedCrashException {
        synchronized (lock) {
            checkAlive();
        }
    }

    // ------------------------------------------------------------------ internals

    private void crashLocked(CrashMode mode, String reason) throws IOException {
        if (crashReason != null) {
            return;
        }
        crashEpoch++;
        record("crash " + mode + ": " + reason);
        for (FaultInjectingStorageFile file : new ArrayList<>(openFiles)) {
            file.closeInnerQuietly();
        }
        openFiles.clear();
        for (FileModel model : new ArrayList<>(files.values())) {
            if (Files.exists(model.path) && !(model.pending.isEmpty() && model.sizeIsDurable())) {
                restoreDurableImage(model, mode);
            }
        }
        for (int i = directoryJournal.size() - 1; i >= 0; i--) {
            DirectoryChange change = directoryJournal.get(i);
            if (change instanceof DirectoryChange.Created created) {
                Files.deleteIfExists(created.path());
                files.remove(created.path());
            } else if (change instanceof DirectoryChange.Renamed renamed) {
                target.rename(renamed.destination(), renamed.source());
                moveModel(renamed.destination(), renamed.source());
            } else if (change instanceof DirectoryChange.Deleted deleted) {
                target.rename(deleted.trash(), deleted.path());
                moveModel(deleted.trash(), deleted.path());
            }
        }
        directoryJournal.clear();
        crashReason = reason;
    }

    /** Undoes every pending change of a file, re-applies some as {@code mode} says, cuts to the durable size. */
    private void restoreDurableImage(FileModel model, CrashMode mode) throws IOException {
        try (StorageFile file = target.open(model.path, new OpenOptions(FileRole.DATA, CreateMode.OPEN_EXISTING, false, 0))) {
            List<PendingChange> pending = model.pending;
            for (int i = pending.size() - 1; i >= 0; i--) {
                PendingChange change = pending.get(i);
                if (change instanceof PendingChange.Write write) {
                    writeBytes(file, write.fileOffset(), write.before());
                } else if (change instanceof PendingChange.Resize resize) {
                    if (resize.newSizeBytes() < resize.oldSizeBytes()) {
                        writeBytes(file, resize.tailOffset(), resize.tailBefore());
                    } else {
                        file.truncate(resize.oldSizeBytes());
                    }
                }
            }
            int sectorBytes = Math.max(512, model.capabilities.offsetAlignmentBytes());
            for (PendingChange change : pending) {
                if (change instanceof PendingChange.Write write) {
                    reapply(file, write, mode, sectorBytes);
                }
            }
            if (file.sizeBytes() != model.durableSizeBytes) {
                file.truncate(model.durableSizeBytes);
            }
            file.sync(SyncLevel.DATA_AND_METADATA);
        }
        model.pending.clear();
    }

    private void reapply(StorageFile file, PendingChange.Write write, CrashMode mode, int sectorBytes) throws IOException {
        byte[] after = write.after();
        switch (mode) {
            case DROP_ALL_UNSYNCED:
                return;
            case DROP_RANDOM_SUBSET:
                if (random.nextBoolean()) {
                    writeBytes(file, write.fileOffset(), after);
                }
                return;
            case TEAR_SECTORS:
                for (int start = 0; start < after.length; start += sectorBytes) {
                    if (random.nextBoolean()) {
                        int end = Math.min(after.length, start + sectorBytes);
                        writeBytes(file, write.fileOffset() + start, java.util.Arrays.copyOfRange(after, start, end));
                    }
                }
                return;
            case PER_WRITE_RANDOM:
                int choice = random.nextInt(3);
                if (choice == 0) {
                    writeBytes(file, write.fileOffset(), after);
                } else if (choice == 2) {
                    byte[] garbage = new byte[after.length];
                    random.nextBytes(garbage);
                    writeBytes(file, write.fileOffset(), garbage);
                }
                return;
            default:
                throw new IllegalStateException("unknown crash mode " + mode);
        }
    }

    private Path moveToTrash(Path path) throws IOException {
        Path trash = path.resolveSibling(TRASH_PREFIX + (++trashCounter) + "-" + path.getFileName());
        target.rename(path, trash);
        moveModel(path, trash);
        return trash;
    }

    private void moveModel(Path from, Path to) {
        FileModel model = files.remove(from);
        if (model != null) {
            model.path = to;
            files.put(to, model);
        }
    }

    private void record(String event) {
        String line = event + " (seed " + seed + ")";
        if (faultLog.size() == FAULT_LOG_CAPACITY) {
            faultLog.removeFirst();
        }
        faultLog.addLast(line);
        LOG.log(System.Logger.Level.DEBUG, line);
    }

    /** Writes {@code bytes} at {@code fileOffset} through a buffer aligned for the file. */
    static void writeBytes(StorageFile file, long fileOffset, byte[] bytes) throws IOException {
        ByteBuffer buffer = alignedBuffer(file.capabilities(), bytes.length);
        buffer.put(bytes).flip();
        file.write(fileOffset, buffer);
    }

    /** Reads {@code lengthBytes} at {@code fileOffset} (zeros past the end). */
    static byte[] readBytes(StorageFile file, long fileOffset, int lengthBytes) throws IOException {
        ByteBuffer buffer = alignedBuffer(file.capabilities(), lengthBytes);
        file.read(fileOffset, buffer);
        buffer.flip();
        byte[] bytes = new byte[lengthBytes];
        buffer.get(bytes);
        return bytes;
    }

    static ByteBuffer alignedBuffer(IoCapabilities capabilities, int lengthBytes) {
        int alignment = Math.max(8, capabilities.bufferAlignmentBytes());
        return ByteBuffer.allocateDirect(lengthBytes + alignment).alignedSlice(alignment).limit(lengthBytes);
    }

    /** What the decorator knows about one file. Guarded by the backend's lock. */
    static final class FileModel {
        Path path;
        long durableSizeBytes;
        long currentSizeBytes;
        IoCapabilities capabilities;
        final List<PendingChange> pending = new ArrayList<>();

        FileModel(Path path, long durableSizeBytes) {
            this.path = path;
            this.durableSizeBytes = durableSizeBytes;
            this.currentSizeBytes = durableSizeBytes;
        }

        boolean sizeIsDurable() {
            return currentSizeBytes == durableSizeBytes;
        }
    }

    private static final class ArmedRule {
        final FaultRule rule;
        final long armedAtCount;

        ArmedRule(FaultRule rule, long armedAtCount) {
            this.rule = rule;
            this.armedAtCount = armedAtCount;
        }
    }
}
