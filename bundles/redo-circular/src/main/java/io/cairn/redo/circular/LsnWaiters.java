package io.cairn.redo.circular;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Commits waiting for a position (the written or the flushed LSN) to reach theirs. Whoever moves
 * the position wakes only the waiters it covers, so a sync does not wake commits it did not serve.
 *
 * <p>No lost wake-up: a waiter enqueues itself before it reads the position, and a waker moves
 * the position before it scans the queue; an unpark that comes before the park makes it return.
 */
final class LsnWaiters {

    private record Waiter(long lsn, Thread thread) {
    }

    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();

    /**
     * Waits up to {@code sliceNanos} for {@code position >= lsn} or {@code abort}.
     *
     * @return whether the position reached {@code lsn} or {@code abort} became true
     * @throws InterruptedException if interrupted (the flag is then clear)
     */
    boolean await(LongSupplier position, long lsn, BooleanSupplier abort, long sliceNanos) throws InterruptedException {
        if (position.getAsLong() >= lsn || abort.getAsBoolean()) {
            return true;
        }
        Waiter w = new Waiter(lsn, Thread.currentThread());
        queue.add(w);
        try {
            long deadline = System.nanoTime() + sliceNanos;
            while (position.getAsLong() < lsn && !abort.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for redo up to LSN " + lsn);
                }
            }
            return true;
        } finally {
            queue.remove(w);
        }
    }

    /** Wakes the waiters whose LSN is at or below {@code reached}. */
    void wakeUpTo(long reached) {
        for (Waiter w : queue) {
            if (w.lsn() <= reached) {
                LockSupport.unpark(w.thread());
            }
        }
    }

    void wakeAll() {
        for (Waiter w : queue) {
            LockSupport.unpark(w.thread());
        }
    }
}
