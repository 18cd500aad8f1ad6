package io.cairn.bufferpool.lru.internal;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.lru.LruBufferPool;
import org.osgi.service.component.annotations.Component;

/**
 * DS adapter registering {@link LruBufferPool} as the {@link BufferPoolProvider} named
 * {@value LruBufferPool#NAME}. Stateless: every pool it creates belongs to the caller, which
 * closes it.
 */
@Component(service = BufferPoolProvider.class,
        property = BufferPoolProvider.NAME_PROPERTY + "=" + LruBufferPool.NAME)
public final class LruBufferPoolComponent implements BufferPoolProvider {

    @Override
    public String name() {
        return LruBufferPool.NAME;
    }

    @Override
    public BufferPool create(BufferPoolConfig config, PageStore store) {
        return new LruBufferPool(config, store);
    }
}
