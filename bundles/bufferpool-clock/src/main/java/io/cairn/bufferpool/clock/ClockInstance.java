package io.cairn.bufferpool.clock;

import io.cairn.bufferpool.PageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One buffer pool instance: its frames, page hash, free list, clock hand and flush list, all
 * behind one lock.
 *
 * <p>Methods named {@code ...Locked} require {@link #lock}. None of them blocks: they never wait
 * for a page latch (they only try one) and never do I/O, so the lock is only ever held briefly.
 * Threads that must wait (for a frame, for a write to finish, for fixes to go) wait on
 * {@link #changed}, which is signalled whenever a fix count drops to 0, a write ends, a frame
 * becomes free or the geometry changes.
 */
final class ClockInstance {

    /** Oldest modification first; the serial makes two pages with the same LSN distinct. */
    private static final Comparator<Frame> BY_OLDEST_LSN =
            Comparator.<Frame>comparingLong(f -> f.oldestLsn).thenComparingLong(f -> f.serial);

    final int index;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();

    private final Map<PageId, Frame> pageHash = new HashMap<>();
    private final ArrayDeque<Frame> freeList = new ArrayDeque<>();
    /** Dirty pages; a frame's key {@link Frame#oldestLsn} only changes while the frame is out of the set. */
    private final TreeSet<Frame> flushList = new TreeSet<>(BY_OLDEST_LSN);
    /** Chunk {@code c} owns {@code frames[c * framesPerChunk, (c + 1) * framesPerChunk)}. */
    private Frame[] frames = new Frame[0];
    private int chunkCount;
    /** Index in {@link #frames} of the next frame the hand looks at. */
    private int hand;
    private int pendingReads;
    private int pendingWrites;
    private long secondChances;

    ClockInstance(int index) {
        this.index = index;
    }

    // ----------------------------------------------------------------------------- geometry

    int chunkCountLocked() {
        return chunkCount;
    }

    int frameCountLocked() {
        return frames.length;
    }

    Frame frameLocked(int frameIndex) {
        return frames[frameIndex];
    }

    /** Adds whole chunks of new frames; they come off the free list in address order. */
    void addFramesLocked(List<Frame> added, int addedChunks) {
        int first = frames.length;
        frames = Arrays.copyOf(frames, first + added.size());
        for (int i = 0; i < added.size(); i++) {
            frames[first + i] = added.get(i);
            freeList.addLast(added.get(i));
        }
        chunkCount += addedChunks;
        changed.signalAll();
    }

    /** Starts a shrink: frames from {@code firstWithdrawn} on are never handed out again. */
    void withdrawFromLocked(int firstWithdrawn) {
        for (int i = firstWithdrawn; i < frames.length; i++) {
            frames[i].withdrawn = true;
        }
        freeList.removeIf(f -> f.withdrawn);
    }

    /** Whether every withdrawn frame holds nothing and nobody holds it. */
    boolean withdrawnFramesEmptyLocked(int firstWithdrawn) {
        for (int i = firstWithdrawn; i < frames.length; i++) {
            if (frames[i].state != Frame.FREE || frames[i].fixCount != 0) {
                return false;
            }
        }
        return true;
    }

    /** Ends a shrink: drops the withdrawn frames (all free) and their chunks. */
    void dropWithdrawnLocked(int firstWithdrawn, int keptChunks) {
        frames = Arrays.copyOf(frames, firstWithdrawn);
        chunkCount = keptChunks;
        hand = frames.length == 0 ? 0 : hand % frames.length;
        changed.signalAll();
    }

    /** Undoes {@link #withdrawFromLocked} after a failed shrink. */
    void cancelWithdrawLocked() {
        for (Frame f : frames) {
            if (f.withdrawn) {
                f.withdrawn = false;
                if (f.state == Frame.FREE && f.fixCount == 0) {
                    freeList.addLast(f);
                }
            }
        }
        changed.signalAll();
    }

    /** Forgets everything (close). */
    void clearLocked() {
        pageHash.clear();
        freeList.clear();
        flushList.clear();
        frames = new Frame[0];
        chunkCount = 0;
        hand = 0;
        changed.signalAll();
    }

    // --------------------------------------------------------------------------- page hash

    Frame lookupLocked(PageId pageId) {
        return pageHash.get(pageId);
    }

    /**
     * Puts a page into a frame that came off the free list, fixed once and latched exclusively
     * for the caller, who reads or zeroes it.
     *
     * @return the stamp of the exclusive latch
     */
    long installLocked(Frame f, PageId pageId, boolean reads) {
        long stamp = f.latch.tryWriteLock();
        if (stamp == 0) {
            // Only a fixed frame can be latched, and a free frame has no fixes.
            throw new IllegalStateException("free frame latched: " + f);
        }
        f.state = Frame.LOADING;
        f.pageId = pageId;
        f.fixCount = 1;
        f.referenced = true;
        f.newestLsn = 0;
        pageHash.put(pageId, f);
        if (reads) {
            pendingReads++;
        }
        return stamp;
    }

    void loadEndedLocked(boolean reads) {
        if (reads) {
            pendingReads--;
        }
    }

    /**
     * The pages this instance holds, those with the reference bit first (used since the hand last
     * passed them), each group in the order the hand will reach them, at most {@code maxPages}.
     * CLOCK keeps no order of use, so this is the best recency it can tell.
     */
    List<PageId> cachedPages(int maxPages) {
        List<PageId> referencedFirst = new ArrayList<>();
        List<PageId> rest = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < frames.length && referencedFirst.size() < maxPages; i++) {
                Frame f = frames[(hand + i) % frames.length];
                if (f.state == Frame.PAGE && !f.withdrawn) {
                    (f.referenced ? referencedFirst : rest).add(f.pageId);
                }
            }
        } finally {
            lock.unlock();
        }
        for (PageId id : rest) {
            if (referencedFirst.size() >= maxPages) {
                break;
            }
            referencedFirst.add(id);
        }
        return referencedFirst;
    }

    /** The pages of one tablespace that are in the hash. */
    List<PageId> pagesOfSpaceLocked(int spaceId) {
        List<PageId> result = new ArrayList<>();
        for (PageId id : pageHash.keySet()) {
            if (id.spaceId() == spaceId) {
                result.add(id);
            }
        }
        return result;
    }

    /**
     * Takes a page out of the hash and the flush list without writing it. A frame nobody holds is
     * free at once; otherwise the last fix to go frees it ({@link #releaseFixLocked}).
     */
    void detachLocked(Frame f) {
        pageHash.remove(f.pageId, f);
        if (f.dirty) {
            flushList.remove(f);
            f.dirty = false;
            f.oldestLsn = 0;
        }
        if (f.fixCount == 0) {
            freeLocked(f);
        } else {
            f.state = Frame.DETACHED;
        }
    }

    void releaseFixLocked(Frame f) {
        if (--f.fixCount == 0) {
            if (f.state == Frame.DETACHED) {
                freeLocked(f);
            }
            changed.signalAll();
        }
    }

    /** Empties a detached frame: onto the free list, unless a shrink withdrew it. */
    private void freeLocked(Frame f) {
        f.state = Frame.FREE;
        f.pageId = null;
        f.referenced = false;
        f.newestLsn = 0;
        if (!f.withdrawn) {
            freeList.addLast(f);
            changed.signalAll();
        }
    }

    Frame pollFreeLocked() {
        return freeList.pollFirst();
    }

    /** Gives back a frame taken with {@link #pollFreeLocked} that turned out not to be needed. */
    void returnUnusedLocked(Frame f) {
        freeList.addFirst(f);
        changed.signalAll();
    }

    // ------------------------------------------------------------------------------ eviction

    /**
     * Drops the page of a clean frame nobody holds. The exclusive latch is taken and released on
     * the way, which is what fails every optimistic handle still pointing at the old page.
     *
     * @return whether the page was dropped (false if the frame is not replaceable after all)
     */
    boolean evictCleanLocked(Frame f) {
        if (!f.replaceableLocked() || f.dirty) {
            return false;
        }
        long stamp = f.latch.tryWriteLock();
        if (stamp == 0) {
            return false;
        }
        try {
            detachLocked(f);
        } finally {
            f.latch.unlockWrite(stamp);
        }
        return true;
    }

    private Frame advanceHandLocked() {
        Frame f = frames[hand];
        hand = hand + 1 == frames.length ? 0 : hand + 1;
        return f;
    }

    /**
     * What the hand does at one frame: a frame holding a page that nobody fixes or writes is a
     * candidate unless its reference bit is set, in which case the bit is cleared (its second
     * chance) and the hand moves on.
     */
    private boolean candidateLocked(Frame f) {
        if (f.withdrawn || !f.replaceableLocked()) {
            return false;
        }
        if (f.referenced) {
            f.referenced = false;
            secondChances++;
            return false;
        }
        return true;
    }

    /**
     * One search of the hand for a frame to reuse, at most two full turns (after one turn every
     * reference bit of an unfixed page is clear, so the second turn finds any unfixed page).
     * Clean candidates are evicted at once; the first dirty candidate is remembered, and once
     * there is one the hand looks at most {@code scanDepthAfterDirty} frames further for a clean
     * one, so that a pool full of dirty pages does not cost two turns per miss.
     *
     * @return a frame already emptied (state {@link Frame#FREE}, on no list, the caller's), or a
     *     dirty page to write before it can be evicted (state {@link Frame#PAGE}), or null when
     *     every page is fixed or being written
     */
    Frame sweepForVictimLocked(int scanDepthAfterDirty) {
        int steps = 2 * frames.length;
        Frame dirty = null;
        int sinceDirty = 0;
        for (int step = 0; step < steps; step++) {
            Frame f = advanceHandLocked();
            if (candidateLocked(f)) {
                if (!f.dirty) {
                    if (evictCleanLocked(f)) {
                        freeList.removeLastOccurrence(f); // detach appended it; the caller takes it directly
                        return f;
                    }
                } else if (dirty == null) {
                    dirty = f;
                    continue;
                }
            }
            if (dirty != null && ++sinceDirty >= scanDepthAfterDirty) {
                break;
            }
        }
        return dirty;
    }

    /**
     * The hand's work for {@code flushLru}: at most two turns, evicting clean candidates onto the
     * free list and starting writes of dirty ones, until {@code wanted} frames are freed or being
     * written for freeing.
     *
     * @return the number of frames freed at once
     */
    int sweepForFlushLocked(int wanted, List<Frame> toWrite) {
        int steps = 2 * frames.length;
        int freed = 0;
        for (int step = 0; step < steps && freed + toWrite.size() < wanted; step++) {
            Frame f = advanceHandLocked();
            if (!candidateLocked(f)) {
                continue;
            }
            if (!f.dirty) {
                if (evictCleanLocked(f)) {
                    freed++;
                }
            } else if (beginWriteLocked(f)) {
                toWrite.add(f);
            }
        }
        return freed;
    }

    /**
     * After a write for freeing: evicts the frame onto the free list if nobody used it meanwhile.
     *
     * @return whether the frame is now on the free list
     */
    boolean freeAfterWriteLocked(Frame f) {
        return !f.withdrawn && !f.referenced && evictCleanLocked(f);
    }

    // ---------------------------------------------------------------------------- dirty pages

    /** Records a change; see {@link io.cairn.bufferpool.PageHandle#markModified}. */
    void markModifiedLocked(Frame f, long startLsn, long endLsn) {
        f.newestLsn = Math.max(f.newestLsn, endLsn);
        if (!f.dirty) {
            f.dirty = true;
            f.oldestLsn = startLsn;
            flushList.add(f);
        } else if (startLsn < f.oldestLsn) {
            // Changes may be marked out of LSN order (recovery); the key must stay the oldest.
            rekeyLocked(f, startLsn);
        }
        if (f.copied) {
            f.changedSinceCopyLsn = f.changedSinceCopyLsn < 0 ? startLsn : Math.min(f.changedSinceCopyLsn, startLsn);
        }
    }

    private void rekeyLocked(Frame f, long oldestLsn) {
        flushList.remove(f);
        f.oldestLsn = oldestLsn;
        flushList.add(f);
    }

    /** Claims a dirty page for writing; false if it is not dirty or already being written. */
    boolean beginWriteLocked(Frame f) {
        if (f.state != Frame.PAGE || !f.dirty || f.writing) {
            return false;
        }
        f.writing = true;
        f.copied = false;
        f.changedSinceCopyLsn = -1;
        pendingWrites++;
        return true;
    }

    /** Called with the page's shared latch held: from here on a change is not in the copy. */
    void copiedLocked(Frame f) {
        f.copied = true;
    }

    /**
     * Ends a write. After a successful write the page is clean, unless it changed after its copy
     * was taken: then it stays dirty from the first such change.
     */
    void endWriteLocked(Frame f, boolean written) {
        if (written && f.copied && f.dirty && f.state == Frame.PAGE) {
            if (f.changedSinceCopyLsn < 0) {
                flushList.remove(f);
                f.dirty = false;
                f.oldestLsn = 0;
            } else if (f.changedSinceCopyLsn > f.oldestLsn) {
                rekeyLocked(f, f.changedSinceCopyLsn);
            }
        }
        f.writing = false;
        f.copied = false;
        f.changedSinceCopyLsn = -1;
        pendingWrites--;
        changed.signalAll();
    }

    /** A dirty page seen on a flush list, with the key it had then. */
    record DirtyPage(ClockInstance instance, Frame frame, long oldestLsn) {
    }

    /** Adds up to {@code max} dirty pages below {@code lsnLimit} that nobody writes, oldest first. */
    void oldestDirtyLocked(long lsnLimit, int max, Set<Frame> skip, List<DirtyPage> out) {
        int taken = 0;
        for (Frame f : flushList) {
            if (taken >= max || f.oldestLsn >= lsnLimit) {
                return;
            }
            if (!f.writing && !skip.contains(f)) {
                out.add(new DirtyPage(this, f, f.oldestLsn));
                taken++;
            }
        }
    }

    /** The oldest modification LSN of this instance's dirty pages, or 0. */
    long oldestModificationLsnLocked() {
        return flushList.isEmpty() ? 0 : flushList.first().oldestLsn;
    }

    /** The oldest modification LSNs of all dirty pages, in order. */
    long[] dirtyLsnsLocked() {
        long[] lsns = new long[flushList.size()];
        int i = 0;
        for (Frame f : flushList) {
            lsns[i++] = f.oldestLsn;
        }
        return lsns;
    }

    // ----------------------------------------------------------------------------------- stats

    int freeFramesLocked() {
        return freeList.size();
    }

    int pagesLocked() {
        return pageHash.size();
    }

    int dirtyPagesLocked() {
        return flushList.size();
    }

    int pendingReadsLocked() {
        return pendingReads;
    }

    int pendingWritesLocked() {
        return pendingWrites;
    }

    long secondChancesLocked() {
        return secondChances;
    }

    /** Where a page sits (tests): its index in the frame array, or -1 if it is not cached. */
    int frameIndexLocked(PageId pageId) {
        Frame f = pageHash.get(pageId);
        if (f == null) {
            return -1;
        }
        for (int i = 0; i < frames.length; i++) {
            if (frames[i] == f) {
                return i;
            }
        }
        return -1;
    }

    /** Broken invariants (tests): every frame is free, in the hash, or detached and fixed. */
    List<String> checkInvariantsLocked() {
        List<String> broken = new ArrayList<>();
        int free = 0;
        int inHash = 0;
        for (Frame f : frames) {
            switch (f.state) {
                case Frame.FREE -> {
                    free++;
                    if (f.pageId != null || f.dirty || f.fixCount != 0) {
                        broken.add("free frame with page, dirt or fixes: " + f);
                    }
                }
                case Frame.LOADING, Frame.PAGE -> {
                    inHash++;
                    if (pageHash.get(f.pageId) != f) {
                        broken.add("frame not in the page hash: " + f);
                    }
                }
                case Frame.DETACHED -> {
                    if (f.fixCount == 0) {
                        broken.add("detached frame nobody holds: " + f);
                    }
                }
                default -> broken.add("unknown state: " + f);
            }
            if (f.dirty != flushList.contains(f)) {
                broken.add("dirty flag and flush list disagree: " + f);
            }
            if (f.fixCount < 0) {
                broken.add("negative fix count: " + f);
            }
        }
        if (inHash != pageHash.size()) {
            broken.add(pageHash.size() + " pages hashed but " + inHash + " frames hold one");
        }
        if (free < freeList.size()) {
            broken.add(freeList.size() + " frames on the free list but only " + free + " free");
        }
        return broken;
    }
}
