package io.cairn.bufferpool;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A fixed, latched page. Closing the handle releases the latch and the fix. Use it in a
 * try-with-resources block, and only from the thread that fixed it.
 */
@ProviderType
public interface PageHandle extends AutoCloseable {

    /** The page's identity. */
    PageId pageId();

    /** The latch this handle holds. */
    LatchMode latchMode();

    /**
     * The page frame: {@code pageSizeBytes} bytes, position 0, limit the page size. Read-only
     * unless the latch is {@link LatchMode#EXCLUSIVE}. Valid only until {@link #close()}; never
     * keep a reference to it.
     */
    ByteBuffer frame();

    /**
     * The eight bytes at {@code pageOffset} of the frame, as {@code frame().getLong(pageOffset)}
     * reads them. Pools override it to read without creating a frame view, which is most of the
     * cost of a single-value read on a cached page.
     *
     * @throws IndexOutOfBoundsException if the eight bytes do not lie inside the page
     */
    default long getLong(int pageOffset) {
        return frame().getLong(pageOffset);
    }

    /**
     * For an {@link LatchMode#OPTIMISTIC} handle: whether no writer changed the page since it was
     * fixed, so everything read from the frame is consistent. Always true for other modes.
     */
    boolean validate();

    /**
     * Records that the page was changed by a mini-transaction whose redo starts at
     * {@code startLsn} and ends at {@code endLsn}: the page's newest LSN becomes {@code endLsn}, and
     * if the page was clean it joins the flush list with oldest modification {@code startLsn}.
     *
     * @throws IllegalStateException if the latch is not {@link LatchMode#EXCLUSIVE}
     */
    void markModified(long startLsn, long endLsn);

    /** The LSN of the newest change to the page. */
    long newestModificationLsn();

    /** Releases latch and fix. Idempotent. */
    @Override
    void close();
}
