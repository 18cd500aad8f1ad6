package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageLockedException;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeDirectoryTest {

    @TempDir
    Path root;

    private final StorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);

    @Test
    void newHomeMustGetLayoutOwnerOnlyPermissionsAndTheRequestedPageSize() throws Exception {
        Path home = root.resolve("home");
        try (HomeDirectory dir = HomeDirectory.open(home, backend, 8192)) {
            assertTrue(dir.created());
            assertEquals(8192, dir.pageSizeBytes());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.dataDirectory())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("cairn.format"))));
        }
        try (HomeDirectory again = HomeDirectory.open(home, backend, 0)) {
            assertFalse(again.created());
            assertEquals(8192, again.pageSizeBytes());
        }
    }

    @Test
    void secondEngineOnTheSameHomeMustFailNamingTheHoldersPid() throws Exception {
        Path home = root.resolve("home");
        try (HomeDirectory first = HomeDirectory.open(home, backend, 0)) {
            StorageLockedException e = assertThrows(StorageLockedException.class, () -> HomeDirectory.open(home, backend, 0));
            assertTrue(e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
        }
    }

    @Test
    void pageSizeOtherThanTheHomesMustBeRefusedAndReleaseTheLock() throws Exception {
        Path home = root.resolve("home");
        HomeDirectory.open(home, backend, 16384).close();
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> HomeDirectory.open(home, backend, 4096));
        assertEquals("invalid setting pageSizeBytes=4096: the home " + home + " was created with pageSizeBytes=16384;"
                + " allowed: 16384 (or 0 for the home's own)", e.getMessage());
        HomeDirectory.open(home, backend, 0).close(); // the failed open released the lock
    }

    @Test
    void unsupportedPageSizeMustBeRefused() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> HomeDirectory.open(root.resolve("home"), backend, 10000));
        assertEquals("invalid setting pageSizeBytes=10000: allowed: 4096, 8192, 16384, 32768 or 65536", e.getMessage());
    }
}
