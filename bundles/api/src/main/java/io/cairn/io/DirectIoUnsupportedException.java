package io.cairn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The file system refused direct I/O for a file (for example {@code EINVAL} from
 * {@code open(O_DIRECT)} on tmpfs or some FUSE file systems). The backend reports it and does not
 * fall back by itself: whether to use another backend is the engine's decision.
 */
public class DirectIoUnsupportedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String fileSystemType;

    public DirectIoUnsupportedException(Path path, String fileSystemType, String detail) {
        super("direct I/O is not supported for " + path + " on file system '" + fileSystemType + "': " + detail);
        this.path = path;
        this.fileSystemType = fileSystemType;
    }

    /** The file that could not be opened for direct I/O. */
    public Path path() {
        return path;
    }

    /** The type of the file system that refused, as found in the mount table. */
    public String fileSystemType() {
        return fileSystemType;
    }
}
