package io.cairn.bufferpool.lru.internal;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPool;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import org.osgi.service.component.annotations.Component;

/**
 * DS adapter registering {@link LruBufferPool} as the {@link BufferPoolProvider} named
 * {@value LruBufferPool#NAME}. Stateless: every pool it creates belongs to the caller, which
 * closes it.
 */
@Component(service = BufferPoolProvider.class,
        property = BufferPoolProvider.NAME_PROPERTY + "=" + LruBufferPool.NAME)
public final class LruBufferPoolComponent extends LruBufferPoolProvider {
}
