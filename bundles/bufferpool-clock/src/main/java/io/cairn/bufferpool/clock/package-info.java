/**
 * The CLOCK buffer pool: {@link io.cairn.bufferpool.clock.ClockBufferPool}, a second
 * implementation of {@link io.cairn.bufferpool.BufferPool} whose purpose is to show that the pool
 * can be replaced, so it is written to be easy to check rather than fast.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Frames</b> are slices of one direct {@link java.nio.ByteBuffer} per chunk, aligned to
 *       {@code frameAlignmentBytes}. Chunks are the unit of {@code resize}.
 *   <li><b>Instances</b>: a page belongs to one instance by its space id and its page number
 *       without the low 6 bits, so a 64-page extent stays in one instance. Each instance is one
 *       flush partition.
 *   <li><b>One lock per instance</b> guards the page hash (a {@link java.util.HashMap}), the free
 *       list, the clock hand, the flush list and every frame's descriptor (state, fix count,
 *       reference bit, dirty and LSN fields). Code under that lock never blocks on a page latch
 *       (it only tries one) and never does I/O.
 *   <li><b>Page latch</b>: a {@link java.util.concurrent.locks.StampedLock} per frame. SHARED is
 *       its read lock, EXCLUSIVE its write lock, OPTIMISTIC an observation stamp that
 *       {@code validate()} checks; anything that changes a frame's page or bytes takes the write
 *       lock, which is what makes an optimistic reader's validation fail. A fix count beside it
 *       keeps a frame from being evicted while a handle is open.
 *   <li><b>Misses</b>: the page enters the hash with its frame latched exclusively before the
 *       read, so other fixes of it wait on the latch for that one read. A read that fails, or a
 *       background read the store skips, takes the page out again, and the last fix frees the
 *       frame.
 *   <li><b>CLOCK</b>: every fix sets the frame's reference bit. To find a frame the hand moves
 *       round the instance's frames: a page that is fixed or being written is passed over, a set
 *       bit is cleared (the page's second chance), and the first clean page with a clear bit is
 *       evicted. At most two full turns: after one, every unfixed page's bit is clear. A dirty page
 *       with a clear bit is remembered; if no clean page turns up within {@code lruScanDepth}
 *       further frames it is written through the {@link io.cairn.bufferpool.PageStore} (which
 *       keeps the write-ahead rule) and its frame goes to the free list. If every page is fixed
 *       or being written, the thread waits on the instance's condition, which every fix release
 *       to zero, finished write and freed frame signals.
 *   <li><b>Flushing</b> copies a page under its shared latch and writes the copy without a latch.
 *       A change made after the copy keeps the page dirty, from that change's start LSN. The
 *       flush list is a sorted set by oldest modification LSN, so it is exactly ordered even when
 *       pages are dirtied out of LSN order (recovery). {@code flushLru} is the hand sweeping on
 *       behalf of the page cleaner.
 *   <li><b>Shrink</b> withdraws the last chunks: their free frames leave the free list, clean pages
 *       are evicted, dirty ones written and evicted, fixed ones waited for. Pages are not moved
 *       into the remaining frames; they are read again when next fixed.
 * </ul>
 *
 * <h2>What it does not do</h2>
 * <ul>
 *   <li>No read-ahead: {@code readAheadThreshold} is validated but ignored, and
 *       {@link io.cairn.bufferpool.FixMode#BACKGROUND} fixes are simply reads that a tablespace
 *       being dropped turns into a null result.
 *   <li>No scan resistance: plain CLOCK lets a long one-time scan push out a hot working set (the
 *       LRU pool's midpoint insertion prevents that). {@code oldBlocksPct} and
 *       {@code oldBlocksTimeMillis} are validated, so that one configuration suits both pools, but
 *       ignored.
 *   <li>Not built for many cores: every fix and release takes the instance lock. The LRU pool's
 *       lock-free hit path is the one to use for throughput.
 *   <li>Frames count against {@code -XX:MaxDirectMemorySize} (the LRU pool maps them outside that
 *       limit), and metadata is a few objects per frame (descriptor, latch, buffer slice: roughly
 *       200 heap bytes, against the LRU pool's under 64).
 *   <li>No registered waits: a thread waiting for a frame or a shrink waiting for fixes is not
 *       listed anywhere the engine's status could show it.
 * </ul>
 *
 * <p>Exported so that embedded users and tests can construct the pool directly. Cairn implements
 * everything here: <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.bufferpool.clock;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
