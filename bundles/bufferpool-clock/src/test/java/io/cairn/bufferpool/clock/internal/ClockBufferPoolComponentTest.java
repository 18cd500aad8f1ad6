package io.cairn.bufferpool.clock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.clock.ClockBufferPool;
import io.cairn.config.InvalidSettingException;
import io.cairn.testkit.InMemoryPageStore;
import org.junit.jupiter.api.Test;

class ClockBufferPoolComponentTest {

    @Test
    void theProviderMustBeNamedClockAndCreateClockPoolsWithTheEngineDefaults() {
        BufferPoolProvider provider = new ClockBufferPoolComponent();
        assertEquals("clock", provider.name());
        try (BufferPool pool = provider.create(BufferPoolConfig.defaults(128L << 20, 16384), new InMemoryPageStore(16384))) {
            assertInstanceOf(ClockBufferPool.class, pool);
            assertEquals(8192, pool.stats().totalFrames());
            assertEquals(128L << 20, pool.stats().sizeBytes());
        }
    }

    @Test
    void theProviderMustRejectAnUnusableConfigurationNamingTheField() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new ClockBufferPoolComponent()
                .create(BufferPoolConfig.defaults(1L << 20, 16384), new InMemoryPageStore(16384)));
        assertEquals("sizeBytes", e.key());
    }
}
