package io.cairn.redo.support;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Threads waiting for a position (written or flushed LSN) to reach their LSN. A waker wakes only
 * the waiters its new position covers, so a group-commit sync does not wake the committers it did
 * not serve (InnoDB 8.0 wakes per log block for the same reason, innodb.md 3.5).
 *
 * <p>Waking fans out: the waker (the flusher, right after its sync) unparks at most
 * {@link #FAN_OUT} covered waiters, and each woken waiter unparks up to {@link #FAN_OUT} more on
 * its way out. Unparking costs a system call per thread; this way the flusher can start the next
 * sync after two of them instead of one per committer, and the rest happens in parallel. A waiter
 * leaving for any reason (covered, timed out, interrupted, failure) passes the wake-up on.
 *
 * <p>No lost wake-ups: a waiter enqueues itself and then reads the position; a waker publishes
 * the position and then scans the queue. An unpark that comes before the park makes the park
 * return at once. *
 * <p>{@link #coverUpTo} and {@link #uncovered} are for a flusher that sizes its next batch by the
 * committers still waiting; a log that does not do that never calls them.
 */
public final class LsnWaiters {

    /** Unparks per waker. */
    public static final int FAN_OUT = 2;

    private static final class Waiter {
        final long lsn;
        final Thread thread;
        /** Set by the one waker that unparks this waiter. */
        final AtomicBoolean woken = new AtomicBoolean();
        /** True while this waiter is counted in {@link #uncovered}; cleared by whoever uncounts it. */
        final AtomicBoolean counted = new AtomicBoolean(true);

        Waiter(long lsn, Thread thread) {
            this.lsn = lsn;
            this.thread = thread;
        }
    }

    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
    /** Waiters not yet covered by a {@link #coverUpTo} and still waiting. */
    private final AtomicInteger uncovered = new AtomicInteger();
    /**
     * Waits that found their position reached only when their time slice ran out, without having
     * been woken: a lost wake-up (or a waker that had not yet reached them). Tests expect 0.
     */
    private final AtomicLong unwokenExpiries = new AtomicLong();

    /** {@link #await(LongSupplier, long, BooleanSupplier, long, Runnable)} with nothing to run once enqueued. */
    public boolean await(LongSupplier position, long lsn, BooleanSupplier abort, long timeoutNanos)
            throws InterruptedException {
        return await(position, lsn, abort, timeoutNanos, () -> { });
    }

    /**
     * Parks until {@code position >= lsn} or {@code abort} is true or {@code timeoutNanos} passed.
     * {@code enqueued} runs once the waiter is counted in {@link #uncovered()} (it wakes whoever
     * serves the wait).
     *
     * @return whether the position reached {@code lsn} or {@code abort} became true
     * @throws InterruptedException if interrupted; the interrupt flag is then clear
     */
    public boolean await(LongSupplier position, long lsn, BooleanSupplier abort, long timeoutNanos, Runnable enqueued)
            throws InterruptedException {
        if (position.getAsLong() >= lsn || abort.getAsBoolean()) {
            return true;
        }
        Waiter waiter = new Waiter(lsn, Thread.currentThread());
        queue.add(waiter);
        uncovered.incrementAndGet();
        enqueued.run();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (position.getAsLong() < lsn && !abort.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for LSN " + lsn);
                }
                if (deadline - System.nanoTime() <= 0 && position.getAsLong() >= lsn && !waiter.woken.get()) {
                    unwokenExpiries.incrementAndGet();
                }
            }
            return true;
        } finally {
            queue.remove(waiter);
            if (waiter.counted.compareAndSet(true, false)) {
                uncovered.decrementAndGet();
            }
            wakeUpTo(position.getAsLong());
        }
    }

    /** Starts waking the waiters whose LSN is at or below {@code reached} (see the class comment). */
    public void wakeUpTo(long reached) {
        int left = FAN_OUT;
        for (Waiter w : queue) {
            if (w.lsn <= reached && !w.woken.get() && w.woken.compareAndSet(false, true)) {
                LockSupport.unpark(w.thread);
                if (--left == 0) {
                    return;
                }
            }
        }
    }

    /** Wakes every waiter (after a failure or at close). */
    public void wakeAll() {
        for (Waiter w : queue) {
            LockSupport.unpark(w.thread);
        }
    }

    /** How many threads wait now. */
    public int size() {
        return queue.size();
    }

    /**
     * Stops counting the waiters whose LSN is at or below {@code lsn} as {@link #uncovered()};
     * call just before publishing a position that covers them. Returns how many it uncounted.
     */
    public int coverUpTo(long lsn) {
        int n = 0;
        for (Waiter w : queue) {
            if (w.lsn <= lsn && w.counted.compareAndSet(true, false)) {
                uncovered.decrementAndGet();
                n++;
            }
        }
        return n;
    }

    /** See {@link #unwokenExpiries}. */
    public long unwokenExpiries() {
        return unwokenExpiries.get();
    }

    /** Waiters still waiting that no {@link #coverUpTo} covered: O(1). */
    public int uncovered() {
        return uncovered.get();
    }
}
