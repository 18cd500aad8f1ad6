package io.cairn.redo.log;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The log buffer: LSN reservation, a circular byte buffer that appenders copy into in parallel,
 * and a link buffer that tracks how far the copies are contiguously complete (InnoDB 8.0's
 * {@code recent_written}, innodb.md 3.4).
 *
 * <p>An append reserves {@code [start, end)} with one compare-and-set on {@link #reserved}, copies
 * its bytes to {@code start mod ring size} without any lock, then publishes by storing {@code end}
 * in the link slot {@code start mod link slots}. {@link #advanceReady()} follows the chain of
 * published links from {@link #ready()}: every byte below {@code ready} is copied. Anyone may
 * advance it (appenders after publishing, the writer before writing); it is a CAS loop.
 *
 * <p>Why one slot per start LSN cannot collide: a reservation is refused while
 * {@code start - ready >= link slots}, so all unconsumed groups start within one window of the
 * slot count and their starts differ modulo it. A slot still holding the end of an older,
 * consumed group is recognised because that end is {@code <= ready}: ready only takes group
 * boundaries and passed that group. So slots are never cleared.
 *
 * <p>Memory visibility: the copy happens before the volatile store of the link; the advancer's
 * volatile load of the link happens before its CAS of {@code ready}; the writer's volatile load
 * of {@code ready} therefore sees every copied byte below it.
 */
final class LogBuffer {

    /** Result of {@link #tryReserve}: the group would take the checkpoint age past capacity. */
    static final long NO_CAPACITY = -1;
    /** Result of {@link #tryReserve}: the ring holds unwritten bytes where the group would go. */
    static final long NO_BUFFER_SPACE = -2;
    /** Result of {@link #tryReserve}: too many groups are reserved but not yet copied. */
    static final long NO_LINK_SLOT = -3;

    private final byte[] ring;
    private final int ringMask;
    private final AtomicLongArray links;
    private final int linkMask;

    /** The next LSN to reserve: the current LSN. */
    private final AtomicLong reserved;
    /** Every byte below is copied into the ring. */
    private final AtomicLong ready;
    /** Ring bytes below this LSN were taken out by the writer and may be overwritten. Writer-owned. */
    private volatile long released;

    /**
     * @param ringBytes the ring size, a power of two
     * @param linkSlots the link buffer size, a power of two: how far reservations may run ahead
     *     of the oldest group still being copied
     * @param startLsn the LSN of the first group
     */
    LogBuffer(int ringBytes, int linkSlots, long startLsn) {
        if (Integer.bitCount(ringBytes) != 1 || Integer.bitCount(linkSlots) != 1) {
            throw new IllegalArgumentException("ring and link sizes must be powers of two");
        }
        this.ring = new byte[ringBytes];
        this.ringMask = ringBytes - 1;
        this.links = new AtomicLongArray(linkSlots);
        this.linkMask = linkSlots - 1;
        this.reserved = new AtomicLong(startLsn);
        this.ready = new AtomicLong(startLsn);
        this.released = startLsn;
    }

    int ringBytes() {
        return ring.length;
    }

    long reserved() {
        return reserved.get();
    }

    long ready() {
        return ready.get();
    }

    long released() {
        return released;
    }

    /**
     * Reserves {@code size} bytes, or says why not.
     *
     * @param capacityLimitLsn the group's end may not pass this LSN (checkpoint + capacity)
     * @return the start LSN, or {@link #NO_CAPACITY}, {@link #NO_BUFFER_SPACE}, {@link #NO_LINK_SLOT}
     */
    long tryReserve(int size, long capacityLimitLsn) {
        while (true) {
            long start = reserved.get();
            long blocked = blockedReason(start, size, capacityLimitLsn);
            if (blocked != 0) {
                return blocked;
            }
            if (reserved.compareAndSet(start, start + size)) {
                return start;
            }
        }
    }

    /** Why a reservation of {@code size} would fail now, or 0 when it would succeed. */
    long blockedReason(int size, long capacityLimitLsn) {
        return blockedReason(reserved.get(), size, capacityLimitLsn);
    }

    private long blockedReason(long start, int size, long capacityLimitLsn) {
        long end = start + size;
        if (end > capacityLimitLsn) {
            return NO_CAPACITY;
        }
        if (end - released > ring.length) {
            return NO_BUFFER_SPACE;
        }
        if (start - ready.get() >= links.length()) {
            return NO_LINK_SLOT;
        }
        return 0;
    }

    /** Copies a reserved group's bytes into the ring. Runs in parallel with other copies. */
    void copyIn(long start, byte[] src, int length) {
        int position = (int) (start & ringMask);
        int first = Math.min(length, ring.length - position);
        System.arraycopy(src, 0, ring, position, first);
        if (first < length) {
            System.arraycopy(src, first, ring, 0, length - first);
        }
    }

    /** Marks {@code [start, end)} as copied and advances {@link #ready()} as far as possible. */
    long publish(long start, long end) {
        links.set((int) (start & linkMask), end);
        return advanceReady();
    }

    /** Follows published links from {@code ready}; returns the new ready LSN. */
    long advanceReady() {
        while (true) {
            long tail = ready.get();
            long next = links.get((int) (tail & linkMask));
            if (next <= tail) {
                return tail;
            }
            ready.compareAndSet(tail, next);
        }
    }

    /** Copies ring bytes {@code [lsn, lsn + length)} (all below {@link #ready()}) into {@code dst} at its position. */
    void copyOut(long lsn, ByteBuffer dst, int length) {
        int position = (int) (lsn & ringMask);
        int first = Math.min(length, ring.length - position);
        dst.put(ring, position, first);
        if (first < length) {
            dst.put(ring, 0, length - first);
        }
    }

    /** The writer took everything below {@code lsn} out of the ring. */
    void release(long lsn) {
        released = lsn;
    }
}
