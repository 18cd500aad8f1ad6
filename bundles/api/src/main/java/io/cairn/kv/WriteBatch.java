package io.cairn.kv;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes to one or more tables applied together by {@link KeyValueStore#write}: after a crash
 * either all of them are present or none. Building a batch changes nothing; limits are checked as
 * entries are added. A batch is not thread-safe and may be written once and then cleared and
 * reused. Later entries for the same table and key override earlier ones.
 */
@ProviderType
public interface WriteBatch {

    /**
     * Adds a put.
     *
     * @throws KeyTooLargeException if the key is empty or longer than {@link KeyValueStore#MAX_KEY_BYTES}
     * @throws ValueTooLargeException if the value is longer than {@link KeyValueStore#MAX_VALUE_BYTES}
     */
    WriteBatch put(Table table, byte[] key, byte[] value);

    /** Adds a delete; deleting an absent key is not an error. */
    WriteBatch delete(Table table, byte[] key);

    /** The number of entries added. */
    int size();

    /** Removes every entry. */
    void clear();
}
