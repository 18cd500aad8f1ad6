package io.cairn.bench.peers;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.DirectBufferProxy;
import org.lmdbjava.Env;
import org.lmdbjava.Meta;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava with the default environment flags: no MDB_NOSYNC, no MDB_NOMETASYNC, so
 * every committed write transaction is synced before {@code commit()} returns.
 *
 * <p>Buffers are Agrona's (lmdbjava's {@link DirectBufferProxy}): lmdbjava's default ByteBuffer
 * proxy reflects into {@code java.nio.Buffer.address} and fails on Java 17 unless the JVM is started
 * with {@code --add-opens java.base/java.nio=ALL-UNNAMED}. The Agrona proxy needs no flag and, in a
 * quick check on this machine (200,000 keys, 1 thread), did as many gets per second as the
 * ByteBuffer proxy with the flag; lmdbjava's byte[] proxy did about a quarter fewer.
 */
final class LmdbKvEngine implements KvEngine {

    /** The map must hold the data set and its copy-on-write garbage; it is address space, not memory. */
    static final long MAP_SIZE_BYTES = 4L << 30;

    /** The workloads' keys are 8-byte longs. */
    static final int KEY_BYTES = 8;

    private final int valueBytes;
    private Env<DirectBuffer> env;
    private Dbi<DirectBuffer> dbi;

    LmdbKvEngine(int valueBytes) {
        this.valueBytes = valueBytes;
    }

    @Override
    public String id() {
        return "lmdb";
    }

    @Override
    public String displayName() {
        return "LMDB";
    }

    @Override
    public String version() {
        Meta.Version lib = Meta.version();
        return "lmdbjava " + MavenVersions.of("org.lmdbjava", "lmdbjava") + ", LMDB " + lib.major + "." + lib.minor
                + "." + lib.patch;
    }

    @Override
    public String settings() {
        return "lmdbjava DirectBufferProxy (Agrona buffers); default env flags (no MDB_NOSYNC, MDB_NOMETASYNC, MDB_WRITEMAP or MDB_MAPASYNC): each write txn"
                + " commit syncs data and meta page; map size " + (MAP_SIZE_BYTES >> 30)
                + " GiB; no cache setting (reads go through the OS page cache); plain puts (no MDB_APPEND);"
                + " gets use a per-thread read txn, renewed for each get";
    }

    @Override
    public void open(Path dir) {
        env = Env.create(DirectBufferProxy.PROXY_DB).setMapSize(MAP_SIZE_BYTES).setMaxDbs(1).open(dir.toFile());
        dbi = env.openDbi("bench", DbiFlags.MDB_CREATE);
    }

    @Override
    public Session openSession() {
        return new Session() {
            // lmdbjava takes buffers over native memory, and a DirectBuffer's capacity is the size
            // it passes to LMDB: one buffer per thread of exactly the key and the value size, copied into.
            private final UnsafeBuffer keyBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(KEY_BYTES));
            private final UnsafeBuffer valueBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(valueBytes));
            // A read txn renewed and reset around each get is LMDB's cheap way to take a fresh snapshot.
            private Txn<DirectBuffer> readTxn;

            private DirectBuffer key(byte[] key) {
                requireLength(key, KEY_BYTES);
                keyBuffer.putBytes(0, key);
                return keyBuffer;
            }

            private DirectBuffer value(byte[] value) {
                requireLength(value, valueBytes);
                valueBuffer.putBytes(0, value);
                return valueBuffer;
            }

            @Override
            public void loadBatch(byte[][] keys, byte[][] values) {
                try (Txn<DirectBuffer> txn = env.txnWrite()) {
                    for (int i = 0; i < keys.length; i++) {
                        dbi.put(txn, key(keys[i]), value(values[i]));
                    }
                    txn.commit();
                }
            }

            @Override
            public byte[] get(byte[] key) {
                if (readTxn == null) {
                    readTxn = env.txnRead();
                } else {
                    readTxn.renew();
                }
                try {
                    DirectBuffer found = dbi.get(readTxn, key(key));
                    if (found == null) {
                        return null;
                    }
                    // The buffer points into the map and is valid only inside the txn: copy out, as
                    // every other engine's get returns a copy too.
                    byte[] value = new byte[found.capacity()];
                    found.getBytes(0, value);
                    return value;
                } finally {
                    readTxn.reset();
                }
            }

            @Override
            public void putDurable(byte[] key, byte[] value) {
                try (Txn<DirectBuffer> txn = env.txnWrite()) {
                    dbi.put(txn, key(key), value(value));
                    txn.commit();
                }
            }

            @Override
            public void close() {
                if (readTxn != null) {
                    readTxn.close();
                }
            }
        };
    }

    private static void requireLength(byte[] bytes, int expected) {
        if (bytes.length != expected) {
            throw new IllegalArgumentException(bytes.length + " bytes, this adapter takes " + expected);
        }
    }

    @Override
    public void close() {
        if (dbi != null) {
            dbi.close();
        }
        if (env != null) {
            env.close();
        }
    }
}
