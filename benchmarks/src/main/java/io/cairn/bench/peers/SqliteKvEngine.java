package io.cairn.bench.peers;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteJDBCLoader;

/**
 * SQLite through sqlite-jdbc: WAL journal, {@code synchronous=FULL} (in WAL mode the WAL is synced
 * at every commit), one table {@code (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID}, one connection
 * per thread. SQLite lets one writer in at a time; the others wait in the busy handler.
 */
final class SqliteKvEngine implements KvEngine {

    /** Long enough that 8 writers queueing behind each other's fsyncs never see SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MILLIS = 60_000;

    private final long cacheBytes;
    private String url;
    private String sqliteVersion = "?";
    /** The pragmas as SQLite reports them back on a session's connection. */
    private volatile String effectivePragmas = "";

    SqliteKvEngine(long cacheBytes) {
        this.cacheBytes = cacheBytes;
    }

    @Override
    public String id() {
        return "sqlite";
    }

    @Override
    public String displayName() {
        return "SQLite";
    }

    @Override
    public String version() {
        String driver;
        try {
            driver = SQLiteJDBCLoader.getVersion();
        } catch (RuntimeException e) {
            driver = MavenVersions.of("org.xerial", "sqlite-jdbc");
        }
        return "sqlite-jdbc " + driver + ", SQLite " + sqliteVersion;
    }

    @Override
    public String settings() {
        return "journal_mode=WAL, synchronous=FULL (WAL synced at every commit), busy_timeout="
                + BUSY_TIMEOUT_MILLIS + " ms, cache_size=" + (cacheBytes >> 20)
                + " MiB per connection, one connection per thread, table (k BLOB PRIMARY KEY, v BLOB) WITHOUT"
                + " ROWID, INSERT OR REPLACE for puts; load: 1 txn per batch; single puts: autocommit; as read back: "
                + effectivePragmas;
    }

    @Override
    public void open(Path dir) throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("bench.db");
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            // journal_mode=WAL is stored in the database file, so every later connection uses it.
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
            try (ResultSet rs = statement.executeQuery("SELECT sqlite_version()")) {
                rs.next();
                sqliteVersion = rs.getString(1);
            }
        }
    }

    @Override
    public Session openSession() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement statement = connection.createStatement()) {
            // synchronous, busy_timeout and cache_size are per connection.
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
            statement.execute("PRAGMA cache_size=-" + (cacheBytes >> 10)); // negative: KiB
            effectivePragmas = "journal_mode=" + pragma(statement, "journal_mode") + ", synchronous="
                    + pragma(statement, "synchronous") + " (2 = FULL), busy_timeout=" + pragma(statement, "busy_timeout")
                    + ", cache_size=" + pragma(statement, "cache_size");
        }
        PreparedStatement select = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
        PreparedStatement upsert = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
        return new Session() {
            @Override
            public void loadBatch(byte[][] keys, byte[][] values) throws SQLException {
                connection.setAutoCommit(false);
                try {
                    for (int i = 0; i < keys.length; i++) {
                        upsert.setBytes(1, keys[i]);
                        upsert.setBytes(2, values[i]);
                        upsert.executeUpdate();
                    }
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }

            @Override
            public byte[] get(byte[] key) throws SQLException {
                select.setBytes(1, key);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }

            @Override
            public void putDurable(byte[] key, byte[] value) throws SQLException {
                // Autocommit: the statement is its own transaction, committed (and the WAL synced) on return.
                upsert.setBytes(1, key);
                upsert.setBytes(2, value);
                upsert.executeUpdate();
            }

            @Override
            public void close() throws SQLException {
                select.close();
                upsert.close();
                connection.close();
            }
        };
    }

    private static String pragma(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    @Override
    public void close() {
        // Every connection belongs to a session and is closed with it.
    }
}
