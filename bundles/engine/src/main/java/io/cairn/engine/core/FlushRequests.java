package io.cairn.engine.core;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Requests to flush dirty pages up to an LSN, and the waits for them, built so that no wait can
 * lack a progress owner (field report 5: a startup thread waited for a page cleaner that waited for
 * the end of startup, forever).
 *
 * <ul>
 *   <li>A request is standing state: {@link #request} raises a target LSN that stays until it is
 *       met, so a cleaner that starts or wakes later still sees it; nothing is a one-shot signal.</li>
 *   <li>A waiter hands the work to the background cleaner only while the cleaner is
 *       {@link #cleanerServing(boolean) serving} and making progress; when it is not serving (during
 *       recovery and startup, during shutdown, or because it is stopped or stuck), the waiting
 *       thread flushes by itself. No setting turns this off.</li>
 *   <li>Every wait is registered in the {@link WaitRegistry} with its current progress owner.</li>
 * </ul>
 */
public final class FlushRequests {

    /** The work a waiter can do by itself, and the state it waits on. */
    public interface Flusher {
        /** The oldest modification LSN of any dirty page, or {@link Long#MAX_VALUE} when none is dirty. */
        long oldestDirtyLsn();

        /** Writes every dirty page whose oldest modification is below {@code lsn}. */
        void flushBelow(long lsn) throws IOException;
    }

    private final Flusher flusher;
    private final WaitRegistry waits;
    private final long handOverTimeoutMillis;
    private volatile Runnable wakeCleaner = () -> { };
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    // Guarded by lock.
    private long targetLsn;
    private boolean cleanerServing;
    private long cleanerRounds;
    private boolean lastRoundFailed;

    /**
     * @param handOverTimeoutMillis how long a waiter lets a serving cleaner work without any
     *     progress before it flushes by itself
     */
    public FlushRequests(Flusher flusher, WaitRegistry waits, long handOverTimeoutMillis) {
        this.flusher = flusher;
        this.waits = waits;
        this.handOverTimeoutMillis = handOverTimeoutMillis;
    }

    /** Raises the standing flush target to at least {@code lsn}; wakes the cleaner. */
    public void request(long lsn) {
        lock.lock();
        try {
            if (lsn > targetLsn) {
                targetLsn = lsn;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        wakeCleaner.run();
    }

    /** How to wake the page cleaner when a request arrives. */
    public void onRequest(Runnable wake) {
        this.wakeCleaner = wake;
    }

    /** The standing target the cleaner must flush below (0 when none). */
    public long target() {
        lock.lock();
        try {
            return targetLsn;
        } finally {
            lock.unlock();
        }
    }

    /** The page cleaner says whether it serves requests now (it does not during recovery and startup). */
    public void cleanerServing(boolean serving) {
        lock.lock();
        try {
            cleanerServing = serving;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The page cleaner reports a finished round, whatever it flushed; waiters re-check. */
    public void cleanerRoundDone() {
        roundEnded(false);
    }

    /**
     * The page cleaner reports a round that ended with an exception. Waiters flush by themselves at
     * once instead of waiting out the hand-over timeout: the failure (a full disk, a lost device) is
     * then reported in the waiting thread, where the caller sees it.
     */
    public void cleanerRoundFailed() {
        roundEnded(true);
    }

    private void roundEnded(boolean failed) {
        lock.lock();
        try {
            cleanerRounds++;
            lastRoundFailed = failed;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once every page modified below {@code lsn} is written. Never waits for a party that
     * cannot make progress: see the class comment.
     */
    public void awaitFlushed(long lsn) throws IOException, InterruptedException {
        request(lsn);
        try (WaitRegistry.Wait wait = waits.begin("pages flushed below LSN " + lsn, "page cleaner")) {
            while (flusher.oldestDirtyLsn() < lsn) {
                boolean handOver;
                lock.lock();
                try {
                    handOver = false;
                    if (cleanerServing) {
                        long roundsBefore = cleanerRounds;
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(handOverTimeoutMillis);
                        // A failed last round counts even when it ended before this waiter came:
                        // until a round succeeds again, waiters flush by themselves.
                        while (cleanerServing && !lastRoundFailed && cleanerRounds == roundsBefore
                                && flusher.oldestDirtyLsn() < lsn) {
                            long leftNanos = deadline - System.nanoTime();
                            if (leftNanos <= 0) {
                                handOver = true; // serving but no round finished in time: stuck
                                break;
                            }
                            progress.awaitNanos(leftNanos);
                        }
                        if (!cleanerServing || lastRoundFailed) {
                            handOver = true;
                        }
                    } else {
                        handOver = true;
                    }
                } finally {
                    lock.unlock();
                }
                if (!handOver && flusher.oldestDirtyLsn() < lsn) {
                    // A round ended without reaching lsn (pages dirtied again, or latched while it
                    // passed): the cleaner may be about to sleep a whole interval, so wake it again.
                    wakeCleaner.run();
                }
                if (handOver && flusher.oldestDirtyLsn() < lsn) {
                    wait.progressOwner("waiting thread " + Thread.currentThread().getName());
                    flusher.flushBelow(lsn);
                }
            }
        }
    }
}
