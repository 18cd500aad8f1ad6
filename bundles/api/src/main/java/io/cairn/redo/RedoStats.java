package io.cairn.redo;

/**
 * A snapshot of a redo log's positions and counters. LSNs satisfy
 * {@code checkpointLsn <= flushedLsn <= writtenLsn <= currentLsn}.
 *
 * @param currentLsn the end of the last appended group
 * @param writtenLsn redo up to here is written to the file (survives a process crash)
 * @param flushedLsn redo up to here is synced (survives power loss)
 * @param checkpointLsn recovery starts here
 * @param capacityBytes how far {@code currentLsn} may run ahead of {@code checkpointLsn}
 * @param groupsAppended mini-transaction groups appended since start
 * @param writeCalls file writes since start
 * @param syncCalls file syncs since start; {@code groupsAppended / syncCalls} is the group-commit factor
 * @param defaultDurability the durability commits get when they do not name one
 */
public record RedoStats(
        long currentLsn,
        long writtenLsn,
        long flushedLsn,
        long checkpointLsn,
        long capacityBytes,
        long groupsAppended,
        long writeCalls,
        long syncCalls,
        CommitDurability defaultDurability) {

    /** How far the current LSN runs ahead of the checkpoint, in bytes. */
    public long checkpointAgeBytes() {
        return currentLsn - checkpointLsn;
    }
}
