/**
 * The LRU buffer pool: {@link io.cairn.bufferpool.lru.LruBufferPool}, InnoDB's design of off-heap
 * frames, page hash, free list, LRU list with midpoint insertion and flush list per instance.
 *
 * <p>Exported so that embedded users and tests can construct the pool directly and read its
 * implementation-specific status ({@code waits()}, {@code metadataHeapBytes()}). Cairn implements
 * everything here: <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.bufferpool.lru;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
