package io.cairn.engine.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lets a buffer pool replacement wait until no mini-transaction uses the pool, and holds new ones
 * back meanwhile. Entering and leaving cost one increment of a striped counter each (no shared
 * word that every committing thread writes); only while the gate is closed do they take a monitor.
 */
final class MtrGate {

    private final LongAdder active = new LongAdder();
    private final Object monitor = new Object();
    private volatile boolean closed;

    /** Called before a mini-transaction touches the pool; waits while the gate is closed. */
    void enter() {
        for (;;) {
            active.increment();
            if (!closed) {
                return;
            }
            // Closed after all: step back out (the closer may be waiting for exactly us) and wait.
            active.decrement();
            boolean interrupted = false;
            synchronized (monitor) {
                monitor.notifyAll();
                while (closed) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // a swap is short and bounded; keep the flag for the caller
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called once the mini-transaction released every page. */
    void exit() {
        active.decrement();
        if (closed) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /**
     * Holds new mini-transactions back and waits until the running ones ended.
     *
     * @return false if some were still running after {@code timeoutMillis} (the gate is open again)
     */
    boolean close(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (monitor) {
            closed = true;
            while (active.sum() != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    open();
                    return false;
                }
                // A leaving thread notifies; the slice only bounds a missed sum (LongAdder.sum is not atomic).
                TimeUnit.NANOSECONDS.timedWait(monitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            return true;
        }
    }

    /** Lets mini-transactions in again. */
    void open() {
        synchronized (monitor) {
            closed = false;
            monitor.notifyAll();
        }
    }

    /** Mini-transactions inside now (a racy snapshot, for messages). */
    long active() {
        return active.sum();
    }
}
