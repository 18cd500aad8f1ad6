package io.cairn.bench.peers;

import java.nio.file.Path;
import org.h2.engine.Constants;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;

/**
 * H2's MVStore (the key-value layer under H2's SQL engine) with auto-commit disabled. A durable
 * commit is {@code commit()} (writes the new chunk to the file) followed by {@code sync()}
 * (FileChannel.force(true), i.e. fsync): {@code commit()} alone does not sync.
 */
final class H2MvStoreKvEngine implements KvEngine {

    private final long cacheBytes;
    private MVStore store;
    private MVMap<byte[], byte[]> map;

    H2MvStoreKvEngine(long cacheBytes) {
        this.cacheBytes = cacheBytes;
    }

    @Override
    public String id() {
        return "h2";
    }

    @Override
    public String displayName() {
        return "H2 MVStore";
    }

    @Override
    public String version() {
        return "h2 " + Constants.FULL_VERSION;
    }

    @Override
    public String settings() {
        return "MVStore on one file, autoCommitDisabled (no background writer), each durable commit ="
                + " store.commit() then store.sync() (FileChannel.force(true): fsync); cacheSize "
                + (cacheBytes >> 20) + " MiB; keys and values ByteArrayDataType (unsigned byte order)";
    }

    @Override
    public void open(Path dir) {
        store = new MVStore.Builder()
                .fileName(dir.resolve("bench.mv.db").toString())
                .autoCommitDisabled()
                .cacheSize((int) (cacheBytes >> 20))
                .open();
        map = store.openMap("bench", new MVMap.Builder<byte[], byte[]>()
                .keyType(ByteArrayDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    }

    /** Writes every change made so far to the file and syncs it. */
    private void commitDurably() {
        store.commit();
        store.sync();
    }

    @Override
    public Session openSession() {
        return new Session() {
            @Override
            public void loadBatch(byte[][] keys, byte[][] values) {
                for (int i = 0; i < keys.length; i++) {
                    map.put(keys[i], values[i]);
                }
                commitDurably();
            }

            @Override
            public byte[] get(byte[] key) {
                // MVMap hands out the stored array itself (no copy); the benchmark only reads it.
                return map.get(key);
            }

            @Override
            public void putDurable(byte[] key, byte[] value) {
                map.put(key, value);
                commitDurably();
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
