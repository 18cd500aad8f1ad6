package io.cairn.io.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.testkit.BaseStorageBackendTestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance kit with {@link FlushMethod#O_DIRECT_NO_FSYNC} (forced, because test machines
 * rarely have write-through devices), and the refusal on a write-back device.
 */
class DirectNoFsyncStorageBackendTest extends BaseStorageBackendTestCase {

    @TempDir
    Path fakeSysfs;

    @Override
    protected StorageBackend newBackend(Path root) throws Exception {
        DirectIoAssumptions.assumeDirectIo(root);
        return new DirectStorageBackend(FlushMethod.O_DIRECT_NO_FSYNC, true, DeviceFacts.system());
    }

    @Test
    void noFsyncMustBeRefusedOnAWriteBackDeviceNamingSettingValueAndWhy() throws Exception {
        String device = DeviceFacts.system().deviceNumber(root);
        Path queue = fakeSysfs.resolve("dev/block/" + device + "/queue");
        Files.createDirectories(queue);
        Files.writeString(queue.resolve("write_cache"), "write back\n");
        DirectStorageBackend strict = new DirectStorageBackend(FlushMethod.O_DIRECT_NO_FSYNC, false, new DeviceFacts(fakeSysfs));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> strict.open(root.resolve("refused"), OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 4096)));
        assertTrue(e.getMessage().startsWith("invalid setting flushMethod=O_DIRECT_NO_FSYNC: the device " + device),
                e.getMessage());
        assertTrue(e.getMessage().contains("volatile (write back) write cache"), e.getMessage());
        assertTrue(Files.notExists(root.resolve("refused")), "a refused open must not create the file");
    }

    @Test
    void noFsyncMustBeAcceptedOnAWriteThroughDevice() throws Exception {
        String device = DeviceFacts.system().deviceNumber(root);
        Path queue = fakeSysfs.resolve("dev/block/" + device + "/queue");
        Files.createDirectories(queue);
        Files.writeString(queue.resolve("write_cache"), "write through\n");
        DirectStorageBackend strict = new DirectStorageBackend(FlushMethod.O_DIRECT_NO_FSYNC, false, new DeviceFacts(fakeSysfs));
        try (var file = strict.open(root.resolve("accepted"), OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 4096))) {
            assertEquals("write-through", file.capabilities().facts().get("writeCache"));
        }
    }

    @Test
    void unknownFlushMethodMustBeRejectedWithTheAllowedValues() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> DirectStorageBackend.parseFlushMethod("flushMethod", "O_DIRCT"));
        assertEquals("invalid setting flushMethod=O_DIRCT: allowed: O_DIRECT, O_DIRECT_NO_FSYNC or O_DSYNC", e.getMessage());
    }
}
