package io.cairn.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.StorageLock;
import io.cairn.io.StorageLockedException;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link StorageBackend} and {@link io.cairn.io.StorageFile} as tests. A backend
 * passes by extending this class and implementing {@link #newBackend(Path)}:
 *
 * <pre>{@code
 * class MyBackendTest extends BaseStorageBackendTestCase {
 *     protected StorageBackend newBackend(Path root) { return new MyBackend(); }
 * }
 * }</pre>
 *
 * <p>Every transfer the kit makes is aligned to the backend's declared
 * {@link IoCapabilities#offsetAlignmentBytes()} and uses direct buffers aligned to
 * {@link IoCapabilities#bufferAlignmentBytes()}, so the same tests serve direct-I/O backends.
 * Randomised tests print their seed in failure messages; set {@code -Dcairn.testkit.seed=N} to
 * replay one.
 */
public abstract class BaseStorageBackendTestCase {

    /** A fresh directory per test, below {@link #baseDirectory()}; the backend's files live below it. */
    protected Path root;

    /** The backend under test, created before each test. */
    protected StorageBackend backend;

    private final List<StorageFile> opened = new ArrayList<>();
    private long seed;

    /** Creates the backend under test for files below {@code root}. */
    protected abstract StorageBackend newBackend(Path root) throws Exception;

    /**
     * Where the per-test directories are created: the JVM's temporary directory unless a subclass
     * runs the kit on another file system (see {@link MountedFileSystem}).
     */
    protected Path baseDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @BeforeEach
    void createBackend() throws Exception {
        seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
        root = Files.createTempDirectory(baseDirectory(), "cairn-kit-").toRealPath();
        backend = newBackend(root);
    }

    @AfterEach
    void closeOpenedFilesAndDeleteRoot() throws IOException {
        for (StorageFile file : opened) {
            file.close();
        }
        TestFiles.deleteRecursively(root);
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** Opens a file of role DATA with the kit's I/O unit and closes it after the test. */
    protected StorageFile open(String name, CreateMode mode) throws IOException {
        StorageFile file = backend.open(root.resolve(name), OpenOptions.of(FileRole.DATA, mode, unitBytes()));
        opened.add(file);
        return file;
    }

    /** The transfer unit the kit uses: 4 KiB, or the backend's alignment if larger. */
    protected int unitBytes() throws IOException {
        return Math.max(4096, backend.probe(root).offsetAlignmentBytes());
    }

    /** A direct buffer of {@code lengthBytes}, aligned for the backend, filled from {@code random}. */
    protected ByteBuffer randomBuffer(int lengthBytes, SplittableRandom random) throws IOException {
        ByteBuffer buffer = alignedBuffer(lengthBytes);
        byte[] bytes = new byte[lengthBytes];
        random.nextBytes(bytes);
        buffer.put(bytes).flip();
        return buffer;
    }

    /** A zeroed direct buffer of {@code lengthBytes}, aligned for the backend. */
    protected ByteBuffer alignedBuffer(int lengthBytes) throws IOException {
        int alignment = Math.max(backend.probe(root).bufferAlignmentBytes(), 8);
        return ByteBuffer.allocateDirect(lengthBytes + alignment).alignedSlice(alignment).limit(lengthBytes);
    }

    /** Reads {@code lengthBytes} at {@code fileOffset} into a fresh array. */
    protected byte[] readBytes(StorageFile file, long fileOffset, int lengthBytes) throws IOException {
        ByteBuffer buffer = alignedBuffer(lengthBytes);
        file.read(fileOffset, buffer);
        buffer.flip();
        byte[] bytes = new byte[lengthBytes];
        buffer.get(bytes);
        return bytes;
    }

    /** The seed of this test's randomness, for failure messages. */
    protected String seedMessage() {
        return "seed " + seed + " (replay with -Dcairn.testkit.seed=" + seed + ")";
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        copy.rewind();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void writesMustReadBackAtRandomAlignedOffsets() throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StorageFile file = open("roundtrip", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        byte[] model = new byte[64 * unit];
        for (int i = 0; i < 200; i++) {
            int units = 1 + random.nextInt(4);
            int fileOffset = random.nextInt(64 - units + 1) * unit;
            ByteBuffer data = randomBuffer(units * unit, random);
            byte[] bytes = toArray(data);
            file.write(fileOffset, data);
            assertFalse(data.hasRemaining(), "write must consume the whole buffer");
            System.arraycopy(bytes, 0, model, fileOffset, bytes.length);
        }
        long size = file.sizeBytes();
        assertArrayEquals(java.util.Arrays.copyOf(model, (int) size), readBytes(file, 0, (int) size), seedMessage());
    }

    @Test
    void readPastEndMustZeroFillAndReturnBytesThatExisted() throws IOException {
        StorageFile file = open("eof", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        ByteBuffer data = randomBuffer(unit, new SplittableRandom(seed));
        file.write(0, data);
        ByteBuffer dst = alignedBuffer(3 * unit);
        for (int i = 0; i < dst.limit(); i++) {
            dst.put(i, (byte) 0x5A); // stale contents that must not survive the read
        }
        assertEquals(unit, file.read(0, dst));
        assertFalse(dst.hasRemaining(), "read must fill the whole buffer");
        for (int i = unit; i < 3 * unit; i++) {
            assertEquals(0, dst.get(i), "byte " + i + " past end of file must read as zero");
        }
        ByteBuffer beyond = alignedBuffer(unit);
        assertEquals(0, file.read(10L * unit, beyond));
    }

    @Test
    void holesMustReadAsZerosAndWritesPastEndMustExtend() throws IOException {
        StorageFile file = open("holes", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        file.write(8L * unit, randomBuffer(unit, new SplittableRandom(seed)));
        assertEquals(9L * unit, file.sizeBytes());
        assertArrayEquals(new byte[8 * unit], readBytes(file, 0, 8 * unit));
    }

    @Test
    void truncateMustShrinkAndGrowAndSurviveReopen() throws IOException {
        StorageFile file = open("truncate", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        file.write(0, randomBuffer(4 * unit, new SplittableRandom(seed)));
        file.truncate(unit);
        assertEquals(unit, file.sizeBytes());
        file.truncate(3L * unit);
        assertEquals(3L * unit, file.sizeBytes());
        assertArrayEquals(new byte[2 * unit], readBytes(file, unit, 2 * unit), "grown part must be zeros");
        file.sync(SyncLevel.DATA_AND_METADATA);
        file.close();
        StorageFile again = open("truncate", CreateMode.OPEN_EXISTING);
        assertEquals(3L * unit, again.sizeBytes());
    }

    @Test
    void allocateMustExtendWithZerosAndKeepExistingData() throws IOException {
        StorageFile file = open("allocate", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        ByteBuffer data = randomBuffer(unit, new SplittableRandom(seed));
        byte[] bytes = toArray(data);
        file.write(0, data);
        file.allocate(0, 5L * unit);
        assertEquals(5L * unit, file.sizeBytes());
        assertArrayEquals(bytes, readBytes(file, 0, unit));
        assertArrayEquals(new byte[4 * unit], readBytes(file, unit, 4 * unit));
    }

    @Test
    void exclusiveCreateOfExistingFileMustFail() throws IOException {
        open("exists", CreateMode.CREATE_NEW);
        assertThrows(FileAlreadyExistsException.class, () -> open("exists", CreateMode.CREATE_NEW));
    }

    @Test
    void operationsOnMissingFilesMustThrowNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> open("missing", CreateMode.OPEN_EXISTING));
        assertThrows(NoSuchFileException.class, () -> backend.delete(root.resolve("missing")));
        assertThrows(NoSuchFileException.class, () -> backend.rename(root.resolve("missing"), root.resolve("x")));
        assertThrows(NoSuchFileException.class, () -> backend.list(root.resolve("no-dir")));
    }

    @Test
    void syncOfDirectoryMustNotCreateAnything() throws IOException {
        backend.syncDirectory(root);
        assertEquals(List.of(), backend.list(root));
        assertThrows(NoSuchFileException.class, () -> backend.syncDirectory(root.resolve("absent")));
        assertFalse(Files.exists(root.resolve("absent")));
    }

    @Test
    void renameMustReplaceTargetWithCompleteSourceContent() throws IOException {
        int unit = unitBytes();
        SplittableRandom random = new SplittableRandom(seed);
        StorageFile source = open("source", CreateMode.CREATE_NEW);
        ByteBuffer data = randomBuffer(2 * unit, random);
        byte[] bytes = toArray(data);
        source.write(0, data);
        source.sync(SyncLevel.DATA);
        source.close();
        open("target", CreateMode.CREATE_NEW).write(0, randomBuffer(unit, random));
        backend.rename(root.resolve("source"), root.resolve("target"));
        backend.syncDirectory(root);
        assertEquals(List.of("target"), backend.list(root));
        assertArrayEquals(bytes, readBytes(open("target", CreateMode.OPEN_EXISTING), 0, 2 * unit));
    }

    @Test
    void listMustBeSortedAndOmitDirectories() throws IOException {
        for (String name : new String[] {"c", "a", "b10", "b2"}) {
            open(name, CreateMode.CREATE_NEW);
        }
        backend.createDirectories(root.resolve("sub/dir"));
        assertEquals(List.of("a", "b10", "b2", "c"), backend.list(root));
        assertTrue(Files.isDirectory(root.resolve("sub/dir")));
    }

    @Test
    void closeMustBeIdempotentAndLaterUseMustThrowClosedChannel() throws IOException {
        StorageFile file = open("closed", CreateMode.CREATE_NEW);
        file.close();
        file.close();
        assertFalse(file.isOpen());
        ByteBuffer buffer = alignedBuffer(unitBytes());
        assertThrows(ClosedChannelException.class, () -> file.read(0, buffer));
        assertThrows(ClosedChannelException.class, () -> file.write(0, buffer));
        assertThrows(ClosedChannelException.class, () -> file.sync(SyncLevel.DATA));
        assertThrows(ClosedChannelException.class, file::sizeBytes);
    }

    @Test
    void interruptMustNotCloseTheFileAndMustKeepTheFlag() throws Exception {
        StorageFile file = open("interrupt", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        ByteBuffer data = randomBuffer(unit, new SplittableRandom(seed));
        byte[] bytes = toArray(data);
        Thread.currentThread().interrupt();
        try {
            file.write(0, data);
            file.sync(SyncLevel.DATA);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag must survive the call");
        } finally {
            Thread.interrupted();
        }
        assertTrue(file.isOpen());
        assertArrayEquals(bytes, readBytes(file, 0, unit));
    }

    @Test
    void concurrentWritesToDisjointRangesMustMatchASequentialModel() throws Exception {
        StorageFile file = open("concurrent", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        int threads = 4;
        int unitsPerThread = 32;
        byte[][] expected = new byte[threads * unitsPerThread][];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed + thread);
                    for (int i = 0; i < unitsPerThread; i++) {
                        int slot = i * threads + thread; // interleaved, never shared
                        ByteBuffer data = randomBuffer(unit, random);
                        expected[slot] = toArray(data);
                        file.write((long) slot * unit, data);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int slot = 0; slot < expected.length; slot++) {
            assertArrayEquals(expected[slot], readBytes(file, (long) slot * unit, unit), "slot " + slot + ", " + seedMessage());
        }
    }

    @Test
    void largeWritesMustRoundTrip() throws IOException {
        StorageFile file = open("large", CreateMode.CREATE_NEW);
        ByteBuffer data = randomBuffer(8 << 20, new SplittableRandom(seed));
        byte[] bytes = toArray(data);
        file.write(unitBytes(), data);
        assertArrayEquals(bytes, readBytes(file, unitBytes(), bytes.length), seedMessage());
    }

    @Test
    void secondLockMustFailNamingTheHolderAndCloseMustRelease() throws IOException {
        Path lockFile = root.resolve("lock");
        try (StorageLock lock = backend.lock(lockFile)) {
            assertTrue(lock.isValid());
            StorageLockedException refused = assertThrows(StorageLockedException.class, () -> backend.lock(lockFile));
            assertEquals(ProcessHandle.current().pid(), refused.holderPid().orElse(-1));
        }
        try (StorageLock again = backend.lock(lockFile)) {
            assertTrue(again.isValid());
        }
    }

    @Test
    void describeMustNameThePathAndTheBackend() throws IOException {
        StorageFile file = open("described", CreateMode.CREATE_NEW);
        assertTrue(file.describe().contains("described"), file.describe());
        assertTrue(file.describe().contains(backend.name()), file.describe());
        assertTrue(file.toString().contains("described"), "toString must name the file: " + file);
    }

    @Test
    void relativePathsMustBeRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> backend.open(Path.of("relative"), OpenOptions.of(FileRole.DATA, CreateMode.OPEN_OR_CREATE, 0)));
    }
}
