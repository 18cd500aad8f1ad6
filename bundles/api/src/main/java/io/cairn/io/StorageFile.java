package io.cairn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One open file of a {@link StorageBackend}: positional transfers, explicit syncs, size changes.
 *
 * <p>Implementations must:
 * <ol>
 *   <li>be safe for concurrent use by many threads: transfers to disjoint ranges may run in
 *       parallel and must not interfere; overlapping concurrent writes leave one of the written
 *       values per byte; {@link #sync(SyncLevel)} may run concurrently with transfers and covers at
 *       least every write that completed before it started;</li>
 *   <li>never keep a hidden file position: every transfer names its offset;</li>
 *   <li>refuse a transfer that breaks {@link #capabilities()} alignment with
 *       {@link MisalignedIoException} before it reaches the operating system;</li>
 *   <li>never close the file because a calling thread was interrupted; an interrupted caller's
 *       transfer either completes or fails, the interrupt flag stays set, and the file stays usable
 *       by other threads;</li>
 *   <li>after {@link #close()}, fail every operation but {@code close}, {@link #path()},
 *       {@link #isOpen()}, {@link #capabilities()} and {@link #describe()} with
 *       {@link ClosedChannelException}, and never reopen the file by itself;</li>
 *   <li>report failures as {@link IOException} (a {@link NativeIoException} where an errno is
 *       known), never as a crash of the process.</li>
 * </ol>
 *
 * <p>Durability: nothing written is guaranteed to survive power loss until a {@link #sync} that
 * started after the write completed has returned, unless {@link IoCapabilities#writeDurableOnReturn()}.
 * Written data survives a process crash as soon as the write returns (it is in the OS page cache or
 * on the device), for every backend. Size changes follow {@link IoCapabilities#needsSyncAfterResize()}.
 */
@ConsumerType
public interface StorageFile extends AutoCloseable {

    /**
     * Reads {@code dst.remaining()} bytes starting at {@code fileOffset}.
     *
     * <p>On return {@code dst} is full: its position equals its limit. Bytes beyond the end of the
     * file, and bytes in holes, are set to zero; skipping the zero fill would leave stale buffer
     * contents that look like data. Short transfers from the OS are retried until done.
     *
     * @param fileOffset byte offset in the file, {@code >= 0}
     * @param dst the buffer to fill from its position to its limit
     * @return the number of bytes that existed in the file (less than requested only at end of file)
     * @throws MisalignedIoException if the offset, length or buffer breaks the file's alignment
     * @throws ClosedChannelException if the file was closed
     * @throws IOException if the read failed; {@code dst}'s contents are then undefined
     */
    int read(long fileOffset, ByteBuffer dst) throws IOException;

    /**
     * Writes all of {@code src.remaining()} bytes at {@code fileOffset}, extending the file when the
     * write ends past its current size. On return {@code src}'s position equals its limit.
     *
     * <p>Durability: survives a process crash on return; survives power loss only after a following
     * {@link #sync}, or on return when {@link IoCapabilities#writeDurableOnReturn()}. A write that
     * extends the file is also a size change (see {@link IoCapabilities#needsSyncAfterResize()}).
     * A power loss during the write may leave any mix of old and new bytes in the range unless
     * {@link IoCapabilities#atomicWriteUnitBytes()} covers it.
     *
     * @throws MisalignedIoException if the offset, length or buffer breaks the file's alignment
     * @throws java.nio.channels.NonWritableChannelException if the file was opened read-only
     * @throws ClosedChannelException if the file was closed
     * @throws IOException if the write failed (a {@link NativeIoException} with {@code ENOSPC} for
     *     a full device); some bytes of the range may have been written
     */
    void write(long fileOffset, ByteBuffer src) throws IOException;

    /**
     * Makes every write and size change that completed before this call started durable through a
     * power loss, at the given level. Returns only when that is done.
     *
     * <p>If this call fails, the durability of those writes is unknown, and it stays unknown after a
     * later successful sync on Linux (the kernel may have dropped the dirty pages: the "fsyncgate"
     * lesson). Callers must treat a failed sync as a lost write and recover, not retry.
     *
     * @throws ClosedChannelException if the file was closed
     * @throws IOException if the sync failed
     */
    void sync(SyncLevel level) throws IOException;

    /**
     * The current size of the file in bytes, including completed writes not yet synced.
     *
     * @throws ClosedChannelException if the file was closed
     */
    long sizeBytes() throws IOException;

    /**
     * Reserves storage for {@code [fileOffset, fileOffset + lengthBytes)} and extends the file size to
     * cover it if needed, so later writes in the range cannot fail for lack of space (like
     * {@code posix_fallocate(3)}). Data already in the range is unchanged; new bytes read as zero.
     * A backend that cannot reserve writes zeros instead. Offsets and lengths need not be aligned.
     *
     * <p>This is a size change: see {@link IoCapabilities#needsSyncAfterResize()}.
     *
     * @throws IOException {@link NativeIoException} with {@code ENOSPC} when the space is not there
     */
    void allocate(long fileOffset, long lengthBytes) throws IOException;

    /**
     * Sets the file size to exactly {@code sizeBytes}, discarding bytes beyond it or extending with
     * zeros. This is a size change: see {@link IoCapabilities#needsSyncAfterResize()}.
     *
     * @throws IllegalArgumentException if {@code sizeBytes < 0}
     * @throws ClosedChannelException if the file was closed
     */
    void truncate(long sizeBytes) throws IOException;

    /**
     * Passes a hint about a range, like {@code posix_fadvise(2)}. Never changes results; errors from
     * the hint are swallowed. The default ignores the hint.
     */
    default void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
        // A hint that cannot be acted on is correctly ignored.
    }

    /**
     * What this open file guarantees. Constant for the lifetime of the handle; thread-safe; also
     * answers after {@link #close()}.
     */
    IoCapabilities capabilities();

    /** The path this file was opened with. */
    Path path();

    /** Whether the file is open. Thread-safe. */
    boolean isOpen();

    /**
     * A one-line description for logs and status: the path, the backend chain (decorators first)
     * and the I/O mode, for example {@code "data/t1.ibd via faultinject -> direct(O_DIRECT)"}.
     */
    String describe();

    /**
     * Closes the file. Idempotent and thread-safe. Does not sync: unsynced writes keep the durability
     * described above (a process crash keeps them, a power loss may lose them). Transfers running
     * concurrently with close either complete or fail with {@link ClosedChannelException}.
     *
     * @throws IOException if the OS reported an error on close; the handle is closed in any case
     */
    @Override
    void close() throws IOException;
}
