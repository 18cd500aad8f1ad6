package io.cairn.bufferpool.clock;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.PageStore;
import io.cairn.testkit.BaseBufferPoolTestCase;

/**
 * The buffer pool conformance kit against {@link ClockBufferPool}. Two kit features are declared
 * absent, through the kit's own hooks: plain CLOCK is not scan resistant, and the pool does no
 * read-ahead.
 */
class ClockBufferPoolConformanceTest extends BaseBufferPoolTestCase {

    @Override
    protected BufferPool newPool(BufferPoolConfig config, PageStore store) {
        return new ClockBufferPool(config, store);
    }

    @Override
    protected boolean supportsScanResistance() {
        return false;
    }

    @Override
    protected boolean supportsReadAhead() {
        return false;
    }
}
