package io.cairn.bufferpool.lru;

import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import java.nio.ByteBuffer;

/**
 * A fixed, latched frame. Confined to the thread that fixed it (as the API requires), so its own
 * fields need no synchronization; everything shared lives in the frame's latch word, or for a
 * shared fix under reader bias in the reader slot the handle names.
 */
final class LruPageHandle implements PageHandle {

    private final LruBufferPool pool;
    private final PoolInstance instance;
    private final Chunk chunk;
    private final int slot;
    private final int frame;
    private final PageId pageId;
    private final LatchMode latchMode;
    /** For OPTIMISTIC: the latch sequence observed while no writer held the frame. */
    private final long stamp;
    /** For SHARED under reader bias: the index of the reader slot that holds the fix, else {@link #NO_READER_SLOT}. */
    private final int readerSlot;
    static final int NO_READER_SLOT = -1;
    private ByteBuffer view;
    private boolean closed;

    LruPageHandle(LruBufferPool pool, PoolInstance instance, Chunk chunk, int slot, int frame, PageId pageId,
            LatchMode latchMode, long stamp, int readerSlot) {
        this.pool = pool;
        this.instance = instance;
        this.chunk = chunk;
        this.slot = slot;
        this.frame = frame;
        this.pageId = pageId;
        this.latchMode = latchMode;
        this.stamp = stamp;
        this.readerSlot = readerSlot;
    }

    /** Whether the fix is held through a reader slot (reader bias) rather than the latch word. */
    boolean biased() {
        return readerSlot != NO_READER_SLOT;
    }

    @Override
    public PageId pageId() {
        return pageId;
    }

    @Override
    public LatchMode latchMode() {
        return latchMode;
    }

    @Override
    public ByteBuffer frame() {
        requireOpen("frame");
        if (view == null) {
            view = latchMode == LatchMode.EXCLUSIVE ? chunk.writableView(slot) : chunk.readOnlyView(slot);
        } else {
            view.clear();
        }
        return view;
    }

    @Override
    public long getLong(int pageOffset) {
        requireOpen("getLong");
        // Absolute read from the chunk: no view object. The bounds check keeps it inside this frame.
        java.util.Objects.checkFromIndexSize(pageOffset, Long.BYTES, chunk.pageSizeBytes);
        return chunk.memory.getLong(slot * chunk.pageSizeBytes + pageOffset);
    }

    @Override
    public boolean validate() {
        if (latchMode != LatchMode.OPTIMISTIC) {
            return true;
        }
        requireOpen("validate");
        // The caller's reads of the frame are ordered before the re-read of the latch word
        // (the reader side of a seqlock, as in StampedLock.validate).
        return Latch.unchangedSince(chunk, slot, stamp);
    }

    @Override
    public void markModified(long startLsn, long endLsn) {
        requireOpen("markModified");
        if (latchMode != LatchMode.EXCLUSIVE) {
            throw new IllegalStateException("markModified of " + pageId + " requires an EXCLUSIVE latch, the handle holds "
                    + latchMode);
        }
        pool.markModified(instance, chunk, slot, frame, startLsn, endLsn);
    }

    @Override
    public long newestModificationLsn() {
        requireOpen("newestModificationLsn");
        return chunk.newest(slot);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        view = null;
        if (readerSlot != NO_READER_SLOT) {
            pool.releaseSlot(instance, chunk, slot, frame, readerSlot);
        } else {
            pool.release(instance, chunk, slot, frame, latchMode);
        }
    }

    private void requireOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("cannot " + operation + ": the handle of " + pageId + " is closed");
        }
    }

    @Override
    public String toString() {
        return "PageHandle" + pageId + " " + latchMode + (closed ? " (closed)" : "");
    }
}
