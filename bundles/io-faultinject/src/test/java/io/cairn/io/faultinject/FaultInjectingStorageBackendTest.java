package io.cairn.io.faultinject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.NativeIoException;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the harness itself: each crash mode must really lose what it should (a harness that
 * silently kept everything would fail here) and must keep what was durable.
 */
class FaultInjectingStorageBackendTest {

    private static final int SECTOR = 512;

    @TempDir
    Path root;

    private FaultInjectingStorageBackend backend(long seed) {
        return new FaultInjectingStorageBackend(new BufferedStorageBackend(SyncMethod.FDATASYNC), seed);
    }

    private static byte[] filled(int lengthBytes, int value) {
        byte[] bytes = new byte[lengthBytes];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static void write(StorageFile file, long fileOffset, byte[] bytes) throws IOException {
        file.write(fileOffset, ByteBuffer.wrap(bytes));
    }

    private static byte[] read(Path path, long fileOffset, int lengthBytes) throws IOException {
        byte[] all = Files.readAllBytes(path);
        return Arrays.copyOfRange(all, (int) fileOffset, (int) fileOffset + lengthBytes);
    }

    private StorageFile create(FaultInjectingStorageBackend backend, String name) throws IOException {
        StorageFile file = backend.open(root.resolve(name), OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 0));
        backend.syncDirectory(root);
        return file;
    }

    @Test
    void dropAllMustLoseEveryUnsyncedWriteAndKeepEverySyncedOne() throws IOException {
        FaultInjectingStorageBackend backend = backend(1);
        StorageFile file = create(backend, "data");
        write(file, 0, filled(4096, 0xAA));
        file.sync(SyncLevel.DATA_AND_METADATA);
        write(file, 0, filled(1024, 0xBB));      // overwrites synced data, not synced itself
        write(file, 4096, filled(4096, 0xCC));   // extends the file, not synced
        assertTrue(backend.pendingChangeCount() > 0);

        backend.crash(CrashMode.DROP_ALL_UNSYNCED);

        Path path = root.resolve("data");
        assertEquals(4096, Files.size(path), "the unsynced extension must be gone");
        assertArrayEquals(filled(4096, 0xAA), read(path, 0, 4096), "synced data must survive, the overwrite must not");
    }

    @Test
    void crashedBackendMustRefuseWorkUntilReset() throws IOException {
        FaultInjectingStorageBackend backend = backend(2);
        StorageFile file = create(backend, "data");
        backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        assertThrows(SimulatedCrashException.class, () -> write(file, 0, filled(10, 1)));
        assertThrows(SimulatedCrashException.class, () -> backend.list(root));
        assertThrows(SimulatedCrashException.class,
                () -> backend.open(root.resolve("other"), OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 0)));
        backend.reset();
        assertEquals(List.of("data"), backend.list(root));
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> write(file, 0, filled(10, 1)),
                "handles from before the crash stay dead");
    }

    @Test
    void dataSyncWithoutMetadataSyncMustLoseTheExtendedSize() throws IOException {
        FaultInjectingStorageBackend backend = backend(3);
        StorageFile file = create(backend, "data");
        write(file, 0, filled(4096, 0x11));
        file.sync(SyncLevel.DATA_AND_METADATA);
        write(file, 4096, filled(4096, 0x22));
        file.sync(SyncLevel.DATA); // data durable, but the page cache backend needs a metadata sync for size

        backend.crash(CrashMode.DROP_ALL_UNSYNCED);

        assertEquals(4096, Files.size(root.resolve("data")), "MySQL Bug #45892: the new size was never made durable");
    }

    @Test
    void metadataSyncMustKeepTheExtendedSize() throws IOException {
        FaultInjectingStorageBackend backend = backend(4);
        StorageFile file = create(backend, "data");
        write(file, 0, filled(8192, 0x33));
        file.sync(SyncLevel.DATA_AND_METADATA);
        backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        assertArrayEquals(filled(8192, 0x33), Files.readAllBytes(root.resolve("data")));
    }

    @Test
    void tearSectorsMustLeaveEachSectorOldOrNewAndMixThem() throws IOException {
        FaultInjectingStorageBackend backend = backend(5);
        StorageFile file = create(backend, "data");
        int lengthBytes = 128 * SECTOR;
        write(file, 0, filled(lengthBytes, 0x01));
        file.sync(SyncLevel.DATA_AND_METADATA);
        write(file, 0, filled(lengthBytes, 0x02));

        backend.crash(CrashMode.TEAR_SECTORS);

        byte[] after = Files.readAllBytes(root.resolve("data"));
        int oldSectors = 0;
        int newSectors = 0;
        for (int s = 0; s < 128; s++) {
            byte[] sector = Arrays.copyOfRange(after, s * SECTOR, (s + 1) * SECTOR);
            if (Arrays.equals(sector, filled(SECTOR, 0x01))) {
                oldSectors++;
            } else if (Arrays.equals(sector, filled(SECTOR, 0x02))) {
                newSectors++;
            }
        }
        assertEquals(128, oldSectors + newSectors, "every sector must be old or new, never mixed inside");
        assertTrue(oldSectors > 0 && newSectors > 0, "a torn write mixes sectors: old " + oldSectors + ", new " + newSectors);
    }

    @Test
    void dropRandomSubsetMustKeepEachWriteWholeOrNotAtAllAndDropSome() throws IOException {
        FaultInjectingStorageBackend backend = backend(6);
        StorageFile file = create(backend, "data");
        int writes = 64;
        write(file, 0, filled(writes * 1024, 0));
        file.sync(SyncLevel.DATA_AND_METADATA);
        for (int i = 0; i < writes; i++) {
            write(file, i * 1024L, filled(1024, i + 1));
        }
        backend.crash(CrashMode.DROP_RANDOM_SUBSET);
        byte[] after = Files.readAllBytes(root.resolve("data"));
        int kept = 0;
        for (int i = 0; i < writes; i++) {
            byte[] range = Arrays.copyOfRange(after, i * 1024, (i + 1) * 1024);
            boolean isNew = Arrays.equals(range, filled(1024, i + 1));
            assertTrue(isNew || Arrays.equals(range, filled(1024, 0)), "write " + i + " must be whole or absent");
            kept += isNew ? 1 : 0;
        }
        assertTrue(kept > 0 && kept < writes, "some writes land and some vanish: kept " + kept);
    }

    @Test
    void perWriteRandomMustLandVanishOrLeaveGarbage() throws IOException {
        FaultInjectingStorageBackend backend = backend(7);
        StorageFile file = create(backend, "data");
        int writes = 60;
        write(file, 0, filled(writes * 1024, 0));
        file.sync(SyncLevel.DATA_AND_METADATA);
        for (int i = 0; i < writes; i++) {
            write(file, i * 1024L, filled(1024, i + 1));
        }
        backend.crash(CrashMode.PER_WRITE_RANDOM);
        byte[] after = Files.readAllBytes(root.resolve("data"));
        int landed = 0;
        int vanished = 0;
        int garbage = 0;
        for (int i = 0; i < writes; i++) {
            byte[] range = Arrays.copyOfRange(after, i * 1024, (i + 1) * 1024);
            if (Arrays.equals(range, filled(1024, i + 1))) {
                landed++;
            } else if (Arrays.equals(range, filled(1024, 0))) {
                vanished++;
            } else {
                garbage++;
            }
        }
        assertTrue(landed > 0 && vanished > 0 && garbage > 0,
                "landed " + landed + ", vanished " + vanished + ", garbage " + garbage);
    }

    @Test
    void createWithoutDirectorySyncMustVanishAndWithItMustStay() throws IOException {
        FaultInjectingStorageBackend backend = backend(8);
        StorageFile kept = create(backend, "kept");
        kept.sync(SyncLevel.DATA_AND_METADATA);
        StorageFile lost = backend.open(root.resolve("lost"), OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 0));
        lost.sync(SyncLevel.DATA_AND_METADATA); // the file's data is synced, its directory entry is not
        backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        assertTrue(Files.exists(root.resolve("kept")));
        assertFalse(Files.exists(root.resolve("lost")));
    }

    @Test
    void deleteAndRenameWithoutDirectorySyncMustBeRolledBack() throws IOException {
        FaultInjectingStorageBackend backend = backend(9);
        StorageFile a = create(backend, "a");
        write(a, 0, filled(100, 0xA));
        a.sync(SyncLevel.DATA_AND_METADATA);
        StorageFile b = create(backend, "b");
        write(b, 0, filled(100, 0xB));
        b.sync(SyncLevel.DATA_AND_METADATA);
        a.close();
        b.close();
        backend.delete(root.resolve("a"));
        backend.rename(root.resolve("b"), root.resolve("c"));
        assertEquals(List.of("c"), backend.list(root));

        backend.crash(CrashMode.DROP_ALL_UNSYNCED);

        assertArrayEquals(filled(100, 0xA), Files.readAllBytes(root.resolve("a")));
        assertArrayEquals(filled(100, 0xB), Files.readAllBytes(root.resolve("b")));
        assertFalse(Files.exists(root.resolve("c")));
    }

    @Test
    void deleteWithDirectorySyncMustBeFinal() throws IOException {
        FaultInjectingStorageBackend backend = backend(10);
        create(backend, "a").close();
        backend.delete(root.resolve("a"));
        backend.syncDirectory(root);
        backend.crash(CrashMode.DROP_ALL_UNSYNCED);
        try (var entries = Files.list(root)) {
            assertEquals(0, entries.count(), "neither the file nor its trash copy may remain");
        }
    }

    @Test
    void armedCrashMustHappenAtTheNthMatchingSync() throws IOException {
        FaultInjectingStorageBackend backend = backend(11);
        StorageFile data = create(backend, "t1.ibd");
        StorageFile log = create(backend, "redo.log");
        backend.crashAtSync(2, "*.ibd", CrashMode.DROP_ALL_UNSYNCED);
        write(data, 0, filled(512, 1));
        data.sync(SyncLevel.DATA_AND_METADATA);
        log.sync(SyncLevel.DATA); // does not match the glob
        write(data, 512, filled(512, 2));
        assertThrows(SimulatedCrashException.class, () -> data.sync(SyncLevel.DATA_AND_METADATA));
        assertTrue(backend.isCrashed());
        assertEquals(512, Files.size(root.resolve("t1.ibd")), "the crashing sync must not take effect");
    }

    @Test
    void countdownFaultMustFailExactlyTheNthWriteOnce() throws IOException {
        FaultInjectingStorageBackend backend = backend(12);
        StorageFile file = create(backend, "data");
        backend.inject(FaultRule.once(OperationClass.WRITE, FaultKind.EIO, 2));
        write(file, 0, filled(10, 1));
        NativeIoException e = assertThrows(NativeIoException.class, () -> write(file, 10, filled(10, 2)));
        assertEquals(NativeIoException.EIO, e.errno());
        assertTrue(e.getMessage().contains("seed 12"), e.getMessage());
        write(file, 10, filled(10, 3));
        assertEquals(20, file.sizeBytes());
        assertEquals(1, backend.faultLog().size());
    }

    @Test
    void persistentFaultMustFailEveryLaterOperation() throws IOException {
        FaultInjectingStorageBackend backend = backend(13);
        StorageFile file = create(backend, "data");
        backend.inject(FaultRule.from(OperationClass.SYNC, FaultKind.ENOSPC, 1));
        for (int i = 0; i < 3; i++) {
            NativeIoException e = assertThrows(NativeIoException.class, () -> file.sync(SyncLevel.DATA));
            assertEquals(NativeIoException.ENOSPC, e.errno());
        }
    }

    @Test
    void shortWriteMustTransferWholeSectorsOfTheFirstHalfAndFail() throws IOException {
        FaultInjectingStorageBackend backend = backend(14);
        StorageFile file = create(backend, "data");
        backend.inject(FaultRule.once(OperationClass.WRITE, FaultKind.SHORT_WRITE, 1));
        assertThrows(NativeIoException.class, () -> write(file, 0, filled(4096, 7)));
        assertEquals(2048, file.sizeBytes());
    }

    @Test
    void bitFlipMustChangeExactlyOneBitOfTheDataRead() throws IOException {
        FaultInjectingStorageBackend backend = backend(15);
        StorageFile file = create(backend, "data");
        write(file, 0, filled(4096, 0));
        backend.inject(FaultRule.once(OperationClass.READ, FaultKind.BIT_FLIP, 1));
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        file.read(0, buffer);
        int bits = 0;
        for (byte b : buffer.array()) {
            bits += Integer.bitCount(b & 0xFF);
        }
        assertEquals(1, bits);
    }

    @Test
    void sameSeedMustInjectTheSameFaults() throws IOException {
        List<String> first = runRandomFaults(16, "first");
        List<String> second = runRandomFaults(16, "second");
        assertEquals(first.size(), second.size());
        assertFalse(first.isEmpty());
        List<String> other = runRandomFaults(17, "third");
        assertNotEquals(first.stream().map(s -> s.replaceAll(" on .*", "")).toList(),
                other.stream().map(s -> s.replaceAll(" on .*", "")).toList());
    }

    private List<String> runRandomFaults(long seed, String name) throws IOException {
        FaultInjectingStorageBackend backend = backend(seed);
        StorageFile file = create(backend, name);
        backend.inject(FaultRule.randomly(OperationClass.WRITE, FaultKind.EIO, 0.3));
        for (int i = 0; i < 100; i++) {
            try {
                write(file, i, filled(1, i));
            } catch (NativeIoException expected) {
                // counted in the fault log
            }
        }
        return backend.faultLog().stream().map(s -> s.replace(root.resolve(name).toString(), "")).toList();
    }
}
