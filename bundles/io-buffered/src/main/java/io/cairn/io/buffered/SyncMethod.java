package io.cairn.io.buffered;

/**
 * How {@link BufferedStorageBackend} makes data durable, mirroring InnoDB's {@code fsync} and
 * {@code fdatasync} choices.
 */
public enum SyncMethod {
    /**
     * {@code sync(DATA)} uses {@code fdatasync} and {@code sync(DATA_AND_METADATA)} uses
     * {@code fsync}: each caller gets exactly the level it asked for.
     */
    FDATASYNC,
    /**
     * Every sync is a full {@code fsync}, for file systems whose {@code fdatasync} is suspected of
     * skipping metadata a read needs.
     */
    FSYNC
}
