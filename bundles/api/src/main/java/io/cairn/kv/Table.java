package io.cairn.kv;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A B+tree table. Thread-safe: many threads may read and write at once. Each single-key operation
 * is atomic and, once it returns, as durable as the store's default commit durability says.
 * After the table is dropped, every call through this handle throws {@link NoSuchTableException}.
 */
@ProviderType
public interface Table {

    /** The table's name. */
    String name();

    /**
     * The value stored under {@code key}, a fresh copy, or null when there is none.
     *
     * @throws KeyTooLargeException if the key is empty or too long
     */
    byte[] get(byte[] key);

    /**
     * Stores {@code value} under {@code key}, replacing any previous value.
     *
     * @throws KeyTooLargeException if the key is empty or longer than {@link KeyValueStore#MAX_KEY_BYTES}
     * @throws ValueTooLargeException if the value is longer than {@link KeyValueStore#MAX_VALUE_BYTES}
     * @throws StorageFailureException if the change could not be made durable; it is then not
     *     acknowledged and may or may not be present after a crash
     */
    void put(byte[] key, byte[] value);

    /**
     * Removes {@code key}.
     *
     * @return whether the key was present
     */
    boolean delete(byte[] key);

    /** A cursor over {@code range} in {@code direction}. */
    Cursor cursor(KeyRange range, ScanDirection direction);

    /** The exact number of entries (walks the leaves: cost grows with the table). */
    long count();

    /** The approximate size of the table on disk in bytes (from page counts; cheap). */
    long approximateSizeBytes();
}
