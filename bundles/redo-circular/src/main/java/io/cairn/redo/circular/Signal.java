package io.cairn.redo.circular;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Threads waiting for a condition on volatile state, woken by whoever changes that state. Costs
 * the signaller one volatile read while nobody waits.
 *
 * <p>No lost wake-up: a waiter counts itself in {@link #waiting} and then evaluates the
 * condition; a signaller changes the state and then reads {@link #waiting}.
 */
final class Signal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Threads inside {@link #await}; written under the lock, read without it. */
    private volatile int waiting;

    void signalAll() {
        if (waiting > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    int waiting() {
        return waiting;
    }

    /**
     * Waits up to {@code timeoutNanos} for {@code done}.
     *
     * @return whether {@code done} became true
     * @throws InterruptedException if interrupted (the flag is then clear)
     */
    boolean await(BooleanSupplier done, long timeoutNanos) throws InterruptedException {
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
