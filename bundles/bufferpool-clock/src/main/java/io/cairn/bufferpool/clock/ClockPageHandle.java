package io.cairn.bufferpool.clock;

import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import java.nio.ByteBuffer;

/**
 * A fixed (unless optimistic) and latched frame. Used only by the thread that fixed it, as the API
 * requires, so its own fields need no synchronization.
 */
final class ClockPageHandle implements PageHandle {

    private final ClockBufferPool pool;
    private final ClockInstance instance;
    private final Frame frame;
    private final PageId pageId;
    private final LatchMode latchMode;
    /** The read or write stamp held, or for OPTIMISTIC the observation that {@link #validate()} checks. */
    private final long stamp;
    private boolean closed;

    ClockPageHandle(ClockBufferPool pool, ClockInstance instance, Frame frame, PageId pageId, LatchMode latchMode,
            long stamp) {
        this.pool = pool;
        this.instance = instance;
        this.frame = frame;
        this.pageId = pageId;
        this.latchMode = latchMode;
        this.stamp = stamp;
    }

    @Override
    public PageId pageId() {
        return pageId;
    }

    @Override
    public LatchMode latchMode() {
        return latchMode;
    }

    /** A new view per call, so that a caller moving its position cannot disturb another view. */
    @Override
    public ByteBuffer frame() {
        requireOpen("frame");
        return latchMode == LatchMode.EXCLUSIVE ? frame.memory.duplicate() : frame.memory.asReadOnlyBuffer();
    }

    @Override
    public long getLong(int pageOffset) {
        requireOpen("getLong");
        return frame.memory.getLong(pageOffset);
    }

    @Override
    public boolean validate() {
        return latchMode != LatchMode.OPTIMISTIC || frame.latch.validate(stamp);
    }

    @Override
    public void markModified(long startLsn, long endLsn) {
        if (latchMode != LatchMode.EXCLUSIVE) {
            throw new IllegalStateException("markModified of " + pageId + " requires an EXCLUSIVE latch, the handle holds "
                    + latchMode);
        }
        requireOpen("markModified");
        pool.markModified(instance, frame, startLsn, endLsn);
    }

    @Override
    public long newestModificationLsn() {
        requireOpen("newestModificationLsn");
        return frame.newestLsn;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ClockBufferPool.unlatch(frame, latchMode, stamp);
        if (latchMode != LatchMode.OPTIMISTIC) {
            pool.releaseFix(instance, frame);
        }
    }

    private void requireOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("cannot " + operation + " " + pageId + ": the handle is closed");
        }
    }

    @Override
    public String toString() {
        return "ClockPageHandle[" + pageId + ", " + latchMode + (closed ? ", closed" : "") + "]";
    }
}
