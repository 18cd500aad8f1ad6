package io.cairn.bufferpool.clock;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.PageStore;

/**
 * Makes {@link ClockBufferPool}s. The DS component registers a subclass of it; embedded code and
 * tests use it directly, without OSGi.
 */
public class ClockBufferPoolProvider implements BufferPoolProvider {

    @Override
    public String name() {
        return ClockBufferPool.NAME;
    }

    @Override
    public BufferPool create(BufferPoolConfig config, PageStore store) {
        return new ClockBufferPool(config, store);
    }
}
