package io.cairn.io.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.DirectIoUnsupportedException;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.testkit.MountedFileSystem;
import io.cairn.testkit.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The direct backend on a file system that refuses {@code O_DIRECT}: ramfs, which has no direct-I/O
 * support in any kernel so far (tmpfs refused only before Linux 6.6), is built into every kernel,
 * and mounts without tools. Mounting it needs root, as the loop images of the other file-system
 * tests do, so CI requires it; should a kernel ever accept O_DIRECT on ramfs, the tests skip
 * saying so.
 */
class DirectOnRamfsTest {

    @RegisterExtension
    static final MountedFileSystem RAMFS = MountedFileSystem.of("ramfs");

    private Path directory;

    @BeforeEach
    void createDirectory() throws Exception {
        directory = Files.createTempDirectory(RAMFS.mountPoint(), "direct-").toRealPath();
        DirectIoAssumptions.assumeDirectIoRefused(directory);
    }

    @AfterEach
    void deleteDirectory() throws Exception {
        TestFiles.deleteRecursively(directory);
    }

    /** Forced, so that O_DIRECT_NO_FSYNC gets past the write-cache check (ramfs has no device) to the open. */
    private static DirectStorageBackend backend(FlushMethod flushMethod) {
        return new DirectStorageBackend(flushMethod, true, DeviceFacts.system());
    }

    @ParameterizedTest
    @EnumSource(FlushMethod.class)
    void refusedODirectMustBeOneLineNamingTheFileSystemThePathTheSettingItsValueWhyAndWhatToUseInstead(
            FlushMethod flushMethod) {
        Path path = directory.resolve("t1.ibd");
        DirectIoUnsupportedException e = assertThrows(DirectIoUnsupportedException.class,
                () -> backend(flushMethod).open(path, OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 16384)));
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.contains("file system 'ramfs'"), message);
        assertTrue(message.contains(path.toString()), message);
        assertTrue(message.contains("flushMethod=" + flushMethod.name()), message);
        assertTrue(message.contains("EINVAL") && message.contains("refuses direct I/O"), message);
        assertTrue(message.contains("use the buffered backend (cairn.backend=buffered)"), message);
        assertEquals("ramfs", e.fileSystemType());
        assertEquals(path, e.path());
    }

    @Test
    void aRefusedExclusiveCreateMustLeaveNoFileSoThatAnotherBackendCanCreateIt() throws Exception {
        Path path = directory.resolve("redo0");
        OpenOptions options = OpenOptions.of(FileRole.REDO, CreateMode.CREATE_NEW, 4096);
        assertThrows(DirectIoUnsupportedException.class, () -> backend(FlushMethod.O_DSYNC).open(path, options));
        assertFalse(Files.exists(path), "open(2) created the file before it refused O_DIRECT; it must be gone");
        try (StorageFile file = new BufferedStorageBackend(SyncMethod.FDATASYNC).open(path, options)) {
            assertEquals(0, file.sizeBytes());
        }
    }

    @Test
    void aRefusedOpenOfAnExistingFileMustLeaveTheFileAndItsContentAlone() throws Exception {
        for (CreateMode mode : new CreateMode[] {CreateMode.OPEN_EXISTING, CreateMode.OPEN_OR_CREATE}) {
            Path path = directory.resolve("existing-" + mode);
            byte[] content = {1, 2, 3, 4};
            Files.write(path, content);
            assertThrows(DirectIoUnsupportedException.class, () -> backend(FlushMethod.O_DIRECT).open(path,
                    OpenOptions.of(FileRole.DATA, mode, 4096)));
            assertArrayEquals(content, Files.readAllBytes(path), mode.toString());
        }
    }
}
