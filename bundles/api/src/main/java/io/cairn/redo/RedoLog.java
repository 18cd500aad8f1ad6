package io.cairn.redo;

import io.cairn.io.StorageBackend;
import io.cairn.io.StorageUnavailableException;
import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open redo log. Created by a {@link RedoLogProvider}; owned by one engine.
 *
 * <p>Thread safety: every method may be called from any thread. Appends from many threads must not
 * serialise on one lock for the copy into the log buffer (LSN ranges are reserved first, then
 * copied in parallel); waits for durability are group commits: one write and one sync serve every
 * waiter below the flushed LSN.
 *
 * <p>Durability: a group survives a process crash once {@link #writtenLsn()} passed its end, and
 * power loss once {@link #flushedLsn()} did. Recovery ({@link #scan}) returns exactly the complete
 * groups: a group is never returned in part, and a torn or garbage tail ends the scan without error.
 */
@ProviderType
public interface RedoLog extends AutoCloseable {

    /**
     * Appends one mini-transaction's records as one group and returns its end LSN; the group starts
     * at the returned value minus its encoded size, which the engine does not need to know. The
     * group is neither written nor synced on return: see {@link #waitFor}.
     *
     * <p>Blocks while the redo capacity is exhausted, until a checkpoint frees space; the engine
     * keeps flushing so that this wait always has a progress owner.
     *
     * @param records the group's records, at least one
     * @return the LSN just after the group; the engine stamps it on the changed pages
     * @throws StorageUnavailableException if the redo backend is gone and did not come back in time
     * @throws IOException if the log cannot accept records (a previous write or sync failed: the
     *     log refuses further appends rather than acknowledge commits it may lose)
     */
    long append(List<RedoRecord> records) throws IOException;

    /**
     * The LSN at which the next group would start, for a page's oldest modification before its
     * changes are appended. Thread-safe; a snapshot.
     */
    long currentLsn();

    /**
     * Waits until the redo up to {@code lsn} meets {@code durability}: synced for
     * {@link CommitDurability#SYNC_ON_COMMIT}, written for {@link CommitDurability#WRITE_ON_COMMIT};
     * {@link CommitDurability#PERIODIC} returns at once. Concurrent waiters share writes and syncs.
     *
     * @throws IOException if the write or sync failed; the commit must then be reported as failed
     * @throws InterruptedException if interrupted while waiting; durability is then unknown
     */
    void waitFor(long lsn, CommitDurability durability) throws IOException, InterruptedException;

    /** Redo up to here is written to the file. Thread-safe. */
    long writtenLsn();

    /** Redo up to here is synced. Thread-safe. */
    long flushedLsn();

    /** The LSN of the latest durable checkpoint. Thread-safe. */
    long checkpointLsn();

    /**
     * Records a checkpoint durably: after a crash, recovery starts at {@code checkpointLsn}. Writes
     * the older of the two alternating checkpoint headers and syncs it, so a torn checkpoint write
     * leaves the other header valid. Space behind the checkpoint becomes reusable.
     *
     * <p>REQUIRES: every page change below {@code checkpointLsn} is written to its data file and
     * synced; the engine guarantees it, the log cannot check it.
     *
     * @throws IllegalArgumentException if {@code checkpointLsn} is behind the current checkpoint
     *     or ahead of {@link #flushedLsn()}
     */
    void checkpoint(long checkpointLsn) throws IOException;

    /** The configured redo capacity in bytes. */
    long capacityBytes();

    /**
     * Changes the redo capacity while running. Growing takes effect at once; shrinking below the
     * current checkpoint age takes effect as the checkpoint advances.
     *
     * @throws io.cairn.config.InvalidSettingException if the size is outside the supported range
     */
    void resize(long capacityBytes) throws IOException;

    /**
     * Reads complete groups from {@code fromLsn} to the end of the log, in order, for recovery.
     * Must be called before the first {@link #append} after opening; appends then continue at
     * the returned end LSN.
     */
    RedoScanResult scan(long fromLsn, RedoGroupVisitor visitor) throws IOException;

    /**
     * Moves the redo files to another backend at a write boundary: no write is in flight on the old
     * backend when the files are reopened on the new one. If the new backend cannot open a file, the
     * log stays on the old backend and the exception says why.
     */
    void switchBackend(StorageBackend newBackend) throws IOException;

    /** Positions and counters. Thread-safe. */
    RedoStats stats();

    /**
     * Writes and syncs everything appended, then closes the files. Idempotent. Appends after close
     * fail with {@link IllegalStateException}.
     */
    @Override
    void close() throws IOException;
}
