package io.cairn.engine;

import io.cairn.redo.CommitDurability;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An atomic group of page changes: after a crash either all of them are recovered or none.
 *
 * <p>Protocol: latch the pages to change, change them through {@link PageRef}, then
 * {@link #commit()}: the changes are appended to the redo log as one group, the pages get the
 * group's LSN and join the flush list, the latches are released, and the call waits for durability
 * as asked. Closing a mini-transaction that was not committed restores every page it changed to
 * its earlier contents and logs nothing. Use try-with-resources:
 *
 * <pre>{@code
 * try (MiniTransaction mtr = engine.beginMiniTransaction()) {
 *     PageRef page = mtr.writePage(tablespace, pageNo);
 *     page.putInt(page.bodyStartOffset(), 42);
 *     mtr.commit();
 * }
 * }</pre>
 *
 * <p>Latching: all mini-transactions must take latches in an order they agree on (top-down in a
 * tree, or {@link io.cairn.bufferpool.PageId} order across unrelated pages), so two can never wait
 * for each other. A mini-transaction belongs to the thread that began it and must stay short: it
 * holds page latches until it ends.
 */
@ProviderType
public interface MiniTransaction extends AutoCloseable {

    /**
     * Latches a page shared (reading it if needed).
     *
     * @throws NoSuchTablespaceException if the tablespace is dropped or being dropped
     * @throws CorruptPageException if the page fails verification
     * @throws IndexOutOfBoundsException if {@code pageNo} is not below the tablespace size
     */
    PageRef readPage(Tablespace tablespace, long pageNo) throws IOException;

    /** Latches a page exclusively for changes; otherwise as {@link #readPage}. */
    PageRef writePage(Tablespace tablespace, long pageNo) throws IOException;

    /**
     * Allocates a free page (extending the tablespace by whole extents when needed, with the size
     * change made durable before the page is used), initialises it to zeros, and latches it
     * exclusively. The allocation is part of this mini-transaction.
     */
    PageRef allocatePage(Tablespace tablespace) throws IOException;

    /** Frees a page; it may be allocated again after this mini-transaction commits. */
    void freePage(Tablespace tablespace, long pageNo) throws IOException;

    /**
     * Releases the latch of a page this mini-transaction read but did not change, before commit
     * (latch coupling down a tree).
     *
     * @throws IllegalStateException if the page was changed
     */
    void release(PageRef page);

    /**
     * Commits with the engine's default durability.
     *
     * @return the commit's end LSN
     * @throws IOException if the redo could not be made durable as required: the commit must be
     *     treated as failed (its changes may or may not survive a crash) and is never acknowledged
     */
    long commit() throws IOException;

    /** Commits with the given durability; otherwise as {@link #commit()}. */
    long commit(CommitDurability durability) throws IOException;

    /** Ends the mini-transaction; if it did not commit, undoes its changes. Idempotent. */
    @Override
    void close();
}
