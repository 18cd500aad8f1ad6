/**
 * The buffer pool service: page frames in memory, page latches, LRU and flush lists.
 *
 * <p>A {@link io.cairn.bufferpool.BufferPool} caches fixed-size pages of tablespaces in off-heap
 * frames. Callers {@link io.cairn.bufferpool.BufferPool#fix fix} a page under a latch and get a
 * {@link io.cairn.bufferpool.PageHandle}; the pool reads and writes pages through the
 * {@link io.cairn.bufferpool.PageStore} the engine gives it, which enforces checksums, the
 * write-ahead rule and doublewrite, so a pool implementation never touches files itself.
 *
 * <p><b>Role: provider types.</b> Cairn provides the pool implementations (a replacement pool with
 * another eviction algorithm is still built by Cairn against this exact minor version); the engine
 * and access methods only call them. {@code PageStore} is implemented by the engine, also Cairn.
 * Hence {@code @ProviderType} throughout: callers import {@code [1.0,2.0)}.
 *
 * <p>1.1 adds flushing by partition ({@link io.cairn.bufferpool.BufferPool#flushPartitions()}),
 * as default methods, so that page cleaner workers can flush instances in parallel; a 1.0 pool
 * keeps working as a single partition.
 *
 * <p>1.2 adds {@link io.cairn.bufferpool.BufferPool#cachedPages(int)}, a default method, so that a
 * replacement pool can start with its predecessor's pages; a pool without it is replaced cold.
 */
@Export
@Version("1.2.0")
package io.cairn.bufferpool;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
