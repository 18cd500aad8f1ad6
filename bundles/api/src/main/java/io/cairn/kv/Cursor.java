package io.cairn.kv;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Walks the entries of a key range in one direction.
 *
 * <p>Stability: the cursor returns every key that was in the range when it was opened and was not
 * changed since, exactly once, in order; keys that concurrent writers insert, change or delete
 * meanwhile may or may not be seen, but the cursor never fails or repeats a key because of them.
 * A cursor belongs to one thread. Close it to release its resources (try-with-resources).
 *
 * <pre>{@code
 * try (Cursor c = table.cursor(KeyRange.all(), ScanDirection.FORWARD)) {
 *     while (c.next()) {
 *         use(c.key(), c.value());
 *     }
 * }
 * }</pre>
 */
@ProviderType
public interface Cursor extends AutoCloseable {

    /**
     * Moves to the next entry.
     *
     * @return false when the range is exhausted
     * @throws NoSuchTableException if the table was dropped while the cursor was open
     * @throws StoreClosedException if the store was closed
     */
    boolean next();

    /**
     * The current entry's key, a fresh copy.
     *
     * @throws IllegalStateException before the first {@link #next()} or after it returned false
     */
    byte[] key();

    /** The current entry's value, a fresh copy; otherwise as {@link #key()}. */
    byte[] value();

    /** Releases the cursor. Idempotent. */
    @Override
    void close();
}
