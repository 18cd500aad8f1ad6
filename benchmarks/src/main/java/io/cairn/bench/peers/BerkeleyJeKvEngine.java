package io.cairn.bench.peers;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.JEVersion;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import java.nio.file.Path;

/**
 * Berkeley DB Java Edition: a transactional environment whose default durability is
 * COMMIT_SYNC, so every commit (explicit or auto-commit) syncs the log before it returns.
 */
final class BerkeleyJeKvEngine implements KvEngine {

    private final long cacheBytes;
    private Environment env;
    private Database db;

    BerkeleyJeKvEngine(long cacheBytes) {
        this.cacheBytes = cacheBytes;
    }

    @Override
    public String id() {
        return "je";
    }

    @Override
    public String displayName() {
        return "Berkeley DB JE";
    }

    @Override
    public String version() {
        return "je " + JEVersion.CURRENT_VERSION.getVersionString();
    }

    @Override
    public String settings() {
        return "transactional Environment, durability COMMIT_SYNC (the log is synced at each commit), cache "
                + (cacheBytes >> 20) + " MiB; load: one explicit txn per batch; single puts: auto-commit txn;"
                + " gets: no txn, LockMode.DEFAULT; every other parameter at its default";
    }

    @Override
    public void open(Path dir) {
        EnvironmentConfig config = new EnvironmentConfig()
                .setAllowCreate(true)
                .setTransactional(true);
        config.setCacheSize(cacheBytes);
        config.setDurability(Durability.COMMIT_SYNC);
        env = new Environment(dir.toFile(), config);
        DatabaseConfig dbConfig = new DatabaseConfig().setAllowCreate(true).setTransactional(true);
        db = env.openDatabase(null, "bench", dbConfig);
    }

    @Override
    public Session openSession() {
        return new Session() {
            @Override
            public void loadBatch(byte[][] keys, byte[][] values) {
                Transaction txn = env.beginTransaction(null, null);
                try {
                    for (int i = 0; i < keys.length; i++) {
                        db.put(txn, new DatabaseEntry(keys[i]), new DatabaseEntry(values[i]));
                    }
                    txn.commit();
                    txn = null;
                } finally {
                    if (txn != null) {
                        txn.abort();
                    }
                }
            }

            @Override
            public byte[] get(byte[] key) {
                DatabaseEntry value = new DatabaseEntry();
                OperationStatus status = db.get(null, new DatabaseEntry(key), value, LockMode.DEFAULT);
                return status == OperationStatus.SUCCESS ? value.getData() : null;
            }

            @Override
            public void putDurable(byte[] key, byte[] value) {
                // A null txn on a transactional database is an auto-commit txn with the env's durability.
                db.put(null, new DatabaseEntry(key), new DatabaseEntry(value));
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
        if (env != null) {
            env.close();
        }
    }
}
