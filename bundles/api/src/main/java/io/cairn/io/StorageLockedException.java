package io.cairn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another holder owns the lock that {@link StorageBackend#lock(Path)} asked for. The message names
 * the holder's process id when the lock file records one, so an operator sees at once which
 * process to look at.
 */
public class StorageLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path lockFile;
    private final long holderPid;

    /**
     * @param holderPid the holder's process id, or -1 when unknown
     */
    public StorageLockedException(Path lockFile, long holderPid) {
        super(lockFile + " is locked by " + (holderPid > 0 ? "process " + holderPid : "another process")
                + "; is another Cairn engine using this home directory?");
        this.lockFile = lockFile;
        this.holderPid = holderPid;
    }

    /** The lock file. */
    public Path lockFile() {
        return lockFile;
    }

    /** The holder's process id, when known. */
    public OptionalLong holderPid() {
        return holderPid > 0 ? OptionalLong.of(holderPid) : OptionalLong.empty();
    }
}
