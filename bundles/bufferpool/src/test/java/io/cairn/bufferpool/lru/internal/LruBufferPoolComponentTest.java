package io.cairn.bufferpool.lru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPool;
import io.cairn.config.InvalidSettingException;
import io.cairn.testkit.InMemoryPageStore;
import org.junit.jupiter.api.Test;

class LruBufferPoolComponentTest {

    @Test
    void providerMustBeNamedLruAndCreateLruPools() {
        BufferPoolProvider provider = new LruBufferPoolComponent();
        assertEquals("lru", provider.name());
        try (BufferPool pool = provider.create(BufferPoolConfig.defaults(128L << 20, 16384), new InMemoryPageStore(16384))) {
            assertInstanceOf(LruBufferPool.class, pool);
            assertEquals(8192, pool.stats().totalFrames());
        }
    }

    @Test
    void providerMustRejectAnUnusableConfigurationNamingTheField() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new LruBufferPoolComponent()
                .create(BufferPoolConfig.defaults(1L << 20, 16384), new InMemoryPageStore(16384)));
        assertEquals("sizeBytes", e.key());
    }
}
