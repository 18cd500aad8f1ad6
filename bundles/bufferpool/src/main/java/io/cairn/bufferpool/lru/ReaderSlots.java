package io.cairn.bufferpool.lru;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The reader slots of one pool instance: where a thread records the frames it holds shared without
 * touching their latch words (reader bias, after BRAVO: Dice and Kogan, "BRAVO — Biased Locking
 * for Reader-Writer Locks", USENIX ATC 2019).
 *
 * <p>Why: a shared fix that counts itself in the frame's latch word writes a cache line every other
 * thread fixing the page also writes. On a host where moving a line between cores costs about
 * 250 ns, two threads reading the same pages pay that on every other fix. A slot is written only by
 * the thread that owns its stripe, so a biased fix writes no line another reading thread writes.
 *
 * <p>Layout: {@link #STRIPES} stripes of {@link #SLOTS_PER_STRIPE} ints, one stripe per thread
 * (by thread id, so consecutive threads get different stripes; threads sharing a stripe stay
 * correct and only share its line). Stripes lie 128 bytes apart, so no two share a cache line or
 * the adjacent line the hardware prefetches with it. A slot holds {@code frame + 1}, 0 when empty.
 *
 * <p>The protocol with the latch word ({@link Latch#BIAS}, {@link Latch#REVOKING}) is a Dekker
 * handshake: a reader publishes its slot and then reads the word; a revoker changes the word and
 * then scans the slots. Both sides use sequentially consistent accesses, so at least one of them
 * sees the other: either the reader sees the revocation and backs out, or the revoker sees the
 * slot and waits for it.
 */
final class ReaderSlots {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);

    static final int STRIPES = 32;
    static final int SLOTS_PER_STRIPE = 16;
    /** Ints from one stripe to the next: 128 bytes. */
    private static final int STRIDE = 32;
    /** Stripe 0 starts one stride in, off the line that holds the array header. */
    private static final int BASE = STRIDE;

    private final int[] slots = new int[BASE + STRIPES * STRIDE];

    /**
     * Records that the calling thread is about to read {@code frame} under reader bias.
     *
     * @return the slot's index, for {@link #clear}; or -1 if every slot of the thread's stripe is
     *     taken (the caller fixes the page through its latch word instead)
     */
    int tryPublish(int frame) {
        int stripe = BASE + ((int) Thread.currentThread().getId() & (STRIPES - 1)) * STRIDE;
        int start = frame & (SLOTS_PER_STRIPE - 1);
        for (int i = 0; i < SLOTS_PER_STRIPE; i++) {
            int index = stripe + ((start + i) & (SLOTS_PER_STRIPE - 1));
            if ((int) SLOTS.getOpaque(slots, index) == 0 && SLOTS.compareAndSet(slots, index, 0, frame + 1)) {
                return index;
            }
        }
        return -1;
    }

    /**
     * Empties a slot this thread published. A release store, not a volatile one: it orders the
     * thread's reads of the page before it (a revoker that sees the slot empty sees a reader that
     * is done), and it saves the full fence a volatile store costs on every release, which on a
     * working set larger than the caches also stops the next fix's cache misses from overlapping
     * this one's. The price: the caller's next read of the latch word may pass the store, so it may
     * miss a revoker's WAITERS bit; revokers therefore poll while they wait for slot readers
     * ({@link Latch#SLOT_POLL_MILLIS}).
     */
    void clear(int index) {
        SLOTS.setRelease(slots, index, 0);
    }

    /** Whether any slot holds {@code frame}. Called by revokers after they changed the latch word. */
    boolean isPublished(int frame) {
        int value = frame + 1;
        for (int stripe = BASE; stripe < slots.length; stripe += STRIDE) {
            for (int i = 0; i < SLOTS_PER_STRIPE; i++) {
                if ((int) SLOTS.getVolatile(slots, stripe + i) == value) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Slots in use, for tests and statistics; a racy snapshot. */
    int published() {
        int n = 0;
        for (int stripe = BASE; stripe < slots.length; stripe += STRIDE) {
            for (int i = 0; i < SLOTS_PER_STRIPE; i++) {
                if ((int) SLOTS.getVolatile(slots, stripe + i) != 0) {
                    n++;
                }
            }
        }
        return n;
    }
}
