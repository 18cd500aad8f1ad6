package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.UnusableStorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwitchableFileTest {

    private static final int PAGE = 4096;

    @TempDir
    Path root;

    private final StorageBackend buffered = new BufferedStorageBackend(SyncMethod.FDATASYNC);

    private static ByteBuffer page(int value) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * PAGE).alignedSlice(PAGE).limit(PAGE);
        for (int i = 0; i < PAGE; i++) {
            buffer.put(i, (byte) value);
        }
        return buffer;
    }

    private static byte[] read(SwitchableFile file, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * PAGE).alignedSlice(PAGE).limit(PAGE);
        file.read(offset, buffer);
        byte[] bytes = new byte[PAGE];
        buffer.flip().get(bytes);
        return bytes;
    }

    @Test
    void switchUnderConcurrentWritesMustLoseNoWriteAndFailNone() throws Exception {
        SwitchableFile file = SwitchableFile.open(buffered, root.resolve("t"),
                OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, PAGE));
        StorageBackend other = new FaultInjectingStorageBackend(new BufferedStorageBackend(SyncMethod.FSYNC), 1);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            results.add(writers.submit(() -> {
                int writes = 0;
                while (!stop.get() || writes < 50) {
                    int slot = (writes % 64) * 2 + writer;
                    file.write((long) slot * PAGE, page(writes % 100));
                    writes++;
                }
                return writes;
            }));
        }
        for (int i = 0; i < 20; i++) {
            file.switchTo(i % 2 == 0 ? other : buffered, caps -> null);
        }
        stop.set(true);
        for (Future<Integer> result : results) {
            assertTrue(result.get(60, TimeUnit.SECONDS) >= 50);
        }
        writers.shutdown();
        assertSame(buffered, file.backend());
        file.write(0, page(7));
        assertArrayEquals(bytesOf(7), read(file, 0));
        file.close();
    }

    @Test
    void refusedCapabilitiesMustKeepTheOldBackend() throws IOException {
        SwitchableFile file = SwitchableFile.open(buffered, root.resolve("t"),
                OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, PAGE));
        file.write(0, page(3));
        IOException e = assertThrows(IOException.class,
                () -> file.switchTo(new BufferedStorageBackend(SyncMethod.FSYNC), caps -> "alignment 8192 exceeds the frames' 4096"));
        assertEquals("cannot move " + root.resolve("t") + " to backend 'buffered': alignment 8192 exceeds the frames' 4096",
                e.getMessage());
        assertSame(buffered, file.backend());
        assertArrayEquals(bytesOf(3), read(file, 0));
        file.close();
    }

    @Test
    void backendThatCannotOpenMustKeepTheOldBackend() throws IOException {
        SwitchableFile file = SwitchableFile.open(buffered, root.resolve("t"),
                OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, PAGE));
        assertThrows(IOException.class, () -> file.switchTo(new UnusableStorageBackend("gone", "bundle stopped"), caps -> null));
        file.write(0, page(4));
        assertArrayEquals(bytesOf(4), read(file, 0));
        file.close();
    }

    /** Field report 2: the extension must survive a power loss without a later sync by the caller. */
    @Test
    void extendDurablyMustSurviveAPowerLoss() throws IOException {
        FaultInjectingStorageBackend faulty = new FaultInjectingStorageBackend(buffered, 5);
        Path path = root.resolve("t");
        SwitchableFile file = SwitchableFile.open(faulty, path, OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, PAGE));
        faulty.syncDirectory(root);
        file.extendDurably(64L * PAGE);
        faulty.crash(CrashMode.DROP_ALL_UNSYNCED);
        assertEquals(64L * PAGE, java.nio.file.Files.size(path));
    }

    private static byte[] bytesOf(int value) {
        byte[] bytes = new byte[PAGE];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
