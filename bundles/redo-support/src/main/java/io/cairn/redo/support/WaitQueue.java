package io.cairn.redo.support;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Threads waiting for a condition on volatile state, woken by whoever changes that state. Cheap
 * for the signaller when nobody waits: one volatile read, no lock.
 *
 * <p>No lost wake-ups: a waiter increments {@link #waiting} and then evaluates the condition; a
 * signaller changes the state and then reads {@link #waiting}. Volatile accesses are sequentially
 * consistent, so either the waiter sees the new state or the signaller sees the waiter.
 */
public final class WaitQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Threads inside {@link #await}; written under {@link #lock}, read without it. */
    private volatile int waiting;

    /** Wakes every waiter if there is one; call after changing the state waiters look at. */
    public void signalAll() {
        if (waiting > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** How many threads wait now. */
    public int waiting() {
        return waiting;
    }

    /**
     * Waits until {@code done} is true or {@code timeoutNanos} passed.
     *
     * @return whether {@code done} became true
     * @throws InterruptedException if interrupted; the interrupt flag is then clear
     */
    public boolean await(BooleanSupplier done, long timeoutNanos) throws InterruptedException {
        if (done.getAsBoolean()) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            waiting++;
            try {
                while (!done.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    changed.awaitNanos(left);
                }
                return true;
            } finally {
                waiting--;
            }
        } finally {
            lock.unlock();
        }
    }
}
