package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.DirectIoUnsupportedException;
import io.cairn.io.FileRole;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Field report 1: a direct transfer failing with ENOMEM, EINVAL or EIO moves the file to buffered
 * I/O for good, with one warning and no lost data, never a crash. The directory is on the local
 * file system, which the replayed environment presents as an OpenZFS 2.3.3 dataset, so the real
 * direct backend serves the direct path and an injector makes it fail.
 */
class ZfsRuntimeFallbackTest {

    private static final int PAGE = 16384;

    private Path root;
    private ErrnoInjectingBackend direct;
    private ZfsStorageBackend backend;
    private final List<StorageFile> opened = new ArrayList<>();
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Logger julLogger = Logger.getLogger(ZfsStorageBackend.LOGGER_NAME);
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("cairn-zfs-fallback-").toRealPath();
        assumeDirectIo(root);
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs("2.3.3-1", root, "tank/db", PAGE)
                .typicalDataProperties("standard").tunable("zfs_dio_enabled", 1);
        direct = new ErrnoInjectingBackend(new DirectStorageBackend(FlushMethod.O_DIRECT));
        backend = new ZfsStorageBackend(ZfsSettings.defaults().withPropertyCacheMillis(0), env, direct);
        julLogger.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws IOException {
        julLogger.removeHandler(capture);
        for (StorageFile file : opened) {
            file.close();
        }
        TestFiles.deleteRecursively(root);
    }

    private static void assumeDirectIo(Path directory) throws IOException {
        Path probe = directory.resolve("odirect-probe");
        try {
            new DirectStorageBackend(FlushMethod.O_DIRECT).open(probe, OpenOptions.of(FileRole.DATA,
                    CreateMode.CREATE_NEW, PAGE)).close();
        } catch (DirectIoUnsupportedException e) {
            assumeTrue(false, "the direct path needs O_DIRECT on " + directory + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private StorageFile open(String name, CreateMode mode) throws IOException {
        StorageFile file = backend.open(root.resolve(name), OpenOptions.of(FileRole.DATA, mode, PAGE));
        opened.add(file);
        return file;
    }

    private static ByteBuffer page(long seed) {
        byte[] bytes = new byte[PAGE];
        new SplittableRandom(seed).nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * PAGE).alignedSlice(4096).limit(PAGE);
        buffer.put(bytes).flip();
        return buffer;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        copy.rewind();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static byte[] read(StorageFile file, long fileOffset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * PAGE).alignedSlice(4096).limit(PAGE);
        file.read(fileOffset, buffer);
        return bytes(buffer);
    }

    @ParameterizedTest(name = "errno {0}")
    @ValueSource(ints = {NativeIoException.ENOMEM, NativeIoException.EINVAL, NativeIoException.EIO})
    void directWriteFailingWithFallbackErrnoMustMoveTheFileToBufferedIoWithOneWarningAndIntactData(int errno)
            throws Exception {
        StorageFile file = open("t1.ibd", CreateMode.CREATE_NEW);
        assertTrue(file.capabilities().direct(), file.capabilities().facts().toString());
        assertEquals("direct(O_DIRECT)", file.capabilities().facts().get("chosenPath"));
        ByteBuffer a = page(1);
        ByteBuffer b = page(2);
        ByteBuffer c = page(3);
        file.write(0, a);

        direct.failNext(ErrnoInjectingBackend.Operation.WRITE, errno);
        file.write(PAGE, b);
        assertFalse(b.hasRemaining(), "the retried write must consume the whole buffer");
        assertEquals(1, direct.injected.get());
        assertEquals(1, direct.closes.get(), "the direct handle must be closed after the switch");
        String name = ZfsStorageBackend.errnoName(errno);
        assertTrue(file.describe().contains("buffered(syncMethod=fsync) (moved from direct I/O after pwrite failed with "
                + name + ")"), file.describe());

        int directTransfers = direct.transfers.get();
        file.write(2L * PAGE, c);
        file.sync(SyncLevel.DATA_AND_METADATA);
        assertEquals(directTransfers, direct.transfers.get(), "later transfers must not touch the direct path");

        assertArrayEquals(bytes(a), read(file, 0));
        assertArrayEquals(bytes(b), read(file, PAGE));
        assertArrayEquals(bytes(c), read(file, 2L * PAGE));
        byte[] onDisk = Files.readAllBytes(root.resolve("t1.ibd"));
        assertEquals(3 * PAGE, onDisk.length);
        assertArrayEquals(bytes(b), java.util.Arrays.copyOfRange(onDisk, PAGE, 2 * PAGE));

        assertEquals(1, warnings.size(), "exactly one warning: " + warnings);
        String message = warnings.get(0).getMessage();
        assertTrue(message.contains(root.resolve("t1.ibd").toString()), message);
        assertTrue(message.contains("pwrite failed with " + name), message);
        assertTrue(message.contains("OpenZFS 2.3.3-1"), message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void concurrentWritersMustAllSucceedWhenTheFileSwitchesUnderThem() throws Exception {
        StorageFile file = open("t8.ibd", CreateMode.CREATE_NEW);
        int threads = 4;
        int pagesPerThread = 32;
        byte[][] expected = new byte[threads * pagesPerThread][];
        direct.failNth(ErrnoInjectingBackend.Operation.WRITE, 40, NativeIoException.ENOMEM);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < pagesPerThread; i++) {
                        int slot = i * threads + thread;
                        ByteBuffer data = page(1000 + slot);
                        expected[slot] = bytes(data);
                        file.write((long) slot * PAGE, data);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, direct.injected.get());
        for (int slot = 0; slot < expected.length; slot++) {
            assertArrayEquals(expected[slot], read(file, (long) slot * PAGE), "page " + slot);
        }
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void directReadFailingWithEnomemMustBeRetriedBuffered() throws Exception {
        StorageFile file = open("t2.ibd", CreateMode.CREATE_NEW);
        ByteBuffer a = page(7);
        file.write(0, a);
        direct.failNext(ErrnoInjectingBackend.Operation.READ, NativeIoException.ENOMEM);
        assertArrayEquals(bytes(a), read(file, 0));
        assertTrue(file.describe().contains("after pread failed with ENOMEM"), file.describe());
        assertEquals(1, warnings.size());
    }

    @Test
    void theFileMustStayBufferedForTheRestOfItsLifeWithoutAnotherWarning() throws Exception {
        StorageFile file = open("t3.ibd", CreateMode.CREATE_NEW);
        file.write(0, page(1));
        direct.failNext(ErrnoInjectingBackend.Operation.WRITE, NativeIoException.EINVAL);
        ByteBuffer b = page(2);
        file.write(0, b);
        file.close();
        int opensBefore = direct.opens.get();

        StorageFile again = open("t3.ibd", CreateMode.OPEN_EXISTING);
        assertEquals(opensBefore, direct.opens.get(), "the reopened file must not use the direct path");
        assertFalse(again.capabilities().direct());
        assertTrue(again.capabilities().facts().get("reason").contains("direct I/O failed on this file before"
                + " (pwrite failed with EINVAL)"), again.capabilities().facts().get("reason"));
        assertArrayEquals(bytes(b), read(again, 0));
        assertEquals(1, warnings.size(), "still one warning: " + warnings);

        // Another file is not affected.
        assertTrue(open("t4.ibd", CreateMode.CREATE_NEW).capabilities().direct());
    }

    @Test
    void otherErrnosMustFailTheTransferAndKeepTheDirectPath() throws Exception {
        StorageFile file = open("t5.ibd", CreateMode.CREATE_NEW);
        direct.failNext(ErrnoInjectingBackend.Operation.WRITE, NativeIoException.ENOSPC);
        NativeIoException e = assertThrows(NativeIoException.class, () -> file.write(0, page(1)));
        assertEquals(NativeIoException.ENOSPC, e.errno());
        assertEquals(0, direct.closes.get());
        assertTrue(file.describe().contains("direct(O_DIRECT)"), file.describe());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aFailedSyncMustNeverBeHiddenByTheFallback() throws Exception {
        StorageFile file = open("t6.ibd", CreateMode.CREATE_NEW);
        file.write(0, page(1));
        direct.failNext(ErrnoInjectingBackend.Operation.SYNC, NativeIoException.EIO);
        NativeIoException e = assertThrows(NativeIoException.class, () -> file.sync(SyncLevel.DATA));
        assertEquals(NativeIoException.EIO, e.errno());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void closedFileMustStayClosedAfterAFallback() throws Exception {
        StorageFile file = open("t7.ibd", CreateMode.CREATE_NEW);
        direct.failNext(ErrnoInjectingBackend.Operation.WRITE, NativeIoException.EIO);
        file.write(0, page(1));
        file.close();
        assertFalse(file.isOpen());
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> file.write(0, page(2)));
        assertThrows(java.nio.channels.ClosedChannelException.class, file::sizeBytes);
    }
}
