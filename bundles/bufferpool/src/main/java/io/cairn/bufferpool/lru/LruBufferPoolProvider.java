package io.cairn.bufferpool.lru;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.PageStore;

/** Makes {@link LruBufferPool}s: the provider the DS component registers and embedded code uses directly. */
public class LruBufferPoolProvider implements BufferPoolProvider {

    @Override
    public String name() {
        return LruBufferPool.NAME;
    }

    @Override
    public BufferPool create(BufferPoolConfig config, PageStore store) {
        return new LruBufferPool(config, store);
    }
}
