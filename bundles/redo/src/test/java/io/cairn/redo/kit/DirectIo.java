package io.cairn.redo.kit;

import io.cairn.io.CreateMode;
import io.cairn.io.DirectIoUnsupportedException;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether O_DIRECT works under a directory (tmpfs and some FUSE file systems refuse it), for redo
 * log tests that run on the direct backend too and must skip it where it cannot work.
 */
public final class DirectIo {

    private DirectIo() {
    }

    public static boolean supported(Path directory) throws Exception {
        Path probe = Files.createTempFile(directory, "odirect-probe", "");
        try (StorageFile f = new DirectStorageBackend(FlushMethod.O_DIRECT).open(probe,
                OpenOptions.of(FileRole.REDO, CreateMode.OPEN_EXISTING, 4096))) {
            return true;
        } catch (DirectIoUnsupportedException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }
}
