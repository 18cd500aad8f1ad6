package io.cairn.bufferpool;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates buffer pools of one implementation (for example LRU with midpoint insertion, or CLOCK).
 * Registered as an OSGi service with the property {@value #NAME_PROPERTY}; the engine selects one
 * by target filter and can replace the active pool while running.
 */
@ProviderType
public interface BufferPoolProvider {

    /** Service property naming an implementation. */
    String NAME_PROPERTY = "cairn.bufferpool";

    /** The implementation's name. */
    String name();

    /**
     * Creates a pool.
     *
     * @throws io.cairn.config.InvalidSettingException naming the field if {@code config} is unusable
     */
    BufferPool create(BufferPoolConfig config, PageStore store);
}
