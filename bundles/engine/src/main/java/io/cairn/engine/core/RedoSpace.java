package io.cairn.engine.core;

import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLog;
import io.cairn.status.RedoPressure;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps redo from running out: the pressure stages of the checkpoint age and the free check every
 * mini-transaction passes before it latches anything (InnoDB's {@code log_free_check}, innodb.md
 * 3.6).
 *
 * <p>The check must happen before latching: a mini-transaction that blocked inside the redo append
 * while holding a page latch could hold the very page the page cleaner needs to write for the
 * checkpoint to advance, and nothing would move again. The margin between the free-check limit and
 * the capacity is what mini-transactions already past the check may still append.
 *
 * <p>Stages, as fractions of the free-check limit L = capacity - margin: ADAPTIVE above 7/8 L,
 * SYNC_FLUSH above 15/16 L, BLOCKING while a mini-transaction waits because the age reached L.
 */
final class RedoSpace {

    /** What the free check needs from the engine. */
    interface Checkpointer {
        /** Flushes (or has the page cleaner flush) every page older than {@code lsn}. */
        void awaitFlushedBelow(long lsn) throws IOException, InterruptedException;

        /** Advances the checkpoint as far as it safely can. */
        void checkpointNow() throws IOException;
    }

    /** Mini-transactions assumed to be past the check at once, plus InnoDB's 10 background threads. */
    private static final int CONCURRENCY = 32 + 10;
    private static final long NO_PROGRESS_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int pageSizeBytes;
    private final WaitRegistry waits;
    private final AtomicInteger blocked = new AtomicInteger();
    private final LongAdder waitsSoFar = new LongAdder();

    RedoSpace(int pageSizeBytes, WaitRegistry waits) {
        this.pageSizeBytes = pageSizeBytes;
        this.waits = waits;
    }

    /**
     * The margin kept free for mini-transactions already past the check: 4 pages for each of
     * {@link #CONCURRENCY} writers, 4 KiB and 5% of the capacity, at most 55% of the capacity (the
     * InnoDB 8.0.30 concurrency margin).
     */
    long marginBytes(long capacityBytes) {
        long margin = (long) CONCURRENCY * 4 * pageSizeBytes + 4096 + capacityBytes / 20;
        return Math.min(margin, capacityBytes / 100 * 55);
    }

    /** The checkpoint age at which new mini-transactions wait. */
    long freeCheckLimitBytes(long capacityBytes) {
        return capacityBytes - marginBytes(capacityBytes);
    }

    /** The age above which the page cleaner flushes harder (the adaptive flushing point). */
    long adaptiveAgeBytes(long capacityBytes) {
        return freeCheckLimitBytes(capacityBytes) / 8 * 7;
    }

    /** The age above which the page cleaner flushes regardless of its I/O budget. */
    long syncFlushAgeBytes(long capacityBytes) {
        return freeCheckLimitBytes(capacityBytes) / 16 * 15;
    }

    /** The stage {@code redo} is in now. */
    RedoPressure pressure(RedoLog redo) {
        if (blocked.get() > 0) {
            return RedoPressure.BLOCKING;
        }
        long capacity = redo.capacityBytes();
        long age = redo.currentLsn() - redo.checkpointLsn();
        if (age > syncFlushAgeBytes(capacity)) {
            return RedoPressure.SYNC_FLUSH;
        }
        return age > adaptiveAgeBytes(capacity) ? RedoPressure.ADAPTIVE : RedoPressure.NONE;
    }

    /** How many times a mini-transaction had to wait in {@link #freeCheck}. */
    long waitsSoFar() {
        return waitsSoFar.sum();
    }

    /** Mini-transactions waiting in {@link #freeCheck} now. */
    int blockedMiniTransactions() {
        return blocked.get();
    }

    /**
     * Returns at once while the checkpoint age is below the free-check limit; otherwise flushes (the
     * page cleaner when it serves requests, this thread when it does not) and checkpoints until it is.
     * The caller must hold no page latch.
     */
    void freeCheck(RedoLog redo, Checkpointer checkpointer) throws IOException {
        long limit = freeCheckLimitBytes(redo.capacityBytes());
        if (redo.currentLsn() - redo.checkpointLsn() <= limit) {
            return;
        }
        blocked.incrementAndGet();
        waitsSoFar.increment();
        try (WaitRegistry.Wait wait = waits.begin("redo space: checkpoint age above " + limit + " of "
                + redo.capacityBytes() + " bytes", "page cleaner")) {
            while (true) {
                long current = redo.currentLsn();
                long checkpoint = redo.checkpointLsn();
                limit = freeCheckLimitBytes(redo.capacityBytes()); // capacity may change while waiting
                if (current - checkpoint <= limit) {
                    return;
                }
                // Flush down to where the age is back under the sync point, not just under the limit,
                // so the next mini-transactions do not stop again at once.
                checkpointer.awaitFlushedBelow(current - syncFlushAgeBytes(redo.capacityBytes()) + 1);
                // The checkpoint cannot pass unsynced redo; with periodic durability that could be a second away.
                redo.waitFor(redo.writtenLsn(), CommitDurability.SYNC_ON_COMMIT);
                checkpointer.checkpointNow();
                if (redo.checkpointLsn() == checkpoint) {
                    // Nothing to flush, yet the checkpoint stays: a commit between its redo append and
                    // its flush-list insertion holds it back for a moment.
                    LockSupport.parkNanos(NO_PROGRESS_PAUSE_NANOS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for redo space", e);
        } finally {
            blocked.decrementAndGet();
        }
    }
}
