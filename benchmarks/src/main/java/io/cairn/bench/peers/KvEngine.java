package io.cairn.bench.peers;

import java.nio.file.Path;

/**
 * One engine under test, behind the few operations the peer workloads need. An engine is opened
 * once on its own empty directory, used through {@link Session}s, and closed.
 *
 * <p>Every adapter must make {@link Session#loadBatch} and {@link Session#putDurable} durable in
 * the same sense: when the call returns, the change has been handed to the disk with fsync or
 * fdatasync, so it survives a power loss. {@link #settings()} says how the engine was told so.
 */
interface KvEngine extends AutoCloseable {

    /** The id used by {@code --engines} and in the tables: cairn, rocksdb, lmdb, h2, je, sqlite. */
    String id();

    /** The product name, e.g. "RocksDB". */
    String displayName();

    /** The library version actually loaded (and the native library's, where there is one). */
    String version();

    /** The settings that matter for the comparison: durability mode, cache size, sync settings. */
    String settings();

    /** Opens (creating) the engine in {@code dir}, which exists and is empty. */
    void open(Path dir) throws Exception;

    /**
     * A handle for one thread. The caller creates it on the thread that will use it and uses it
     * from that thread only (LMDB read transactions and SQLite connections are per thread).
     */
    Session openSession() throws Exception;

    /** Closes the engine; every session has been closed before. */
    @Override
    void close() throws Exception;

    /** The per-thread operations. Arrays passed in are fresh and never reused by the caller. */
    interface Session extends AutoCloseable {

        /** Puts every key with its value in one atomic, durable commit. */
        void loadBatch(byte[][] keys, byte[][] values) throws Exception;

        /** The value under {@code key}, or null when there is none. */
        byte[] get(byte[] key) throws Exception;

        /** Puts one key in its own durable commit. */
        void putDurable(byte[] key, byte[] value) throws Exception;

        @Override
        void close() throws Exception;
    }
}
