package io.cairn.io.faultinject;

/**
 * What a simulated power loss does to writes that were not yet durable (SQLite's crash VFS and
 * RocksDB's fault-injection file system model the same choices).
 */
public enum CrashMode {
    /** Every write and size change since the last covering sync is lost. */
    DROP_ALL_UNSYNCED,
    /** Each unsynced write independently lands completely or is lost completely. */
    DROP_RANDOM_SUBSET,
    /** Each sector of each unsynced write independently has its new or its old contents. */
    TEAR_SECTORS,
    /** Each unsynced write independently lands, is lost, or leaves garbage over all its sectors. */
    PER_WRITE_RANDOM
}
