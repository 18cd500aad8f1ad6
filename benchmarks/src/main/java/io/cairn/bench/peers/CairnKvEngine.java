package io.cairn.bench.peers;

import io.cairn.embedded.Cairn;
import io.cairn.embedded.CairnOptions;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import io.cairn.redo.CommitDurability;
import java.nio.file.Path;

/** Cairn through its embedded API, every commit SYNC_ON_COMMIT. */
final class CairnKvEngine implements KvEngine {

    private final long cacheBytes;
    private final CairnOptions options;
    private KeyValueStore store;
    private Table table;

    CairnKvEngine(long cacheBytes) {
        this.cacheBytes = cacheBytes;
        // The redo log is as big as the pool so that the load is not throttled by a small log
        // (the default is 100 MiB); the rest are the embedded defaults.
        this.options = CairnOptions.defaults()
                .withBufferPoolSizeBytes(cacheBytes)
                .withRedoCapacityBytes(cacheBytes)
                .withDurability(CommitDurability.SYNC_ON_COMMIT);
    }

    @Override
    public String id() {
        return "cairn";
    }

    @Override
    public String displayName() {
        return "Cairn";
    }

    @Override
    public String version() {
        String version = Cairn.class.getPackage().getImplementationVersion();
        return "embedded " + (version != null ? version : "1.0.0-SNAPSHOT (this tree)");
    }

    @Override
    public String settings() {
        return "durability SYNC_ON_COMMIT (each put and each batch is synced with fdatasync before it returns),"
                + " buffer pool " + (cacheBytes >> 20) + " MiB, redo " + (cacheBytes >> 20) + " MiB, " + options;
    }

    @Override
    public void open(Path dir) {
        store = Cairn.open(dir, options);
        table = store.createTable("bench");
    }

    @Override
    public Session openSession() {
        return new Session() {
            // A batch may be cleared and reused; one per thread keeps its buffers warm.
            private final WriteBatch batch = store.newBatch();

            @Override
            public void loadBatch(byte[][] keys, byte[][] values) {
                for (int i = 0; i < keys.length; i++) {
                    batch.put(table, keys[i], values[i]);
                }
                store.write(batch);
                batch.clear();
            }

            @Override
            public byte[] get(byte[] key) {
                return table.get(key);
            }

            @Override
            public void putDurable(byte[] key, byte[] value) {
                table.put(key, value);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
