package io.cairn.bufferpool.lru;

import io.cairn.bufferpool.LatchMode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-frame latch: one {@code long} word per frame in {@link Chunk#longs} that holds the fix
 * count, the shared and exclusive latch, and a sequence number for optimistic reads. Keeping all
 * of it in one word makes the hit path one compare-and-swap to fix and latch and one to release.
 *
 * <pre>
 *  63        49 48       34   33        32          31                     0
 * +------------+-----------+---------+-----------+------------------------+
 * | fix count  | shared    | WAITERS | EXCLUSIVE | sequence               |
 * +------------+-----------+---------+-----------+------------------------+
 * </pre>
 *
 * <p>Rules (the contract every caller keeps):
 * <ol>
 *   <li>A latch is only held together with a fix; the fix is taken first (or in the same CAS).
 *       A fixed frame is never evicted by the LRU: eviction CASes from a word whose fix count is 0.
 *       An optimistic reader holds neither and relies on rule 3 alone.
 *   <li>EXCLUSIVE excludes shared holders and other exclusive holders. The frame's identity
 *       (space id, page number) only changes while EXCLUSIVE is held, so a holder of either latch
 *       reads a stable identity. Frames on the free list keep EXCLUSIVE set, owned by the pool.
 *   <li>The sequence is incremented whenever EXCLUSIVE is released after a possible change and
 *       whenever the identity changes. An optimistic reader records the sequence while EXCLUSIVE is
 *       clear and later validates that the word still has the same sequence and EXCLUSIVE clear
 *       (a seqlock; 2^32 writes during one optimistic read would be needed to fool it).
 *   <li>WAITERS means some thread waits on this frame's stripe monitor for EXCLUSIVE to clear, the
 *       shared count to reach 0 or the identity to change. It is set inside the monitor; whoever
 *       makes such a change clears it in the same CAS and then notifies the monitor, so a wakeup
 *       is never lost. Waiting never happens while holding a pool lock.
 * </ol>
 */
final class Latch {

    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    static final long SEQUENCE_MASK = 0xFFFF_FFFFL;
    static final long EXCLUSIVE = 1L << 32;
    static final long WAITERS = 1L << 33;
    static final int SHARED_SHIFT = 34;
    static final long SHARED_ONE = 1L << SHARED_SHIFT;
    static final int SHARED_MAX = 0x7FFF;
    static final int FIX_SHIFT = 49;
    static final long FIX_ONE = 1L << FIX_SHIFT;
    static final int FIX_MAX = 0x7FFF;

    /** Returned by waits when the frame stopped holding the expected page. */
    static final long MISMATCH = -1;

    private static final int STRIPES = 256;

    /** Monitors that waiters block on; frame f uses {@code stripes[f % STRIPES]}. */
    private final Object[] stripes = new Object[STRIPES];

    Latch() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    static int fixCount(long word) {
        return (int) (word >>> FIX_SHIFT);
    }

    static int sharedCount(long word) {
        return (int) ((word >>> SHARED_SHIFT) & SHARED_MAX);
    }

    static boolean exclusive(long word) {
        return (word & EXCLUSIVE) != 0;
    }

    static long sequence(long word) {
        return word & SEQUENCE_MASK;
    }

    static long word(Chunk chunk, int slot) {
        return (long) WORDS.getVolatile(chunk.longs, slot * Chunk.LONGS + Chunk.L_WORD);
    }

    static boolean cas(Chunk chunk, int slot, long expected, long value) {
        return WORDS.compareAndSet(chunk.longs, slot * Chunk.LONGS + Chunk.L_WORD, expected, value);
    }

    static long exchange(Chunk chunk, int slot, long expected, long value) {
        return (long) WORDS.compareAndExchange(chunk.longs, slot * Chunk.LONGS + Chunk.L_WORD, expected, value);
    }

    /** The word after incrementing the sequence (wrapping within its 32 bits). */
    static long bumped(long word) {
        return (word & ~SEQUENCE_MASK) | ((word + 1) & SEQUENCE_MASK);
    }

    /**
     * Whether no exclusive latch was taken and the identity did not change since {@code earlier}
     * (a word, or a bare sequence, read while EXCLUSIVE was clear). Orders the caller's plain reads
     * before the re-read of the word, as the reader side of a seqlock must.
     */
    static boolean unchangedSince(Chunk chunk, int slot, long earlier) {
        VarHandle.acquireFence();
        long now = word(chunk, slot);
        return (now & EXCLUSIVE) == 0 && sequence(now) == sequence(earlier);
    }

    static void checkFixRoom(long word, Chunk chunk, int slot) {
        if (fixCount(word) == FIX_MAX) {
            throw new IllegalStateException("page " + chunk.pageNo(slot) + " of tablespace " + chunk.spaceId(slot)
                    + " is fixed " + FIX_MAX + " times; a handle is probably leaked");
        }
    }

    private static void checkSharedRoom(long word, Chunk chunk, int slot) {
        if (sharedCount(word) == SHARED_MAX) {
            throw new IllegalStateException("page " + chunk.pageNo(slot) + " of tablespace " + chunk.spaceId(slot)
                    + " is latched shared " + SHARED_MAX + " times; a handle is probably leaked");
        }
    }

    // ---------------------------------------------------------------------------- acquire

    /**
     * Adds one fix without latching (the first half of a blocking fix).
     */
    static void addFix(Chunk chunk, int slot) {
        long w = word(chunk, slot);
        for (;;) {
            checkFixRoom(w, chunk, slot);
            long witness = exchange(chunk, slot, w, w + FIX_ONE);
            if (witness == w) {
                return;
            }
            w = witness;
        }
    }

    /**
     * Takes a fix and a shared latch in one CAS if EXCLUSIVE is clear and, when {@code sequence} is
     * not negative, the sequence equals it. Never blocks.
     *
     * @return the word before the CAS, or {@link #MISMATCH} if the latch was not available
     */
    static long tryFixShared(Chunk chunk, int slot, long sequence) {
        long w = word(chunk, slot);
        for (;;) {
            if (exclusive(w) || (sequence >= 0 && sequence(w) != sequence)) {
                return MISMATCH;
            }
            checkFixRoom(w, chunk, slot);
            checkSharedRoom(w, chunk, slot);
            long witness = exchange(chunk, slot, w, w + FIX_ONE + SHARED_ONE);
            if (witness == w) {
                return w;
            }
            w = witness;
        }
    }

    /**
     * Waits until the latch in {@code mode} can be taken on a frame this thread has fixed, and takes
     * it, as long as the frame holds the page.
     *
     * @return the sequence at the time the latch was taken, or {@link #MISMATCH} if the frame no
     *     longer holds the page (the fix is still held; the caller releases it)
     */
    long await(Chunk chunk, int slot, int frame, int spaceId, long pageNo, LatchMode mode) {
        Object monitor = stripes[frame & (STRIPES - 1)];
        boolean interrupted = false;
        try {
            for (;;) {
                long w = word(chunk, slot);
                if (!chunk.holds(slot, spaceId, pageNo)) {
                    return MISMATCH;
                }
                if (available(w, mode)) {
                    if (mode == LatchMode.OPTIMISTIC) {
                        return sequence(w);
                    }
                    long taken = mode == LatchMode.SHARED ? w + SHARED_ONE : w | EXCLUSIVE;
                    if (mode == LatchMode.SHARED) {
                        checkSharedRoom(w, chunk, slot);
                    }
                    if (cas(chunk, slot, w, taken)) {
                        return sequence(w);
                    }
                    continue;
                }
                synchronized (monitor) {
                    w = word(chunk, slot);
                    if (!chunk.holds(slot, spaceId, pageNo) || available(w, mode)) {
                        continue;
                    }
                    if ((w & WAITERS) == 0 && !cas(chunk, slot, w, w | WAITERS)) {
                        continue;
                    }
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        // Page latch waits are not interruptible (the holder finishes soon and the
                        // caller cannot leave half a mini-transaction); keep the flag for later.
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static boolean available(long word, LatchMode mode) {
        switch (mode) {
            case EXCLUSIVE:
                return !exclusive(word) && sharedCount(word) == 0;
            default:
                return !exclusive(word);
        }
    }

    // ---------------------------------------------------------------------------- release

    /** Releases a shared latch and its fix; returns the new word. */
    long releaseShared(Chunk chunk, int slot, int frame) {
        long w = word(chunk, slot);
        for (;;) {
            long next = w - SHARED_ONE - FIX_ONE;
            if (sharedCount(next) == 0) {
                next &= ~WAITERS;
            }
            long witness = exchange(chunk, slot, w, next);
            if (witness == w) {
                wakeIfNeeded(w, next, frame);
                return next;
            }
            w = witness;
        }
    }

    /**
     * Releases an exclusive latch and its fix; {@code changed} bumps the sequence for optimistic
     * readers. Returns the new word.
     */
    long releaseExclusive(Chunk chunk, int slot, int frame, boolean changed) {
        long w = word(chunk, slot);
        for (;;) {
            long next = ((changed ? bumped(w) : w) & ~(EXCLUSIVE | WAITERS)) - FIX_ONE;
            long witness = exchange(chunk, slot, w, next);
            if (witness == w) {
                wakeIfNeeded(w, next, frame);
                return next;
            }
            w = witness;
        }
    }

    /** Releases an exclusive latch that was taken without a fix (eviction attempts), unchanged. */
    void releaseExclusiveWithoutFix(Chunk chunk, int slot, int frame) {
        long w = word(chunk, slot);
        for (;;) {
            long next = w & ~(EXCLUSIVE | WAITERS);
            long witness = exchange(chunk, slot, w, next);
            if (witness == w) {
                wakeIfNeeded(w, next, frame);
                return;
            }
            w = witness;
        }
    }

    /** Releases only a fix (optimistic handles and abandoned attempts); returns the new word. */
    static long releaseFix(Chunk chunk, int slot) {
        long w = word(chunk, slot);
        for (;;) {
            long witness = exchange(chunk, slot, w, w - FIX_ONE);
            if (witness == w) {
                return w - FIX_ONE;
            }
            w = witness;
        }
    }

    /**
     * Turns an exclusive latch (and its fix) into {@code mode} after a read: the sequence is bumped
     * (the contents changed) and waiters are woken. For OPTIMISTIC the fix is dropped too.
     *
     * @return the new word (its sequence is the stamp of an optimistic handle)
     */
    long downgrade(Chunk chunk, int slot, int frame, LatchMode mode) {
        long w = word(chunk, slot);
        for (;;) {
            long next = bumped(w) & ~(EXCLUSIVE | WAITERS);
            if (mode == LatchMode.SHARED) {
                next += SHARED_ONE;
            } else {
                next -= FIX_ONE;
            }
            long witness = exchange(chunk, slot, w, next);
            if (witness == w) {
                wakeIfNeeded(w, next, frame);
                return next;
            }
            w = witness;
        }
    }

    /**
     * Records an identity change of a frame whose exclusive latch the caller holds (the pool's own
     * latch for a free frame): bumps the sequence, keeps EXCLUSIVE, optionally drops one fix, and
     * wakes waiters so that they notice the page is gone. Returns the new word.
     */
    long identityChanged(Chunk chunk, int slot, int frame, boolean dropFix) {
        long w = word(chunk, slot);
        for (;;) {
            long next = bumped(w) & ~WAITERS;
            if (dropFix) {
                next -= FIX_ONE;
            }
            long witness = exchange(chunk, slot, w, next);
            if (witness == w) {
                wakeIfNeeded(w, next, frame);
                return next;
            }
            w = witness;
        }
    }

    private void wakeIfNeeded(long before, long after, int frame) {
        if ((before & WAITERS) != 0 && (after & WAITERS) == 0) {
            wake(frame);
        }
    }

    private void wake(int frame) {
        Object monitor = stripes[frame & (STRIPES - 1)];
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }
}
