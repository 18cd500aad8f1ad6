package io.cairn.status;

import io.cairn.engine.TablespaceState;

/**
 * One tablespace.
 *
 * @param pendingOperations user and background operations holding a reference to it
 * @param pendingIo reads and writes in flight on its file
 */
public record TablespaceStatus(
        int spaceId,
        String name,
        TablespaceState state,
        long sizePages,
        long pendingOperations,
        long pendingIo) {
}
