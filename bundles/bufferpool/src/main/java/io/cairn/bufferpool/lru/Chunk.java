package io.cairn.bufferpool.lru;

import java.nio.ByteBuffer;

/**
 * One unit of growth of a pool instance: a direct buffer holding {@link #frames} page frames, and
 * the metadata of those frames in three primitive arrays indexed by slot (struct of arrays, so the
 * metadata costs no object per frame and no pointer the garbage collector has to trace).
 *
 * <p>Per frame the metadata is 4 longs, 7 ints and 1 byte (61 bytes): the fields the hit path
 * reads (latch word, page number, space id, hash link) lie in one or two cache lines.
 *
 * <p>Publication: the arrays are final and the chunk is published to other threads through the
 * volatile {@code PoolInstance.chunks} array. Who writes which field is described at each index
 * constant; the latch word is only ever changed with {@link Latch} operations.
 */
final class Chunk {

    // ----------------------------------------------------------------- long fields, LONGS per frame

    /** The latch word (fix count, latch state, sequence): see {@link Latch}. CAS only. */
    static final int L_WORD = 0;
    /**
     * The page's identity, space id and page number in one long ({@link #identity}), or
     * {@link #NO_PAGE}. Written under the instance lock while the frame is latched exclusively. One
     * long next to the latch word, so the hit path confirms the page with the cache line it already
     * loaded for the latch, in one read that cannot see half an identity.
     */
    static final int L_PAGE_NO = 1;
    /** Oldest modification LSN, 0 when clean. Written under the flush-list lock (and the frame's exclusive latch when set). */
    static final int L_OLDEST = 2;
    /** Newest modification LSN. Written under the frame's exclusive latch. */
    static final int L_NEWEST = 3;
    static final int LONGS = 4;

    // ------------------------------------------------------------------ int fields, INTS per frame

    /** Next frame in the page-hash chain. Instance lock; read without it by optimistic lookups. */
    static final int I_HASH_NEXT = 0;
    /** LRU list links (free list: next only). Instance lock. */
    static final int I_LRU_PREV = 1;
    static final int I_LRU_NEXT = 2;
    /** Flush list links. Flush-list lock. */
    static final int I_FLUSH_PREV = 3;
    static final int I_FLUSH_NEXT = 4;
    /**
     * LRU stamp. For a page in the old sublist: the time (pool milliseconds) of its first access.
     * For a young page: the instance's eviction clock when it was last moved to the head. Instance lock.
     */
    static final int I_STAMP = 5;
    static final int INTS = 6;

    // ------------------------------------------------------------------------- flag bits (byte)

    /** Frame state mask: {@link #FREE}, {@link #READING} or {@link #PAGE}. */
    static final int STATE_MASK = 3;
    /** On the free list, retired by a shrink, or being reassigned. */
    static final int FREE = 0;
    /** Holds a page being read; the reader holds the exclusive latch. */
    static final int READING = 1;
    /** Holds a valid page. */
    static final int PAGE = 2;
    /** In the old sublist of the LRU list. */
    static final int OLD = 4;
    /** Accessed at least once since it was read (read-ahead pages start unaccessed). */
    static final int ACCESSED = 8;
    /** A copy of the page is being written (claimed by a flusher). */
    static final int WRITING = 16;
    /** A free frame of a chunk being withdrawn by a shrink, kept off the free list. */
    static final int RETIRED = 32;

    /** {@link #L_PAGE_NO} of a frame that holds no page (space ids are never negative). */
    static final long NO_PAGE = -1;

    /** Page numbers the pool can hold: below 2^32 (64 TiB of 16 KiB pages per tablespace, as InnoDB). */
    static final long MAX_PAGE_NO = 0xFFFF_FFFFL;

    /** Space id in the high half, page number in the low half; requires {@code pageNo <= MAX_PAGE_NO}. */
    static long identity(int spaceId, long pageNo) {
        return ((long) spaceId << 32) | pageNo;
    }

    final int index;
    final int frames;
    final int pageSizeBytes;
    /** The frames; writable views are sliced from it for exclusive handles and readers. */
    final ByteBuffer memory;
    /** A read-only duplicate, so a read-only frame view costs one slice and no second wrapper. */
    final ByteBuffer readOnlyMemory;
    final long[] longs;
    final int[] ints;
    /** Flag bits; written under the instance lock only, read without it as hints. */
    final byte[] flags;

    Chunk(int index, int frames, int pageSizeBytes, int alignmentBytes) {
        this.index = index;
        this.frames = frames;
        this.pageSizeBytes = pageSizeBytes;
        long bytes = (long) frames * pageSizeBytes;
        this.memory = FrameMemory.allocate(Math.toIntExact(bytes), alignmentBytes);
        this.readOnlyMemory = memory.asReadOnlyBuffer();
        this.longs = new long[frames * LONGS];
        this.ints = new int[frames * INTS];
        this.flags = new byte[frames];
        for (int slot = 0; slot < frames; slot++) {
            longs[slot * LONGS + L_WORD] = Latch.EXCLUSIVE; // free frames are latched by the pool
            longs[slot * LONGS + L_PAGE_NO] = NO_PAGE;
            ints[slot * INTS + I_HASH_NEXT] = LruBufferPool.NIL;
            ints[slot * INTS + I_LRU_PREV] = LruBufferPool.NIL;
            ints[slot * INTS + I_LRU_NEXT] = LruBufferPool.NIL;
            ints[slot * INTS + I_FLUSH_PREV] = LruBufferPool.NIL;
            ints[slot * INTS + I_FLUSH_NEXT] = LruBufferPool.NIL;
        }
    }

    /** Heap bytes of the per-frame arrays (element bytes plus array headers). */
    long metadataHeapBytes() {
        return 3 * 16L + longs.length * 8L + ints.length * 4L + flags.length;
    }

    boolean holds(int slot, int spaceId, long pageNo) {
        return (pageNo & ~MAX_PAGE_NO) == 0 && longs[slot * LONGS + L_PAGE_NO] == identity(spaceId, pageNo);
    }

    /** The page number of the page the frame holds (meaningless for a free frame). */
    long pageNo(int slot) {
        return longs[slot * LONGS + L_PAGE_NO] & MAX_PAGE_NO;
    }

    int spaceId(int slot) {
        return (int) (longs[slot * LONGS + L_PAGE_NO] >> 32); // -1 for a free frame, as NO_PAGE
    }

    long oldest(int slot) {
        return longs[slot * LONGS + L_OLDEST];
    }

    long newest(int slot) {
        return longs[slot * LONGS + L_NEWEST];
    }

    int state(int slot) {
        return flags[slot] & STATE_MASK;
    }

    /** A writable view of one frame: position 0, limit the page size. */
    ByteBuffer writableView(int slot) {
        return memory.slice(slot * pageSizeBytes, pageSizeBytes);
    }

    /** A read-only view of one frame: position 0, limit the page size. */
    ByteBuffer readOnlyView(int slot) {
        return readOnlyMemory.slice(slot * pageSizeBytes, pageSizeBytes);
    }
}
