package io.cairn.bufferpool.clock.internal;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.clock.ClockBufferPool;
import io.cairn.bufferpool.clock.ClockBufferPoolProvider;
import org.osgi.service.component.annotations.Component;

/**
 * Registers {@link ClockBufferPool} as the {@link BufferPoolProvider} named {@value ClockBufferPool#NAME},
 * which the engine selects with the target {@code (cairn.bufferpool=clock)}. Holds no state: each
 * pool it creates belongs to the caller, who closes it, so the component may go away while a pool
 * it made is still in use.
 */
@Component(service = BufferPoolProvider.class,
        property = BufferPoolProvider.NAME_PROPERTY + "=" + ClockBufferPool.NAME)
public final class ClockBufferPoolComponent extends ClockBufferPoolProvider {
}
