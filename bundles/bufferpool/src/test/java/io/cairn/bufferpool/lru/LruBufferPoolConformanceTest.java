package io.cairn.bufferpool.lru;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.PageStore;
import io.cairn.testkit.BaseBufferPoolTestCase;

/** The buffer pool conformance kit against {@link LruBufferPool}. */
class LruBufferPoolConformanceTest extends BaseBufferPoolTestCase {

    @Override
    protected BufferPool newPool(BufferPoolConfig config, PageStore store) {
        return new LruBufferPool(config, store);
    }
}
