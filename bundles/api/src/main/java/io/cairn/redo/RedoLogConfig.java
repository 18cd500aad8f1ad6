package io.cairn.redo;

import io.cairn.io.StorageBackend;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a redo log is opened with.
 *
 * @param directory the home's {@code redo/} directory (absolute)
 * @param backend the backend the redo files are opened through
 * @param capacityBytes redo capacity: the most the current LSN may run ahead of the checkpoint
 * @param defaultDurability the durability of commits that do not name one
 * @param backgroundFlushIntervalMillis how often redo is written and synced for
 *     {@link CommitDurability#PERIODIC} and {@link CommitDurability#WRITE_ON_COMMIT} commits
 *     (InnoDB's {@code innodb_flush_log_at_timeout}, in milliseconds)
 * @param creator written into file headers, for example {@code "Cairn 1.0.0"}
 */
public record RedoLogConfig(
        Path directory,
        StorageBackend backend,
        long capacityBytes,
        CommitDurability defaultDurability,
        long backgroundFlushIntervalMillis,
        String creator) {

    public RedoLogConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(defaultDurability, "defaultDurability");
        Objects.requireNonNull(creator, "creator");
        if (capacityBytes <= 0 || backgroundFlushIntervalMillis <= 0) {
            throw new IllegalArgumentException("capacityBytes and backgroundFlushIntervalMillis must be > 0");
        }
    }
}
