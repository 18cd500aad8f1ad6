package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.PageWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The page store a replacement buffer pool is created with. While the engine hands the old
 * pool's pages over, a read of a page the old pool still holds copies that frame instead of
 * reading the tablespace; at every other time each call goes straight to the engine's store.
 *
 * <p>The copy is the page's current version only because the hand-over runs while nothing can
 * change a page: mini-transactions held, the page cleaner stopped, every dirty page written and
 * checkpointed. The old pool is set for exactly that window and cleared before anything runs
 * again, so no later read can see a copy the new pool has since superseded.
 */
final class HandOverPageStore implements PageStore {

    private final PageStore store;
    /** The old pool while the hand-over runs, else null. */
    private volatile BufferPool source;

    HandOverPageStore(PageStore store) {
        this.store = store;
    }

    /** Serves reads from {@code pool}'s frames until {@link #endHandOver()}. */
    void beginHandOver(BufferPool pool) {
        source = pool;
    }

    void endHandOver() {
        source = null;
    }

    @Override
    public boolean readPage(PageId pageId, ByteBuffer frame, boolean background) throws IOException {
        BufferPool from = source;
        if (from != null) {
            try (PageHandle old = from.fix(pageId, LatchMode.SHARED, FixMode.IF_CACHED)) {
                if (old != null) {
                    frame.put(0, old.frame(), 0, from.pageSizeBytes());
                    return true;
                }
            }
        }
        return store.readPage(pageId, frame, background);
    }

    @Override
    public void writePages(List<PageWrite> batch) throws IOException {
        store.writePages(batch);
    }
}
