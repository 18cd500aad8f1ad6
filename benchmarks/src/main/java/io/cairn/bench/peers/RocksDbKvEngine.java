package io.cairn.bench.peers;

import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (rocksdbjni) with its default options except the block cache size; every write uses
 * {@code WriteOptions.setSync(true)}, so the WAL is synced before the write returns.
 */
final class RocksDbKvEngine implements KvEngine {

    private final long cacheBytes;
    private LRUCache blockCache;
    private Options options;
    private WriteOptions syncWrites;
    private RocksDB db;
    /** Read from the options at open: after close the native options object is gone. */
    private boolean useFsync;

    RocksDbKvEngine(long cacheBytes) {
        this.cacheBytes = cacheBytes;
    }

    @Override
    public String id() {
        return "rocksdb";
    }

    @Override
    public String displayName() {
        return "RocksDB";
    }

    @Override
    public String version() {
        RocksDB.loadLibrary();
        return "rocksdbjni " + RocksDB.rocksdbVersion();
    }

    @Override
    public String settings() {
        String walSync = useFsync ? "fsync" : "fdatasync";
        return "WriteOptions.sync=true for every write (load batches and single puts); WAL on; use_fsync=" + useFsync
                + " (the WAL is synced with " + walSync + "); block cache LRUCache " + (cacheBytes >> 20)
                + " MiB; every other option at its default";
    }

    @Override
    public void open(Path dir) throws Exception {
        RocksDB.loadLibrary();
        blockCache = new LRUCache(cacheBytes);
        options = new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache));
        syncWrites = new WriteOptions().setSync(true);
        useFsync = options.useFsync();
        db = RocksDB.open(options, dir.toString());
    }

    @Override
    public Session openSession() {
        return new Session() {
            @Override
            public void loadBatch(byte[][] keys, byte[][] values) throws Exception {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = 0; i < keys.length; i++) {
                        batch.put(keys[i], values[i]);
                    }
                    db.write(syncWrites, batch);
                }
            }

            @Override
            public byte[] get(byte[] key) throws Exception {
                return db.get(key);
            }

            @Override
            public void putDurable(byte[] key, byte[] value) throws Exception {
                db.put(syncWrites, key, value);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
        if (syncWrites != null) {
            syncWrites.close();
        }
        if (options != null) {
            options.close();
        }
        if (blockCache != null) {
            blockCache.close();
        }
    }
}
