package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.flush.DirtyPageHistogram;
import java.io.IOException;

/** A buffer pool that forwards every call, partitions included, for tests that watch or steer some of them. */
class ForwardingPool implements BufferPool {

    final BufferPool delegate;

    ForwardingPool(BufferPool delegate) {
        this.delegate = delegate;
    }

    @Override
    public int pageSizeBytes() {
        return delegate.pageSizeBytes();
    }

    @Override
    public PageHandle fix(PageId pageId, LatchMode latchMode, FixMode fixMode) throws IOException {
        return delegate.fix(pageId, latchMode, fixMode);
    }

    @Override
    public long flushList(long maxPages, long lsnLimit) throws IOException {
        return delegate.flushList(maxPages, lsnLimit);
    }

    @Override
    public long flushLru(long maxPages) throws IOException {
        return delegate.flushLru(maxPages);
    }

    @Override
    public int flushPartitions() {
        return delegate.flushPartitions();
    }

    @Override
    public long flushList(int partition, long maxPages, long lsnLimit) throws IOException {
        return delegate.flushList(partition, maxPages, lsnLimit);
    }

    @Override
    public long flushLru(int partition, long maxPages) throws IOException {
        return delegate.flushLru(partition, maxPages);
    }

    @Override
    public long oldestModificationLsn() {
        return delegate.oldestModificationLsn();
    }

    @Override
    public DirtyPageHistogram dirtyHistogram(int buckets) {
        return delegate.dirtyHistogram(buckets);
    }

    @Override
    public void evictTablespace(int spaceId) {
        delegate.evictTablespace(spaceId);
    }

    @Override
    public void resize(long sizeBytes) throws IOException {
        delegate.resize(sizeBytes);
    }

    @Override
    public BufferPoolStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
