package io.cairn.bufferpool.lru;

import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies of dirty pages on their way to {@link io.cairn.bufferpool.PageStore#writePages}.
 *
 * <p>A page is copied while its flusher holds a shared latch and has claimed it for writing
 * ({@link Chunk#WRITING}); the latch is released at once, so no latch is held during I/O and a
 * writer of the page never waits for the disk. After the write the page is marked clean (or
 * evicted) only if its latch sequence shows no exclusive latch was taken since the copy; a page
 * changed meanwhile simply stays dirty with its original oldest LSN, which is conservative.
 *
 * <p>Used by one thread.
 */
final class FlushBatch implements AutoCloseable {

    private final LruBufferPool pool;
    private final ByteBuffer buffer;
    private final int pageSizeBytes;
    private final int capacity;
    private final PoolInstance[] instances;
    private final Chunk[] chunks;
    private final int[] frames;
    private final long[] sequences;
    private final List<PageWrite> writes = new ArrayList<>();
    private int size;

    FlushBatch(LruBufferPool pool, ByteBuffer buffer, int pageSizeBytes) {
        this.pool = pool;
        this.buffer = buffer;
        this.pageSizeBytes = pageSizeBytes;
        this.capacity = buffer.capacity() / pageSizeBytes;
        this.instances = new PoolInstance[capacity];
        this.chunks = new Chunk[capacity];
        this.frames = new int[capacity];
        this.sequences = new long[capacity];
    }

    boolean isFull() {
        return size == capacity;
    }

    /**
     * Copies a page into the batch. REQUIRES: the caller holds the page's shared latch, has
     * claimed it for writing, and {@code sequence} is the latch sequence under that latch.
     */
    void add(PoolInstance instance, Chunk chunk, int slot, int frame, long sequence) {
        int offset = size * pageSizeBytes;
        buffer.put(offset, chunk.memory, slot * pageSizeBytes, pageSizeBytes);
        instances[size] = instance;
        chunks[size] = chunk;
        frames[size] = frame;
        sequences[size] = sequence;
        writes.add(new PageWrite(new PageId(chunk.spaceId(slot), chunk.pageNo(slot)),
                buffer.slice(offset, pageSizeBytes), chunk.newest(slot)));
        size++;
    }

    /**
     * Writes the batch and then marks each unchanged page clean, or evicts it to the free list when
     * {@code evict} is set and nobody fixed it meanwhile.
     *
     * @param freed incremented by the number of frames freed; may be null when not evicting
     * @return the number of pages written
     */
    int write(boolean evict, long[] freed) throws IOException {
        int n = size;
        if (n == 0) {
            return 0;
        }
        List<PageWrite> batch = List.copyOf(writes);
        writes.clear();
        size = 0;
        try {
            pool.writeToStore(batch);
        } catch (IOException | RuntimeException | Error e) {
            for (int i = 0; i < n; i++) {
                instances[i].releaseWriteClaim(frames[i]);
            }
            throw e;
        }
        for (int i = 0; i < n; i++) {
            instances[i].releaseWriteClaim(frames[i]);
            PageWrite w = batch.get(i);
            boolean evicted = pool.finishWrite(instances[i], chunks[i], frames[i], w.pageId(), sequences[i], evict);
            if (evicted && freed != null) {
                freed[0]++;
            }
            instances[i] = null;
            chunks[i] = null;
        }
        return n;
    }

    /** Gives up the claims of pages copied but not written (after an exception) and returns the buffer. */
    @Override
    public void close() {
        for (int i = 0; i < size; i++) {
            instances[i].releaseWriteClaim(frames[i]);
        }
        size = 0;
        writes.clear();
        pool.returnFlushBuffer(buffer);
    }
}
