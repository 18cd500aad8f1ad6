package io.cairn.kv;

import io.cairn.redo.CommitDurability;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A store of named tables. Inside Felix it is the {@code KeyValueStore} service; embedded, it comes
 * from the embedded API and must be closed. Thread-safe.
 */
@ProviderType
public interface KeyValueStore extends AutoCloseable {

    /** The longest key, in bytes. */
    int MAX_KEY_BYTES = 1024;

    /** The longest value, in bytes. */
    int MAX_VALUE_BYTES = 1 << 20;

    /**
     * Creates a table; durable on return.
     *
     * @throws TableExistsException if the name is taken
     * @throws io.cairn.config.InvalidSettingException if the name is not a valid tablespace name
     */
    Table createTable(String name);

    /**
     * The table with that name.
     *
     * @throws NoSuchTableException if there is none
     */
    Table table(String name);

    /** The names of all tables, sorted. */
    List<String> tableNames();

    /**
     * Drops a table and its data; durable on return. Handles to it fail from now on.
     *
     * @throws NoSuchTableException if there is none
     */
    void dropTable(String name);

    /** Removes every entry of a table; durable on return. Existing handles stay valid. */
    void truncateTable(String name);

    /** A new, empty batch. */
    WriteBatch newBatch();

    /** Applies a batch atomically with the store's default durability. */
    void write(WriteBatch batch);

    /**
     * Applies a batch atomically with the given durability.
     *
     * @throws NoSuchTableException if a table in the batch was dropped; nothing was applied
     * @throws StorageFailureException if the batch could not be made durable as asked
     */
    void write(WriteBatch batch, CommitDurability durability);

    /**
     * The structural check of every table: key order, parent and sibling links, each node's space
     * accounting, and every page's checksum (each page is read). Runs beside normal traffic.
     *
     * @return one line per problem, each naming the table and page; empty when all is sound
     * @throws StorageFailureException if a page cannot be read at all
     */
    List<String> verify();

    /**
     * Closes the store (embedded use): waits for running operations, then stops the engine cleanly.
     * Every later call fails with {@link StoreClosedException}. Idempotent.
     */
    @Override
    void close();
}
