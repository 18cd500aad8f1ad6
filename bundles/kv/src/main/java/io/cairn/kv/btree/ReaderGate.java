package io.cairn.kv.btree;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A read-write gate for a lock that is taken shared on every operation and exclusively almost
 * never (close, drop, truncate). A {@link ReentrantReadWriteLock}'s shared acquire is a CAS on one
 * word that every thread writes, so on a machine where moving a cache line between cores costs
 * hundreds of nanoseconds (see docs/benchmarks.md) two threads reading pay that on each call.
 * Here the shared side counts itself in a {@link LongAdder}, whose cells spread over threads, and
 * reads a flag; only while an exclusive holder is in does it fall back to the lock.
 *
 * <p>Ordering (the Dekker pattern, safe because both sides use volatile accesses): a reader
 * increments its count and then reads the flag; an exclusive holder sets the flag and then waits
 * for the counts to drain, so at least one of the two sees the other.
 */
final class ReaderGate {

    private final LongAdder inside = new LongAdder();
    private volatile boolean exclusive;
    /** Held by the exclusive side; readers that met the flag queue on its shared side. */
    private final ReentrantReadWriteLock fallback = new ReentrantReadWriteLock();

    /**
     * Enters shared.
     *
     * @return the token to pass to {@link #exitShared}
     */
    boolean enterShared() {
        inside.increment();
        if (!exclusive) {
            return true;
        }
        inside.decrement();
        fallback.readLock().lock(); // waits until the exclusive holder is out
        return false;
    }

    void exitShared(boolean token) {
        if (token) {
            inside.decrement();
        } else {
            fallback.readLock().unlock();
        }
    }

    /** Enters exclusively: waits for every shared holder to leave. Not reentrant. */
    void enterExclusive() {
        fallback.writeLock().lock();
        exclusive = true;
        long pauseNanos = 1_000;
        while (inside.sum() != 0) {
            // Shared holders are in for one operation each; back off to at most 1 ms a look.
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    void exitExclusive() {
        exclusive = false;
        fallback.writeLock().unlock();
    }
}
