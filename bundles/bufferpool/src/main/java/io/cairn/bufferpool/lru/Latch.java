package io.cairn.bufferpool.lru;

import io.cairn.bufferpool.LatchMode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-frame latch: one {@code long} word per frame in {@link Chunk#longs} that holds the fix
 * count, the shared and exclusive latch, and a sequence number for optimistic reads. Keeping all
 * of it in one word makes the hit path one compare-and-swap to fix and latch and one to release;
 * a page under reader bias needs none on the word (see {@link ReaderSlots}).
 *
 * <pre>
 *  63      50 49      35    34       33        32       31    30              0
 * +----------+----------+----------+---------+-----------+------+-----------------+
 * | fix count| shared   | REVOKING | WAITERS | EXCLUSIVE | BIAS | sequence        |
 * +----------+----------+----------+---------+-----------+------+-----------------+
 * </pre>
 *
 * <p>Rules (the contract every caller keeps):
 * <ol>
 *   <li>A latch is only held together with a fix; the fix is taken first (or in the same CAS).
 *       A fixed frame is never evicted by the LRU: eviction CASes from a word whose fix count is 0
 *       and then makes sure no reader slot holds the frame (rule 5).
 *       An optimistic reader holds neither and relies on rule 3 alone.
 *   <li>EXCLUSIVE excludes shared holders and other exclusive holders. The frame's identity
 *       (space id, page number) only changes while EXCLUSIVE is held, so a holder of either latch
 *       reads a stable identity. Frames on the free list keep EXCLUSIVE set, owned by the pool.
 *   <li>The sequence is incremented whenever EXCLUSIVE is released after a possible change,
 *       whenever the identity changes and when an eviction ends a revocation. Setting BIAS does
 *       not change it (only readers came). An optimistic reader records the
 *       sequence while EXCLUSIVE is clear and later validates that the word still has the same
 *       sequence and EXCLUSIVE clear (a seqlock; 2^31 writes during one optimistic read would be
 *       needed to fool it).
 *   <li>WAITERS means some thread waits on this frame's stripe monitor for EXCLUSIVE to clear, the
 *       shared count to reach 0, the reader slots to drain or the identity to change. It is set
 *       inside the monitor; whoever makes such a change of the word clears it in the same CAS and
 *       then notifies the monitor, so a wakeup is never lost. A slot reader that leaves while
 *       BIAS is clear notifies without clearing it (it does not change the word). Waiting never
 *       happens while holding a pool lock.
 *   <li>Reader bias. BIAS set: a shared fix may be a reader slot instead of counts in the word, and
 *       such a fix and latch count like the ones in the word. REVOKING set (BIAS clear): slot
 *       readers may remain, no new ones start. Both clear: no slot reader holds the frame (a
 *       reader that published a slot and then saw neither bit set backs out without reading).
 *       BIAS is only set while EXCLUSIVE, WAITERS and REVOKING are clear; whoever wants EXCLUSIVE
 *       first turns BIAS into REVOKING, and REVOKING is only cleared in the CAS that takes
 *       EXCLUSIVE after a scan of the slots found none holding the frame. That EXCLUSIVE is
 *       released with a bumped sequence (a change, an identity change, or an eviction's bump when
 *       it clears REVOKING), so a revoker's CAS from a word read before the scan fails if BIAS
 *       came and went meanwhile.
 * </ol>
 */
final class Latch {

    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    static final long SEQUENCE_MASK = 0x7FFF_FFFFL;
    static final long BIAS = 1L << 31;
    static final long EXCLUSIVE = 1L << 32;
    static final long WAITERS = 1L << 33;
    static final long REVOKING = 1L << 34;
    static final int SHARED_SHIFT = 35;
    static final long SHARED_ONE = 1L << SHARED_SHIFT;
    static final int SHARED_MAX = 0x7FFF;
    static final int FIX_SHIFT = 50;
    static final long FIX_ONE = 1L << FIX_SHIFT;
    static final int FIX_MAX = 0x3FFF;

    /** How often a revoker waiting for slot readers scans the slots again (see {@link ReaderSlots#clear}). */
    static final long SLOT_POLL_MILLIS = 1;

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

    /** The word after incrementing the sequence (wrapping within its 31 bits). */
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
     * it, as long as the frame holds the page. For EXCLUSIVE this revokes reader bias first and
     * waits for the frame's reader slots to drain.
     *
     * @return the sequence at the time the latch was taken, or {@link #MISMATCH} if the frame no
     *     longer holds the page (the fix is still held; the caller releases it)
     */
    long await(Chunk chunk, int slot, int frame, ReaderSlots readers, int spaceId, long pageNo, LatchMode mode) {
        Object monitor = stripes[frame & (STRIPES - 1)];
        boolean exclusive = mode == LatchMode.EXCLUSIVE;
        boolean interrupted = false;
        try {
            for (;;) {
                long w = word(chunk, slot);
                if (!chunk.holds(slot, spaceId, pageNo)) {
                    return MISMATCH;
                }
                if (exclusive && (w & BIAS) != 0) {
                    cas(chunk, slot, w, (w & ~BIAS) | REVOKING); // no new slot readers from here on
                    continue;
                }
                if (available(w, mode) && !(exclusive && slotReadersRemain(w, frame, readers))) {
                    if (mode == LatchMode.OPTIMISTIC) {
                        return sequence(w);
                    }
                    long taken;
                    if (mode == LatchMode.SHARED) {
                        checkSharedRoom(w, chunk, slot);
                        taken = w + SHARED_ONE;
                    } else {
                        // Fails if BIAS was set and revoked again since w was read: the sequence moved.
                        taken = (w | EXCLUSIVE) & ~REVOKING;
                    }
                    if (cas(chunk, slot, w, taken)) {
                        return sequence(w);
                    }
                    continue;
                }
                synchronized (monitor) {
                    w = word(chunk, slot);
                    if (!chunk.holds(slot, spaceId, pageNo) || (exclusive && (w & BIAS) != 0)) {
                        continue;
                    }
                    if ((w & WAITERS) == 0) {
                        if (!cas(chunk, slot, w, w | WAITERS)) {
                            continue;
                        }
                        w |= WAITERS;
                    }
                    // After WAITERS is visible: a slot reader leaving after this scan usually sees
                    // WAITERS and notifies (it needs this monitor), but its release store may pass
                    // its read of the word (ReaderSlots.clear), so a wait for slot readers polls.
                    boolean waitingForSlots = exclusive && slotReadersRemain(w, frame, readers);
                    if (available(w, mode) && !waitingForSlots) {
                        continue;
                    }
                    try {
                        if (waitingForSlots) {
                            monitor.wait(SLOT_POLL_MILLIS);
                        } else {
                            monitor.wait();
                        }
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

    private static boolean slotReadersRemain(long word, int frame, ReaderSlots readers) {
        return (word & (BIAS | REVOKING)) != 0 && readers.isPublished(frame);
    }

    /** Whether a shared fix may set BIAS: nobody holds or waits for the frame exclusively and no revocation runs. */
    static boolean mayBias(long word) {
        return (word & (BIAS | REVOKING | EXCLUSIVE | WAITERS)) == 0;
    }

    /**
     * For eviction (under a pool lock, so it never waits): takes EXCLUSIVE without a fix on a frame
     * nobody fixed, neither through the word nor through a reader slot, whose sequence is
     * {@code sequence} (any when negative). A frame under bias is revoked on the way; if slot
     * readers remain, it stays REVOKING so that a later attempt only has to scan again.
     */
    boolean tryLatchForEviction(Chunk chunk, int slot, int frame, ReaderSlots readers, long sequence) {
        long w = word(chunk, slot);
        if (fixCount(w) != 0 || exclusive(w) || (sequence >= 0 && sequence(w) != sequence)) {
            return false;
        }
        if ((w & (BIAS | REVOKING)) == 0) {
            return cas(chunk, slot, w, w | EXCLUSIVE);
        }
        if (!cas(chunk, slot, w, (w & ~BIAS) | REVOKING | EXCLUSIVE)) {
            return false;
        }
        if (readers.isPublished(frame)) {
            releaseExclusiveWithoutFix(chunk, slot, frame); // keeps REVOKING
            return false;
        }
        // EXCLUSIVE held, BIAS clear, no slot readers: none can come, REVOKING has done its work.
        // The bump matters if the eviction is then abandoned (released without a change): a
        // revoker that read the word before must not find it as it was (rule 5).
        for (;;) {
            long now = word(chunk, slot);
            if (cas(chunk, slot, now, bumped(now) & ~REVOKING)) {
                return true;
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

    /**
     * Releases a shared fix held through a reader slot. If bias is being revoked and someone waits,
     * wakes the frame's monitor: the revoker may be waiting for exactly this slot.
     */
    void releaseSlot(Chunk chunk, int slot, int frame, ReaderSlots readers, int index) {
        readers.clear(index);
        long w = word(chunk, slot);
        if ((w & (WAITERS | BIAS)) == WAITERS) {
            wake(frame);
        }
    }

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
