package io.cairn.bufferpool.clock;

import io.cairn.bufferpool.PageId;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.StampedLock;

/**
 * One page frame and its descriptor.
 *
 * <p>Every field but {@link #memory}, {@link #latch} and {@link #serial} is guarded by the lock of
 * the {@link ClockInstance} that owns the frame. The bytes in {@link #memory} are guarded by
 * {@link #latch}. {@link #pageId} and {@link #newestLsn} are also volatile so that a handle can
 * report them without taking the instance lock; they are still only written under it.
 */
final class Frame {

    /** On the free list (or retired by a shrink): holds no page. */
    static final int FREE = 0;
    /** In the page hash while its page is read; the reader holds the latch exclusively. */
    static final int LOADING = 1;
    /** In the page hash with valid contents. */
    static final int PAGE = 2;
    /**
     * Out of the page hash but still fixed by threads that found it before (a read that failed,
     * a dropped tablespace): the last fix to go returns it to the free list.
     */
    static final int DETACHED = 3;

    /** Unique in the pool; breaks ties between equal LSNs in the flush list. */
    final long serial;
    /** {@code pageSizeBytes} bytes at an aligned address, position 0, limit the page size. Never repositioned. */
    final ByteBuffer memory;
    /** SHARED maps to a read lock, EXCLUSIVE to the write lock, OPTIMISTIC to a validated stamp. */
    final StampedLock latch = new StampedLock();

    int state = FREE;
    volatile PageId pageId;
    /** Threads that hold a handle (or wait for the latch) on this frame: while above 0 it is not evicted. */
    int fixCount;
    /** The CLOCK reference bit: set by every fix, cleared by the hand passing. */
    boolean referenced;
    /** Set by a shrink on frames of the chunks it withdraws: never handed out again. */
    boolean withdrawn;

    boolean dirty;
    /** The start LSN of the first change since the page was last clean; the flush list's key. */
    long oldestLsn;
    volatile long newestLsn;
    /** A write of this page is in progress; it is neither evicted nor written a second time meanwhile. */
    boolean writing;
    /** The write in progress has copied the page, so later changes are not in what it writes. */
    boolean copied;
    /** The start LSN of the first change after the copy, or -1: what the page's oldest LSN becomes after the write. */
    long changedSinceCopyLsn = -1;

    Frame(long serial, ByteBuffer memory) {
        this.serial = serial;
        this.memory = memory;
    }

    /** A frame no fix, latch or write holds, whose page could be dropped right now. */
    boolean replaceableLocked() {
        return state == PAGE && fixCount == 0 && !writing;
    }

    @Override
    public String toString() {
        return "Frame[" + serial + ", state " + state + ", " + pageId + ", fixes " + fixCount
                + (dirty ? ", dirty from LSN " + oldestLsn : "") + (writing ? ", writing" : "") + "]";
    }
}
