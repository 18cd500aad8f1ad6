package io.cairn.bufferpool.lru;

import static io.cairn.bufferpool.lru.LruBufferPool.CHUNK_SHIFT;
import static io.cairn.bufferpool.lru.LruBufferPool.NIL;
import static io.cairn.bufferpool.lru.LruBufferPool.SLOT_MASK;

import io.cairn.bufferpool.PageId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One buffer pool instance: its chunks, page hash, free list, LRU list with midpoint insertion,
 * flush list and read-ahead detector. Frames are named by an int, {@code chunk << 20 | slot}, and
 * every list is linked through the ints of {@link Chunk}, so the lists cost no objects.
 *
 * <p>Locks, in the only order they are ever nested: {@link #lock} (free list, LRU list, page hash
 * updates, frame flags, counters) before {@link #flushLock} (flush list, oldest LSNs), before a
 * latch stripe monitor (only to notify). Nobody waits for a page latch or does I/O while holding
 * either lock; under them latches are only tried with a single CAS.
 *
 * <p>Section map: lookup and page hash; free list; LRU list; frame life cycle (install, detach,
 * evict); flush list; access, promotion and read-ahead detection.
 */
final class PoolInstance {

    /** Below this many pages the LRU list has no old sublist (InnoDB BUF_LRU_OLD_MIN_LEN). */
    static final int OLD_MIN_LEN = 512;
    /** The young sublist keeps at least this many pages (InnoDB BUF_LRU_NON_OLD_MIN_LEN). */
    static final int NON_OLD_MIN_LEN = 5;
    /** An optimistic page-hash lookup gives up (and takes the lock) after this many chain steps. */
    static final int HASH_MAX_STEPS = 64;
    /** Added to a stamp to mean "long ago", so the next access promotes the page. */
    static final int LONG_AGO = 1 << 30;

    private static final int TRACKER_SLOTS = 16;

    final LruBufferPool pool;
    final int index;
    private final Latch latch;

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled (under {@link #lock}) when a frame may have become available or an I/O finished. */
    final Condition changed = lock.newCondition();
    final ReentrantLock flushLock = new ReentrantLock();
    /**
     * Threads waiting for {@link #changed} because of frames (free-frame waits, shrinking). Read by
     * every fix release that drops a fix count to 0; incremented before the waiter's last scan, so
     * either the scan sees the release or the releaser sees the waiter (both are volatile accesses).
     */
    final AtomicInteger frameWaiters = new AtomicInteger();
    /** Shared fixes of this instance's frames under reader bias: see {@link ReaderSlots}. */
    final ReaderSlots readers = new ReaderSlots();

    /** The chunks; replaced (copy on write, under {@link #lock}) by resize. */
    volatile Chunk[] chunks = new Chunk[0];
    /** Page-hash buckets (frame or NIL); replaced under {@link #lock} when the frame count changes. */
    volatile int[] buckets = emptyBuckets(16);

    // Guarded by lock.
    int freeHead = NIL;
    int freeLen;
    int lruHead = NIL;
    int lruTail = NIL;
    int lruLen;
    /** The first (head-most) page of the old sublist, or NIL when the list is too short to have one. */
    int oldHead = NIL;
    int oldLen;
    int totalFrames;
    /** Frames of chunks being withdrawn by a shrink that are free but kept off the free list. */
    int retiredFrames;
    /** Chunks with this index or higher are being withdrawn; frames freed there are retired. */
    int withdrawFrom = Integer.MAX_VALUE;
    int pendingReads;
    int pendingWrites;
    /**
     * Pages evicted from this instance so far (InnoDB freed_page_clock); written under lock, read
     * without it by the hit path as a hint. Wraps; only differences are used.
     */
    int freedClock;
    /** A young page is moved to the head again only after this many evictions (a quarter of the young sublist). */
    int youngQuarter = 1;

    // Guarded by flushLock. Head = largest oldest-modification LSN, tail = smallest.
    int flushHead = NIL;
    int flushTail = NIL;
    int dirtyPages;

    // Read-ahead detector, guarded by lock: per tracked extent the last page offset seen and how
    // many first accesses went up or down.
    private final int[] trackerSpace = new int[TRACKER_SLOTS];
    private final long[] trackerExtent = new long[TRACKER_SLOTS];
    private final int[] trackerLast = new int[TRACKER_SLOTS];
    private final int[] trackerUp = new int[TRACKER_SLOTS];
    private final int[] trackerDown = new int[TRACKER_SLOTS];
    private final byte[] trackerFired = new byte[TRACKER_SLOTS];

    PoolInstance(LruBufferPool pool, int index, Latch latch) {
        this.pool = pool;
        this.index = index;
        this.latch = latch;
        Arrays.fill(trackerExtent, -1);
    }

    static int[] emptyBuckets(int count) {
        int[] b = new int[count];
        Arrays.fill(b, NIL);
        return b;
    }

    static int bucketCount(int frames) {
        // Half a bucket per frame or less: chains of 2 to 4 on average, 2 bytes per frame at most.
        return Math.max(16, Integer.highestOneBit(Math.max(1, frames)) >>> 1);
    }

    static int hash(int spaceId, long pageNo) {
        long h = pageNo * 0x9E3779B97F4A7C15L + spaceId * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }

    // ------------------------------------------------------------------- frame field access

    Chunk chunk(int frame) {
        return chunks[frame >>> CHUNK_SHIFT];
    }

    /** The chunk of a frame number read without the lock, or null if it no longer exists. */
    Chunk chunkOrNull(int frame) {
        Chunk[] cs = chunks;
        int ci = frame >>> CHUNK_SHIFT;
        if (frame < 0 || ci >= cs.length) {
            return null;
        }
        Chunk c = cs[ci];
        return (frame & SLOT_MASK) < c.frames ? c : null;
    }

    private int geti(int frame, int field) {
        return chunk(frame).ints[(frame & SLOT_MASK) * Chunk.INTS + field];
    }

    private void seti(int frame, int field, int value) {
        chunk(frame).ints[(frame & SLOT_MASK) * Chunk.INTS + field] = value;
    }

    private long getl(int frame, int field) {
        return chunk(frame).longs[(frame & SLOT_MASK) * Chunk.LONGS + field];
    }

    private void setl(int frame, int field, long value) {
        chunk(frame).longs[(frame & SLOT_MASK) * Chunk.LONGS + field] = value;
    }

    int flags(int frame) {
        return chunk(frame).flags[frame & SLOT_MASK];
    }

    void setFlags(int frame, int value) {
        chunk(frame).flags[frame & SLOT_MASK] = (byte) value;
    }

    // ------------------------------------------------------------------ lookup and page hash

    /**
     * Finds the frame of a page without locking. May miss a page that is being moved in the hash
     * (the caller then looks again under the lock) and may return a frame that stops holding the
     * page at any moment (the caller verifies the identity under the latch).
     */
    int lookup(int spaceId, long pageNo) {
        int[] b = buckets;
        Chunk[] cs = chunks;
        int frame = b[hash(spaceId, pageNo) & (b.length - 1)];
        for (int steps = 0; frame >= 0 && steps < HASH_MAX_STEPS; steps++) {
            int ci = frame >>> CHUNK_SHIFT;
            if (ci >= cs.length) {
                return NIL;
            }
            Chunk c = cs[ci];
            int slot = frame & SLOT_MASK;
            if (slot >= c.frames) {
                return NIL;
            }
            if (c.holds(slot, spaceId, pageNo)) {
                return frame;
            }
            frame = c.ints[slot * Chunk.INTS + Chunk.I_HASH_NEXT];
        }
        return NIL;
    }

    /** The frame holding a page (also while it is being read), or NIL. Requires {@link #lock}. */
    int lookupLocked(int spaceId, long pageNo) {
        int[] b = buckets;
        for (int f = b[hash(spaceId, pageNo) & (b.length - 1)]; f != NIL; f = geti(f, Chunk.I_HASH_NEXT)) {
            if (chunk(f).holds(f & SLOT_MASK, spaceId, pageNo)) {
                return f;
            }
        }
        return NIL;
    }

    private void hashInsertLocked(int frame) {
        int[] b = buckets;
        Chunk c = chunk(frame);
        int slot = frame & SLOT_MASK;
        int h = hash(c.spaceId(slot), c.pageNo(slot)) & (b.length - 1);
        seti(frame, Chunk.I_HASH_NEXT, b[h]);
        b[h] = frame;
    }

    private void hashRemoveLocked(int frame) {
        int[] b = buckets;
        Chunk c = chunk(frame);
        int slot = frame & SLOT_MASK;
        int h = hash(c.spaceId(slot), c.pageNo(slot)) & (b.length - 1);
        int next = geti(frame, Chunk.I_HASH_NEXT);
        if (b[h] == frame) {
            b[h] = next;
            return;
        }
        for (int f = b[h]; f != NIL; f = geti(f, Chunk.I_HASH_NEXT)) {
            if (geti(f, Chunk.I_HASH_NEXT) == frame) {
                seti(f, Chunk.I_HASH_NEXT, next);
                return;
            }
        }
        // (The removed frame keeps its next link: an optimistic reader standing on it continues down the chain.)
        throw new IllegalStateException("frame " + frame + " is not in the page hash of instance " + index);
    }

    /** Rebuilds the page hash for the current frame count (after resize). Requires {@link #lock}. */
    void rehashLocked() {
        int[] b = emptyBuckets(bucketCount(totalFrames));
        for (int f = lruHead; f != NIL; f = geti(f, Chunk.I_LRU_NEXT)) {
            Chunk c = chunk(f);
            int slot = f & SLOT_MASK;
            int h = hash(c.spaceId(slot), c.pageNo(slot)) & (b.length - 1);
            seti(f, Chunk.I_HASH_NEXT, b[h]);
            b[h] = f;
        }
        buckets = b;
    }

    // ------------------------------------------------------------------------------ free list

    /** Takes a free frame (exclusively latched by the pool, off every list), or NIL. Requires {@link #lock}. */
    int popFreeLocked() {
        int f = freeHead;
        if (f != NIL) {
            freeHead = geti(f, Chunk.I_LRU_NEXT);
            seti(f, Chunk.I_LRU_NEXT, NIL);
            freeLen--;
        }
        return f;
    }

    /**
     * Puts a frame that holds no page (exclusively latched by the pool) on the free list, or
     * retires it if its chunk is being withdrawn, and wakes frame waiters. Requires {@link #lock}.
     */
    void pushFreeLocked(int frame) {
        if ((frame >>> CHUNK_SHIFT) >= withdrawFrom) {
            setFlags(frame, Chunk.FREE | Chunk.RETIRED);
            retiredFrames++;
        } else {
            seti(frame, Chunk.I_LRU_NEXT, freeHead);
            freeHead = frame;
            freeLen++;
        }
        if (frameWaiters.get() > 0) {
            changed.signalAll();
        }
    }

    /** Removes the free frames of withdrawn chunks from the free list. Requires {@link #lock}. */
    void retireWithdrawnFreeFramesLocked() {
        int kept = NIL;
        int keptLen = 0;
        for (int f = freeHead; f != NIL;) {
            int next = geti(f, Chunk.I_LRU_NEXT);
            if ((f >>> CHUNK_SHIFT) >= withdrawFrom) {
                seti(f, Chunk.I_LRU_NEXT, NIL);
                setFlags(f, Chunk.FREE | Chunk.RETIRED);
                retiredFrames++;
            } else {
                seti(f, Chunk.I_LRU_NEXT, kept);
                kept = f;
                keptLen++;
            }
            f = next;
        }
        freeHead = kept;
        freeLen = keptLen;
    }

    /** Ends a withdrawal that failed: retired frames go back on the free list. Requires {@link #lock}. */
    void cancelWithdrawLocked() {
        int from = withdrawFrom;
        withdrawFrom = Integer.MAX_VALUE;
        Chunk[] cs = chunks;
        for (int ci = from; ci < cs.length; ci++) {
            for (int slot = 0; slot < cs[ci].frames; slot++) {
                if ((cs[ci].flags[slot] & Chunk.RETIRED) != 0) {
                    cs[ci].flags[slot] = Chunk.FREE;
                    retiredFrames--;
                    pushFreeLocked(ci << CHUNK_SHIFT | slot);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------ LRU list

    /** The LRU neighbour towards the head, or NIL. Requires {@link #lock}. */
    int lruPrevLocked(int frame) {
        return geti(frame, Chunk.I_LRU_PREV);
    }

    /**
     * Adds a page to the LRU list: at the midpoint (as the second page of the old sublist, flagged
     * old) when the list has an old sublist and {@code midpoint} is set, otherwise at the head.
     */
    private void lruAddLocked(int frame, boolean midpoint) {
        if (midpoint && oldHead != NIL) {
            int next = geti(oldHead, Chunk.I_LRU_NEXT);
            seti(frame, Chunk.I_LRU_PREV, oldHead);
            seti(frame, Chunk.I_LRU_NEXT, next);
            seti(oldHead, Chunk.I_LRU_NEXT, frame);
            if (next == NIL) {
                lruTail = frame;
            } else {
                seti(next, Chunk.I_LRU_PREV, frame);
            }
            setFlags(frame, flags(frame) | Chunk.OLD);
            oldLen++;
        } else {
            seti(frame, Chunk.I_LRU_PREV, NIL);
            seti(frame, Chunk.I_LRU_NEXT, lruHead);
            if (lruHead == NIL) {
                lruTail = frame;
            } else {
                seti(lruHead, Chunk.I_LRU_PREV, frame);
            }
            lruHead = frame;
            setFlags(frame, flags(frame) & ~Chunk.OLD);
            seti(frame, Chunk.I_STAMP, freedClock);
        }
        lruLen++;
        adjustOldLocked();
    }

    private void lruRemoveLocked(int frame) {
        int prev = geti(frame, Chunk.I_LRU_PREV);
        int next = geti(frame, Chunk.I_LRU_NEXT);
        if ((flags(frame) & Chunk.OLD) != 0) {
            oldLen--;
            if (oldHead == frame) {
                oldHead = next;
            }
        }
        if (prev == NIL) {
            lruHead = next;
        } else {
            seti(prev, Chunk.I_LRU_NEXT, next);
        }
        if (next == NIL) {
            lruTail = prev;
        } else {
            seti(next, Chunk.I_LRU_PREV, prev);
        }
        seti(frame, Chunk.I_LRU_PREV, NIL);
        seti(frame, Chunk.I_LRU_NEXT, NIL);
        setFlags(frame, flags(frame) & ~Chunk.OLD);
        lruLen--;
        adjustOldLocked();
    }

    /**
     * Keeps the old sublist at its target length, min(lruLen x oldRatio / 1024, lruLen - 5), by
     * moving its head one page at a time (each insert or remove moves it at most a step or two).
     * Pages that leave the old sublist this way are promoted on their next access; pages that join
     * it count as accessed long ago (they were young), so their next access promotes them too.
     */
    private void adjustOldLocked() {
        if (lruLen < OLD_MIN_LEN) {
            if (oldHead != NIL) {
                for (int f = oldHead; f != NIL; f = geti(f, Chunk.I_LRU_NEXT)) {
                    setFlags(f, flags(f) & ~Chunk.OLD);
                    seti(f, Chunk.I_STAMP, freedClock - LONG_AGO);
                }
                oldHead = NIL;
                oldLen = 0;
            }
            return;
        }
        if (oldHead == NIL) {
            oldHead = lruTail;
            setFlags(oldHead, flags(oldHead) | Chunk.OLD);
            seti(oldHead, Chunk.I_STAMP, pool.nowMillis() - LONG_AGO);
            oldLen = 1;
        }
        int target = Math.min((int) (((long) lruLen * pool.oldRatio) >>> 10), lruLen - NON_OLD_MIN_LEN);
        while (oldLen < target) {
            int p = geti(oldHead, Chunk.I_LRU_PREV);
            setFlags(p, flags(p) | Chunk.OLD);
            seti(p, Chunk.I_STAMP, pool.nowMillis() - LONG_AGO);
            oldHead = p;
            oldLen++;
        }
        while (oldLen > target) {
            setFlags(oldHead, flags(oldHead) & ~Chunk.OLD);
            seti(oldHead, Chunk.I_STAMP, freedClock - LONG_AGO);
            oldHead = geti(oldHead, Chunk.I_LRU_NEXT);
            oldLen--;
        }
    }

    /**
     * Checks the list invariants of a quiescent instance (tests): list lengths match the counters,
     * links are symmetric, the old sublist is the contiguous tail with exactly the OLD flags, every
     * listed page is in the page hash, and the flush list is sorted with exactly the dirty pages.
     *
     * @return the problems found, empty if none
     */
    java.util.List<String> checkInvariants() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        lock.lock();
        flushLock.lock();
        try {
            int n = 0;
            int olds = 0;
            boolean inOld = false;
            int prev = NIL;
            for (int f = lruHead; f != NIL; f = geti(f, Chunk.I_LRU_NEXT)) {
                if (geti(f, Chunk.I_LRU_PREV) != prev) {
                    problems.add("LRU link of frame " + f + " is not symmetric");
                }
                if (f == oldHead) {
                    inOld = true;
                }
                boolean old = (flags(f) & Chunk.OLD) != 0;
                if (old != inOld) {
                    problems.add("frame " + f + " old flag " + old + " but " + (inOld ? "in" : "before") + " the old sublist");
                }
                olds += old ? 1 : 0;
                Chunk c = chunk(f);
                int slot = f & SLOT_MASK;
                if (lookupLocked(c.spaceId(slot), c.pageNo(slot)) != f) {
                    problems.add("frame " + f + " is on the LRU list but not found in the page hash");
                }
                prev = f;
                n++;
            }
            if (prev != lruTail) {
                problems.add("LRU tail is " + lruTail + ", last frame is " + prev);
            }
            if (n != lruLen) {
                problems.add("LRU list has " + n + " frames, lruLen says " + lruLen);
            }
            if (olds != oldLen) {
                problems.add(olds + " frames flagged old, oldLen says " + oldLen);
            }
            if (lruLen >= OLD_MIN_LEN) {
                int target = Math.min((int) (((long) lruLen * pool.oldRatio) >>> 10), lruLen - NON_OLD_MIN_LEN);
                if (oldLen != target) {
                    problems.add("old sublist has " + oldLen + " pages, target " + target);
                }
            } else if (oldHead != NIL) {
                problems.add("an LRU list of " + lruLen + " pages must have no old sublist");
            }
            int free = 0;
            for (int f = freeHead; f != NIL; f = geti(f, Chunk.I_LRU_NEXT)) {
                long w = Latch.word(chunk(f), f & SLOT_MASK);
                if ((flags(f) & Chunk.STATE_MASK) != Chunk.FREE || !Latch.exclusive(w)) {
                    problems.add("frame " + f + " on the free list is not a free frame latched by the pool");
                }
                if ((w & (Latch.BIAS | Latch.REVOKING)) != 0 || readers.isPublished(f)) {
                    problems.add("frame " + f + " on the free list is under reader bias or held by a reader slot");
                }
                free++;
            }
            if (free != freeLen) {
                problems.add("free list has " + free + " frames, freeLen says " + freeLen);
            }
            int dirty = 0;
            long last = Long.MIN_VALUE;
            for (int f = flushTail; f != NIL; f = geti(f, Chunk.I_FLUSH_PREV)) {
                long oldest = getl(f, Chunk.L_OLDEST);
                if (oldest == 0 || oldest < last) {
                    problems.add("flush list out of order at frame " + f + ": " + oldest + " after " + last);
                }
                last = oldest;
                dirty++;
            }
            if (dirty != dirtyPages) {
                problems.add("flush list has " + dirty + " pages, dirtyPages says " + dirtyPages);
            }
            if (n + free + retiredFrames != totalFrames) {
                problems.add(n + " listed + " + free + " free + " + retiredFrames + " retired != " + totalFrames + " frames");
            }
        } finally {
            flushLock.unlock();
            lock.unlock();
        }
        return problems;
    }

    /** The LRU list from head to tail (tests: list structure and old flags). Requires {@link #lock}. */
    int[] lruOrderLocked() {
        int[] order = new int[lruLen];
        int i = 0;
        for (int f = lruHead; f != NIL; f = geti(f, Chunk.I_LRU_NEXT)) {
            order[i++] = f;
        }
        return order;
    }

    // ------------------------------------------------------------------- frame life cycle

    /**
     * Makes a free frame (popped from the free list, exclusively latched by the pool) hold a page:
     * identity, clean LSNs, state, one fix for the caller, page hash, LRU midpoint. The caller
     * keeps the exclusive latch. Requires {@link #lock}.
     */
    void installLocked(int frame, int spaceId, long pageNo, int state) {
        if (pageNo > Chunk.MAX_PAGE_NO || pageNo < 0 || spaceId < 0) {
            throw new IllegalArgumentException("space " + spaceId + " page " + pageNo + " is outside what the pool holds");
        }
        Chunk c = chunk(frame);
        int slot = frame & SLOT_MASK;
        c.longs[slot * Chunk.LONGS + Chunk.L_PAGE_NO] = Chunk.identity(spaceId, pageNo);
        c.longs[slot * Chunk.LONGS + Chunk.L_OLDEST] = 0;
        c.longs[slot * Chunk.LONGS + Chunk.L_NEWEST] = 0;
        c.flags[slot] = (byte) state;
        Latch.addFix(c, slot);
        hashInsertLocked(frame);
        lruAddLocked(frame, true);
        if (state == Chunk.READING) {
            pendingReads++;
        }
    }

    /**
     * Removes the page of a frame whose exclusive latch the caller holds from the page hash and the
     * LRU list, clears its identity and wakes waiters for it. The frame then belongs to the caller
     * (exclusively latched, on no list). Requires {@link #lock}; the page must be clean or already
     * off the flush list.
     */
    void detachLocked(int frame, boolean dropFix) {
        Chunk c = chunk(frame);
        int slot = frame & SLOT_MASK;
        hashRemoveLocked(frame);
        lruRemoveLocked(frame);
        c.longs[slot * Chunk.LONGS + Chunk.L_PAGE_NO] = Chunk.NO_PAGE;
        c.flags[slot] = Chunk.FREE;
        latch.identityChanged(c, slot, frame, dropFix);
    }

    /**
     * Evicts the page of a frame to the free list if it is replaceable: a clean valid page that is
     * not fixed, latched or being written. Requires {@link #lock}; never waits.
     */
    boolean evictIfReplaceableLocked(int frame) {
        Chunk c = chunk(frame);
        int slot = frame & SLOT_MASK;
        int fl = c.flags[slot];
        if ((fl & Chunk.STATE_MASK) != Chunk.PAGE || (fl & Chunk.WRITING) != 0 || c.oldest(slot) != 0) {
            return false;
        }
        if (!latch.tryLatchForEviction(c, slot, frame, readers, -1)) {
            return false;
        }
        if (c.oldest(slot) != 0) {
            latch.releaseExclusiveWithoutFix(c, slot, frame);
            return false;
        }
        detachLocked(frame, false);
        freedClock++;
        pushFreeLocked(frame);
        return true;
    }

    /**
     * Takes a free frame: from the free list, else by evicting a replaceable page among the last
     * {@code depth} pages of the LRU list. Requires {@link #lock}.
     *
     * @return the frame (exclusively latched by the pool, off every list), or NIL
     */
    int takeFreeLocked(int depth) {
        int f = popFreeLocked();
        if (f != NIL) {
            return f;
        }
        int scanned = 0;
        for (int cur = lruTail; cur != NIL && scanned < depth; scanned++) {
            int prev = geti(cur, Chunk.I_LRU_PREV);
            if (evictIfReplaceableLocked(cur)) {
                f = popFreeLocked();
                if (f != NIL) {
                    return f;
                }
            }
            cur = prev;
        }
        return NIL;
    }

    /**
     * The first dirty page among the last {@code depth} LRU pages that is neither fixed nor being
     * written, as a flush candidate, or null. Requires {@link #lock}.
     */
    LruBufferPool.DirtyPage dirtyVictimLocked(int depth) {
        int scanned = 0;
        for (int f = lruTail; f != NIL && scanned < depth; f = geti(f, Chunk.I_LRU_PREV), scanned++) {
            LruBufferPool.DirtyPage page = dirtyCandidateLocked(f);
            if (page != null) {
                return page;
            }
        }
        return null;
    }

    /** The page of a frame as a flush candidate if it is dirty, unfixed and not being written, else null. */
    LruBufferPool.DirtyPage dirtyCandidateLocked(int frame) {
        Chunk c = chunk(frame);
        int slot = frame & SLOT_MASK;
        int fl = c.flags[slot];
        if ((fl & Chunk.STATE_MASK) == Chunk.PAGE && (fl & Chunk.WRITING) == 0 && c.oldest(slot) != 0
                && Latch.fixCount(Latch.word(c, slot)) == 0) {
            return new LruBufferPool.DirtyPage(this, frame, c.spaceId(slot), c.pageNo(slot), c.oldest(slot));
        }
        return null;
    }

    /**
     * The pages on this instance's LRU list that hold a page (not being read in), from the head
     * (most recently used) towards the tail, at most {@code maxPages}.
     */
    List<PageId> cachedPages(int maxPages) {
        lock.lock();
        try {
            List<PageId> pages = new ArrayList<>(Math.min(maxPages, lruLen));
            for (int f = lruHead; f != NIL && pages.size() < maxPages; f = geti(f, Chunk.I_LRU_NEXT)) {
                Chunk c = chunk(f);
                int slot = f & SLOT_MASK;
                if ((c.flags[slot] & Chunk.STATE_MASK) == Chunk.PAGE) {
                    pages.add(new PageId(c.spaceId(slot), c.pageNo(slot)));
                }
            }
            return pages;
        } finally {
            lock.unlock();
        }
    }

    /** The frames and page numbers of every page of a tablespace in this instance. Requires {@link #lock}. */
    long[] framesOfSpaceLocked(int spaceId) {
        long[] found = new long[16];
        int n = 0;
        for (int f = lruHead; f != NIL; f = geti(f, Chunk.I_LRU_NEXT)) {
            if (chunk(f).spaceId(f & SLOT_MASK) == spaceId) {
                if (n + 2 > found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                found[n++] = f;
                found[n++] = getl(f, Chunk.L_PAGE_NO) & Chunk.MAX_PAGE_NO;
            }
        }
        return Arrays.copyOf(found, n);
    }

    /**
     * Whether a free-frame search could succeed now: a free frame, or an LRU page that is not
     * fixed and not being written (clean ones are evicted, dirty ones written). Requires {@link #lock}.
     */
    boolean mayYieldFrameLocked() {
        if (freeHead != NIL) {
            return true;
        }
        for (int f = lruTail; f != NIL; f = geti(f, Chunk.I_LRU_PREV)) {
            Chunk c = chunk(f);
            int slot = f & SLOT_MASK;
            int fl = c.flags[slot];
            long w = Latch.word(c, slot);
            if ((fl & Chunk.STATE_MASK) == Chunk.PAGE && (fl & Chunk.WRITING) == 0 && Latch.fixCount(w) == 0
                    && ((w & (Latch.BIAS | Latch.REVOKING)) == 0 || !readers.isPublished(f))) {
                return true;
            }
        }
        return false;
    }

    /** Marks a page as being written unless it already is. Requires {@link #lock}. */
    boolean claimWriteLocked(int frame) {
        int fl = flags(frame);
        if ((fl & Chunk.WRITING) != 0 || (fl & Chunk.STATE_MASK) != Chunk.PAGE) {
            return false;
        }
        setFlags(frame, fl | Chunk.WRITING);
        pendingWrites++;
        return true;
    }

    /** Ends a write claim and wakes whoever waits for I/O or frames. */
    void releaseWriteClaim(int frame) {
        lock.lock();
        try {
            setFlags(frame, flags(frame) & ~Chunk.WRITING);
            pendingWrites--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes frame waiters after a fix count dropped to 0, if there are any. */
    void fixReleased() {
        if (frameWaiters.get() > 0) {
            signalChanged();
        }
    }

    private void signalChanged() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------- flush list

    /** Puts a page that was clean on the flush list in oldest-modification order. Caller holds its exclusive latch. */
    void addDirty(int frame, long oldestLsn) {
        flushLock.lock();
        try {
            setl(frame, Chunk.L_OLDEST, oldestLsn);
            // New dirty pages usually carry the largest LSN and stop at the head at once.
            int prev = NIL;
            int cur = flushHead;
            while (cur != NIL && getl(cur, Chunk.L_OLDEST) > oldestLsn) {
                prev = cur;
                cur = geti(cur, Chunk.I_FLUSH_NEXT);
            }
            seti(frame, Chunk.I_FLUSH_PREV, prev);
            seti(frame, Chunk.I_FLUSH_NEXT, cur);
            if (prev == NIL) {
                flushHead = frame;
            } else {
                seti(prev, Chunk.I_FLUSH_NEXT, frame);
            }
            if (cur == NIL) {
                flushTail = frame;
            } else {
                seti(cur, Chunk.I_FLUSH_PREV, frame);
            }
            dirtyPages++;
        } finally {
            flushLock.unlock();
        }
    }

    /** Takes a page off the flush list (it is clean or being dropped). Requires {@link #flushLock}. */
    void removeDirtyLocked(int frame) {
        if (getl(frame, Chunk.L_OLDEST) == 0) {
            return;
        }
        int prev = geti(frame, Chunk.I_FLUSH_PREV);
        int next = geti(frame, Chunk.I_FLUSH_NEXT);
        if (prev == NIL) {
            flushHead = next;
        } else {
            seti(prev, Chunk.I_FLUSH_NEXT, next);
        }
        if (next == NIL) {
            flushTail = prev;
        } else {
            seti(next, Chunk.I_FLUSH_PREV, prev);
        }
        seti(frame, Chunk.I_FLUSH_PREV, NIL);
        seti(frame, Chunk.I_FLUSH_NEXT, NIL);
        setl(frame, Chunk.L_OLDEST, 0);
        dirtyPages--;
    }

    void removeDirty(int frame) {
        flushLock.lock();
        try {
            removeDirtyLocked(frame);
        } finally {
            flushLock.unlock();
        }
    }

    /** A frame's identity across instances, for sets of frames. */
    long key(int frame) {
        return (long) index << 32 | frame;
    }

    /** The smallest oldest-modification LSN in this instance, or 0. */
    long oldestModificationLsn() {
        flushLock.lock();
        try {
            return flushTail == NIL ? 0 : getl(flushTail, Chunk.L_OLDEST);
        } finally {
            flushLock.unlock();
        }
    }

    /** The largest oldest-modification LSN in this instance, or 0. */
    long newestOldestLsn() {
        flushLock.lock();
        try {
            return flushHead == NIL ? 0 : getl(flushHead, Chunk.L_OLDEST);
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Up to {@code max} flush candidates from the tail (oldest first) whose oldest modification is
     * below {@code lsnLimit}, that are not being written and not in {@code exclude} (pages already
     * tried by the same flush call, see {@link #key}).
     */
    void gatherFlushCandidates(int max, long lsnLimit, java.util.Set<Long> exclude,
            java.util.List<LruBufferPool.DirtyPage> out) {
        flushLock.lock();
        try {
            int taken = 0;
            for (int f = flushTail; f != NIL && taken < max; f = geti(f, Chunk.I_FLUSH_PREV)) {
                long oldest = getl(f, Chunk.L_OLDEST);
                if (oldest >= lsnLimit) {
                    break;
                }
                if ((flags(f) & Chunk.WRITING) == 0 && !exclude.contains(key(f))) {
                    Chunk c = chunk(f);
                    int slot = f & SLOT_MASK;
                    out.add(new LruBufferPool.DirtyPage(this, f, c.spaceId(slot), c.pageNo(slot), oldest));
                    taken++;
                }
            }
        } finally {
            flushLock.unlock();
        }
    }

    /** Adds the count of dirty pages per LSN bucket (clamped into the first and last bucket). */
    void countDirty(long[] bounds, long[] counts) {
        flushLock.lock();
        try {
            for (int f = flushTail; f != NIL; f = geti(f, Chunk.I_FLUSH_PREV)) {
                long oldest = getl(f, Chunk.L_OLDEST);
                int i = java.util.Arrays.binarySearch(bounds, oldest);
                int bucket = i >= 0 ? i : Math.min(-i - 1, bounds.length - 1);
                counts[bucket]++;
            }
        } finally {
            flushLock.unlock();
        }
    }

    // -------------------------------------------------- access, promotion, read-ahead detection

    /** First access of a page since it was read: flags it accessed and feeds the read-ahead detector. */
    void firstAccess(int frame) {
        lock.lock();
        try {
            firstAccessLocked(frame);
        } finally {
            lock.unlock();
        }
    }

    void firstAccessLocked(int frame) {
        firstAccessLocked(frame, true);
    }

    /** Flags a page accessed; {@code track} feeds the read-ahead detector (not for created pages). */
    void firstAccessLocked(int frame, boolean track) {
        // An optimistic reader holds no fix: its frame may have been reused or withdrawn meanwhile.
        Chunk c = chunkOrNull(frame);
        if (c == null) {
            return;
        }
        int slot = frame & SLOT_MASK;
        int fl = c.flags[slot];
        if ((fl & Chunk.ACCESSED) != 0 || (fl & Chunk.STATE_MASK) != Chunk.PAGE) {
            return;
        }
        c.flags[slot] = (byte) (fl | Chunk.ACCESSED);
        if ((fl & Chunk.OLD) != 0) {
            c.ints[slot * Chunk.INTS + Chunk.I_STAMP] = pool.nowMillis();
        }
        if (track) {
            noteFirstAccessLocked(c.spaceId(slot), c.pageNo(slot));
        }
    }

    /** A read finished: the frame holds a valid page (still latched by the reader). */
    void completeRead(int frame, boolean accessed) {
        lock.lock();
        try {
            setFlags(frame, (flags(frame) & ~Chunk.STATE_MASK) | Chunk.PAGE);
            pendingReads--;
            if (accessed) {
                firstAccessLocked(frame, true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A created page is ready (zeroed, still latched by its creator). */
    void completeCreate(int frame) {
        lock.lock();
        try {
            firstAccessLocked(frame, false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A read failed or was skipped: the page leaves the hash and the LRU list, waiters are woken
     * and see that the frame no longer holds it, the reader's fix is dropped and the frame goes
     * back to the free list.
     */
    void abandonRead(int frame) {
        lock.lock();
        try {
            pendingReads--;
            detachLocked(frame, true);
            pushFreeLocked(frame);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a page to the head of the LRU list if it still qualifies (old, or young but drifted
     * past the first quarter of the young sublist).
     *
     * @return true if it moved
     */
    boolean makeYoung(int frame) {
        lock.lock();
        try {
            // An optimistic reader holds no fix: the frame may have been withdrawn (or reused, in
            // which case another page is promoted; only a heuristic suffers).
            Chunk c = chunkOrNull(frame);
            if (c == null) {
                return false;
            }
            int slot = frame & SLOT_MASK;
            int fl = c.flags[slot];
            if ((fl & Chunk.STATE_MASK) != Chunk.PAGE) {
                return false;
            }
            if ((fl & Chunk.OLD) == 0 && freedClock - c.ints[slot * Chunk.INTS + Chunk.I_STAMP] < youngQuarter) {
                return false; // another thread moved it meanwhile
            }
            lruRemoveLocked(frame);
            lruAddLocked(frame, false);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Linear read-ahead detection: counts first accesses of distinct pages of an extent in
     * ascending or descending page order; at the threshold the next (or previous) extent is
     * requested once. Requires {@link #lock}.
     */
    private void noteFirstAccessLocked(int spaceId, long pageNo) {
        int threshold = pool.readAheadThreshold;
        if (threshold == 0) {
            return;
        }
        long extent = pageNo >>> LruBufferPool.EXTENT_SHIFT;
        int offset = (int) (pageNo & (LruBufferPool.EXTENT_PAGES - 1));
        int s = hash(spaceId, extent) & (TRACKER_SLOTS - 1);
        if (trackerExtent[s] != extent || trackerSpace[s] != spaceId) {
            trackerSpace[s] = spaceId;
            trackerExtent[s] = extent;
            trackerLast[s] = offset;
            trackerUp[s] = 1;
            trackerDown[s] = 1;
            trackerFired[s] = 0;
        } else if (offset > trackerLast[s]) {
            trackerUp[s]++;
            trackerLast[s] = offset;
        } else if (offset < trackerLast[s]) {
            trackerDown[s]++;
            trackerLast[s] = offset;
        }
        if (trackerUp[s] >= threshold && (trackerFired[s] & 1) == 0) {
            trackerFired[s] |= 1;
            if (extent < (Long.MAX_VALUE >>> LruBufferPool.EXTENT_SHIFT)) {
                pool.requestReadAhead(spaceId, (extent + 1) << LruBufferPool.EXTENT_SHIFT, pendingReads, totalFrames);
            }
        }
        if (trackerDown[s] >= threshold && (trackerFired[s] & 2) == 0) {
            trackerFired[s] |= 2;
            if (extent > 0) {
                pool.requestReadAhead(spaceId, (extent - 1) << LruBufferPool.EXTENT_SHIFT, pendingReads, totalFrames);
            }
        }
    }
}
