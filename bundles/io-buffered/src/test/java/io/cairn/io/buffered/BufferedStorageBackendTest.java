package io.cairn.io.buffered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.IoCapabilities;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.testkit.BaseStorageBackendTestCase;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferedStorageBackendTest extends BaseStorageBackendTestCase {

    @Override
    protected StorageBackend newBackend(Path root) {
        return new BufferedStorageBackend(SyncMethod.FDATASYNC);
    }

    @Test
    void capabilitiesMustPromiseNothingBeyondThePageCache() throws Exception {
        IoCapabilities caps = backend.probe(root);
        assertEquals(1, caps.bufferAlignmentBytes());
        assertFalse(caps.direct());
        assertEquals(0, caps.atomicWriteUnitBytes());
        assertFalse(caps.writeDurableOnReturn());
        assertTrue(caps.needsSyncAfterResize());
        assertEquals("fdatasync", caps.facts().get("syncMethod"));
    }

    @Test
    void newFilesAndDirectoriesMustBeOwnerOnly() throws Exception {
        open("private", CreateMode.CREATE_NEW);
        backend.createDirectories(root.resolve("a/b"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("private"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b"))));
    }

    /**
     * An interrupt that arrives while another thread is inside a transfer closes a plain
     * FileChannel for everyone; the backend must reopen it so the file stays usable.
     */
    @Test
    void interruptOfAnotherThreadMustNotCloseTheFileUnderOthers() throws Exception {
        StorageFile file = open("shared", CreateMode.CREATE_NEW);
        int unit = unitBytes();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                ByteBuffer data = alignedBuffer(unit);
                started.countDown();
                // Writes until interrupted; every single write must succeed.
                for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    data.clear();
                    file.write((i % 256) * unit, data);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "interrupted-writer");
        writer.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        writer.interrupt();
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(writer.isAlive(), "writer must stop once interrupted");
        assertEquals(null, failure.get(), "the interrupted writer's I/O must not fail");
        assertTrue(file.isOpen());
        ByteBuffer after = randomBuffer(unit, new java.util.SplittableRandom(7));
        byte[] expected = new byte[unit];
        after.duplicate().get(expected);
        file.write(0, after);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, readBytes(file, 0, unit));
    }
}
