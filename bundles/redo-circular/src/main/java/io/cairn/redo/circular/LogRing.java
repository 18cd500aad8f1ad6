package io.cairn.redo.circular;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-memory log buffer between appenders and the writer: a byte ring indexed by LSN, filled
 * in parallel, and a table of completed ranges that tells the writer how far the bytes are
 * contiguously complete.
 *
 * <p>An appender reserves {@code [start, end)} by one compare-and-set of {@link #reserved},
 * copies its bytes into the ring without a lock, and then stores {@code end} in the completion
 * table at {@code start} modulo its size. {@link #advanceReady()} follows stored ends from
 * {@link #ready()}, so every byte below {@code ready} is copied. Entries need no clearing: a
 * reservation is refused while its start is a table size or more ahead of {@code ready}, so the
 * starts of all groups not yet passed are distinct modulo the size, and a stale entry holds an end
 * at or below {@code ready}, which the advance ignores.
 *
 * <p>Visibility: the copy precedes the volatile store of the end; the advancer's volatile load of
 * it precedes its compare-and-set of {@code ready}; a reader of {@code ready} sees the bytes below.
 */
final class LogRing {

    /** {@link #tryReserve} result: the group would pass the capacity limit. */
    static final long NO_CAPACITY = -1;
    /** {@link #tryReserve} result: the ring still holds unwritten bytes where the group would go. */
    static final long NO_RING_SPACE = -2;
    /** {@link #tryReserve} result: too many groups are reserved and not yet copied. */
    static final long NO_COMPLETION_SLOT = -3;

    private final byte[] ring;
    private final int ringMask;
    private final AtomicLongArray completedEnds;
    private final int completedMask;
    private final AtomicLong reserved;
    private final AtomicLong ready;
    /** Ring bytes below this LSN were taken out by the writer. Written only by the writer. */
    private volatile long released;

    LogRing(int ringBytes, int completionSlots, long startLsn) {
        if (Integer.bitCount(ringBytes) != 1 || Integer.bitCount(completionSlots) != 1) {
            throw new IllegalArgumentException("ring and completion table sizes must be powers of two");
        }
        ring = new byte[ringBytes];
        ringMask = ringBytes - 1;
        completedEnds = new AtomicLongArray(completionSlots);
        completedMask = completionSlots - 1;
        reserved = new AtomicLong(startLsn);
        ready = new AtomicLong(startLsn);
        released = startLsn;
    }

    int ringBytes() {
        return ring.length;
    }

    long reserved() {
        return reserved.get();
    }

    long released() {
        return released;
    }

    /** Reserves {@code size} bytes ending at or below {@code limitLsn}, or says why it cannot. */
    long tryReserve(int size, long limitLsn) {
        while (true) {
            long start = reserved.get();
            long why = refusal(start, size, limitLsn);
            if (why != 0) {
                return why;
            }
            if (reserved.compareAndSet(start, start + size)) {
                return start;
            }
        }
    }

    /** Why a reservation of {@code size} would be refused now, or 0. */
    long refusal(int size, long limitLsn) {
        return refusal(reserved.get(), size, limitLsn);
    }

    private long refusal(long start, int size, long limitLsn) {
        if (start + size > limitLsn) {
            return NO_CAPACITY;
        }
        if (start + size - released > ring.length) {
            return NO_RING_SPACE;
        }
        if (start - ready.get() >= completedEnds.length()) {
            return NO_COMPLETION_SLOT;
        }
        return 0;
    }

    void copyIn(long start, byte[] src) {
        int at = (int) (start & ringMask);
        int first = Math.min(src.length, ring.length - at);
        System.arraycopy(src, 0, ring, at, first);
        System.arraycopy(src, first, ring, 0, src.length - first);
    }

    /** Marks {@code [start, end)} copied; returns the ready LSN after advancing it. */
    long publish(long start, long end) {
        completedEnds.set((int) (start & completedMask), end);
        return advanceReady();
    }

    long advanceReady() {
        while (true) {
            long at = ready.get();
            long end = completedEnds.get((int) (at & completedMask));
            if (end <= at) {
                return at;
            }
            ready.compareAndSet(at, end);
        }
    }

    /** Copies ring bytes {@code [lsn, lsn + length)}, all below ready, into {@code dst} at its position. */
    void copyOut(long lsn, ByteBuffer dst, int length) {
        int at = (int) (lsn & ringMask);
        int first = Math.min(length, ring.length - at);
        dst.put(ring, at, first);
        dst.put(ring, 0, length - first);
    }

    /** The writer took every byte below {@code lsn} out of the ring. */
    void release(long lsn) {
        released = lsn;
    }
}
