package io.cairn.bufferpool;

import java.nio.ByteBuffer;

/**
 * One page the pool hands to {@link PageStore#writePages} for writing.
 *
 * @param pageId the page
 * @param frame its contents, position 0, limit the page size; stable until {@code writePages} returns
 * @param newestModificationLsn redo must be durable up to here before the page is written
 */
public record PageWrite(PageId pageId, ByteBuffer frame, long newestModificationLsn) {
}
