package io.cairn.engine.core;

import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.engine.TablespaceState;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lifecycle of one tablespace, ACTIVE → STOPPING → DROPPED, with counts of pending
 * operations and pending I/O (field report 3, innodb.md section 5).
 *
 * <ul>
 *   <li>Every user operation and every background job takes a reference first
 *       ({@link #acquire} or {@link #tryAcquireForBackground}) and releases it when done; every
 *       transfer on the file counts as pending I/O while it runs.</li>
 *   <li>{@link #beginStop} refuses new references from then on, so nothing new can start: a user
 *       call gets {@link NoSuchTablespaceException}; background work gets {@code false} and skips
 *       the tablespace quietly (no error line: the read-ahead, flush or merge is simply not needed
 *       any more).</li>
 *   <li>{@link #awaitQuiescent} waits until both counts are zero; then the file may be deleted.</li>
 * </ul>
 * The race of the report (a background read that checked "exists" and then read a tablespace that
 * was being deleted) cannot happen: the check and the reference are one atomic step, and the
 * deletion waits for the reference.
 */
public final class TablespaceLifecycle {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiescent = lock.newCondition();
    // Guarded by lock.
    private TablespaceState state = TablespaceState.ACTIVE;
    private long pendingOperations;
    private long pendingIo;

    public TablespaceLifecycle(String name) {
        this.name = name;
    }

    /** The state now. */
    public TablespaceState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a reference for a user operation.
     *
     * @throws NoSuchTablespaceException if the tablespace is stopping or dropped
     */
    public void acquire() {
        lock.lock();
        try {
            if (state != TablespaceState.ACTIVE) {
                throw new NoSuchTablespaceException("no such tablespace: '" + name + "' "
                        + (state == TablespaceState.STOPPING ? "is being dropped" : "was dropped"));
            }
            pendingOperations++;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a reference for background work; false (quietly) if the tablespace is going away. */
    public boolean tryAcquireForBackground() {
        lock.lock();
        try {
            if (state != TablespaceState.ACTIVE) {
                return false;
            }
            pendingOperations++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Releases a reference taken by {@link #acquire} or {@link #tryAcquireForBackground}. */
    public void release() {
        lock.lock();
        try {
            if (pendingOperations <= 0) {
                throw new IllegalStateException("release without acquire on tablespace '" + name + "'");
            }
            pendingOperations--;
            if (pendingOperations == 0 && pendingIo == 0) {
                quiescent.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Counts a transfer on the file; call {@link #ioDone()} when it ends. Only under a reference. */
    public void ioStarted() {
        lock.lock();
        try {
            pendingIo++;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a transfer counted by {@link #ioStarted()}. */
    public void ioDone() {
        lock.lock();
        try {
            pendingIo--;
            if (pendingOperations == 0 && pendingIo == 0) {
                quiescent.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves ACTIVE to STOPPING: no new reference from now on.
     *
     * @throws NoSuchTablespaceException if it is already stopping or dropped
     */
    public void beginStop() {
        lock.lock();
        try {
            if (state != TablespaceState.ACTIVE) {
                throw new NoSuchTablespaceException("no such tablespace: '" + name + "' "
                        + (state == TablespaceState.STOPPING ? "is already being dropped" : "was dropped"));
            }
            state = TablespaceState.STOPPING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no operation and no I/O is pending, registered in {@code waits} with the
     * operations' owners as progress owner. Returns false if the timeout passed first.
     */
    public boolean awaitQuiescent(WaitRegistry waits, long timeoutMillis) throws InterruptedException {
        try (WaitRegistry.Wait wait = waits.begin("pending operations and I/O on tablespace '" + name + "' to end",
                "the threads holding references to it")) {
            lock.lock();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
                while (pendingOperations > 0 || pendingIo > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    quiescent.awaitNanos(left);
                }
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Marks the tablespace DROPPED (after its file is gone). */
    public void markDropped() {
        lock.lock();
        try {
            state = TablespaceState.DROPPED;
        } finally {
            lock.unlock();
        }
    }

    /** Pending operations now. */
    public long pendingOperations() {
        lock.lock();
        try {
            return pendingOperations;
        } finally {
            lock.unlock();
        }
    }

    /** Pending I/O now. */
    public long pendingIo() {
        lock.lock();
        try {
            return pendingIo;
        } finally {
            lock.unlock();
        }
    }
}
