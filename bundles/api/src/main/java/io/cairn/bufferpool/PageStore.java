package io.cairn.bufferpool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a buffer pool reads and writes pages: implemented by the engine, which owns tablespaces,
 * checksums, the write-ahead rule and doublewrite. The pool never opens files.
 *
 * <p>Thread safety: called concurrently from reader threads and flush threads.
 */
@ProviderType
public interface PageStore {

    /**
     * Reads a page into {@code frame} and verifies it (checksum, space id, page number).
     *
     * @param background true for read-ahead and other background work: a tablespace that is being
     *     dropped or is gone then yields {@code false} quietly instead of an exception
     * @return true if the page was read; false only for a background read that was skipped
     * @throws io.cairn.engine.NoSuchTablespaceException for a foreground read of a missing tablespace
     * @throws io.cairn.engine.CorruptPageException if the page fails verification
     * @throws IOException if the read failed
     */
    boolean readPage(PageId pageId, ByteBuffer frame, boolean background) throws IOException;

    /**
     * Writes a batch of pages durably: waits until redo is synced up to each page's newest LSN
     * (the write-ahead rule), stamps checksums, goes through the doublewrite area when the data
     * backend cannot write a page atomically, writes in place and syncs. Pages of a tablespace that
     * is being dropped are skipped quietly. On return every page of the batch that was not skipped
     * survives power loss.
     */
    void writePages(List<PageWrite> batch) throws IOException;
}
