package io.cairn.redo.log;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads the payload stream of the log files in LSN order: the bytes of consecutive blocks whose
 * start LSN continues the stream, across files (innodb.md 3.8, "read the log in chunks, validate
 * blocks, stop at the end of valid log").
 *
 * <p>Within a file, a block continues the stream when its checksum holds, it names the file, and
 * its start LSN equals the LSN expected next. Blocks that do not (zero padding after a sync, a
 * torn block, an older version) are stepped over, up to {@link LogFormat#MAX_GAP_BLOCKS} in a
 * row; then the file's stream has ended. Because a block carries its start LSN and the scan
 * only accepts exact continuations, stepping over blocks can never create a hole in the stream.
 *
 * <p>A file's stream is cut where the next file starts. When a file's stream ends before the
 * next file's start LSN, the log ends there (the later files are orphans of an interrupted
 * incarnation).
 *
 * <p>Not thread-safe; one scan at a time.
 */
final class LogReader implements AutoCloseable {

    private static final int CHUNK_BYTES = 1 << 20;

    private final StorageBackend backend;
    private final List<LogFile> files;
    private final ByteBuffer chunk = LogFormat.alignedBuffer(CHUNK_BYTES);
    private final long fromLsn;

    private int fileIndex;
    private StorageFile current;
    private long chunkFileOffset = -1;
    private int chunkBytes;
    private long blockOffset;
    private int gapBlocks;
    private String firstMiss;
    /** LSN after the last payload byte taken from a block (into {@link #pending} or skipped). */
    private long expected;
    private long limit;

    private final byte[] pending = new byte[LogFormat.BLOCK_PAYLOAD_BYTES];
    private int pendingOffset;
    private int pendingLength;

    private boolean ended;
    private boolean cleanEnd;
    private String endReason;

    /**
     * @param files the log files, sorted by number; the stream starts in {@code files.get(0)},
     *     which must contain {@code fromLsn}
     * @param fromLsn the first LSN {@link #read} returns
     */
    LogReader(StorageBackend backend, List<LogFile> files, long fromLsn) {
        this.backend = backend;
        this.files = files;
        this.fromLsn = fromLsn;
        this.fileIndex = -1;
    }

    /** The LSN of the next byte {@link #read} returns. */
    long position() {
        return fileIndex < 0 ? fromLsn : Math.max(fromLsn, expected - pendingLength);
    }

    /** Whether the stream ended the way a cleanly written log ends (zero blocks or the end of the last file). */
    boolean cleanEnd() {
        return cleanEnd;
    }

    /** Why the stream ended; null before it did. */
    String endReason() {
        return endReason;
    }

    /**
     * Reads up to {@code length} stream bytes; fewer only at the end of the stream.
     *
     * @return the number of bytes read
     */
    int read(byte[] dst, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (pendingLength == 0 && !nextBlock()) {
                break;
            }
            int n = Math.min(length - done, pendingLength);
            System.arraycopy(pending, pendingOffset, dst, offset + done, n);
            pendingOffset += n;
            pendingLength -= n;
            done += n;
        }
        return done;
    }

    /** Loads the next block's payload that continues the stream into {@link #pending}. */
    private boolean nextBlock() throws IOException {
        if (ended) {
            return false;
        }
        if (fileIndex < 0 && !openFile(0)) {
            return false;
        }
        while (true) {
            if (expected >= limit) {
                if (!openFile(fileIndex + 1)) {
                    return false;
                }
                continue;
            }
            LogFile file = files.get(fileIndex);
            if (gapBlocks >= LogFormat.MAX_GAP_BLOCKS || blockOffset + LogFormat.BLOCK_BYTES > file.sizeBytes()) {
                endInFile(file);
                return false;
            }
            int at = loadBlock(file);
            long offset = blockOffset;
            blockOffset += LogFormat.BLOCK_BYTES;
            int length = validPayloadLength(file, at);
            long start = length > 0 ? chunk.getLong(at) : -1;
            if (length > 0 && start == expected) {
                gapBlocks = 0;
                firstMiss = null;
                long end = Math.min(start + length, limit);
                long skip = Math.max(0, fromLsn - start);
                expected = end;
                if (skip < end - start) {
                    pendingOffset = (int) skip;
                    pendingLength = (int) (end - start - skip);
                    chunk.get(at + LogFormat.BLOCK_HEADER_BYTES, pending, 0, (int) (end - start));
                    return true;
                }
                continue;
            }
            gapBlocks++;
            if (firstMiss == null) {
                firstMiss = describeMiss(file, at, offset, length, start);
            }
        }
    }

    /** The stream of {@code file} ended before its limit. */
    private void endInFile(LogFile file) {
        ended = true;
        if (fileIndex + 1 < files.size()) {
            LogFile next = files.get(fileIndex + 1);
            endReason = "the stream of " + file.path().getFileName() + " ends at LSN " + expected + " but "
                    + next.path().getFileName() + " starts at LSN " + next.startLsn()
                    + (firstMiss == null ? "" : " (" + firstMiss + ")");
            cleanEnd = false;
        } else if (firstMiss == null) {
            endReason = "end of " + file.path().getFileName();
            cleanEnd = true;
        } else {
            endReason = firstMiss;
            cleanEnd = firstMiss.startsWith("zero block");
        }
    }

    private boolean openFile(int index) throws IOException {
        closeCurrent();
        if (index >= files.size()) {
            ended = true;
            cleanEnd = true;
            endReason = "end of the last log file";
            return false;
        }
        LogFile file = files.get(index);
        if (index == 0) {
            expected = file.startLsn();
        } else if (expected != file.startLsn()) {
            // Only reached when the previous file's stream was cut exactly at its limit.
            throw new IllegalStateException("stream at " + expected + ", file starts at " + file.startLsn());
        }
        fileIndex = index;
        limit = index + 1 < files.size() ? files.get(index + 1).startLsn() : Long.MAX_VALUE;
        current = backend.open(file.path(), new OpenOptions(FileRole.REDO, CreateMode.OPEN_EXISTING, true,
                LogFormat.MAX_UNIT_BYTES));
        chunkFileOffset = -1;
        blockOffset = LogFormat.DATA_OFFSET;
        gapBlocks = 0;
        firstMiss = null;
        return true;
    }

    /** Makes the block at {@link #blockOffset} available in {@link #chunk}; returns its position there. */
    private int loadBlock(LogFile file) throws IOException {
        if (chunkFileOffset < 0 || blockOffset < chunkFileOffset
                || blockOffset + LogFormat.BLOCK_BYTES > chunkFileOffset + chunkBytes) {
            long start = blockOffset / LogFormat.MAX_UNIT_BYTES * LogFormat.MAX_UNIT_BYTES;
            int length = (int) Math.min(CHUNK_BYTES, file.sizeBytes() - start);
            chunk.clear().limit(length);
            current.read(start, chunk);
            chunkFileOffset = start;
            chunkBytes = length;
        }
        return (int) (blockOffset - chunkFileOffset);
    }

    /** The block's payload length when it is intact and belongs to {@code file}, else -1. */
    private int validPayloadLength(LogFile file, int at) {
        if (chunk.getInt(at + LogFormat.BLOCK_CRC_OFFSET) != LogFormat.crc(chunk, at, at + LogFormat.BLOCK_CRC_OFFSET)) {
            return -1;
        }
        int length = chunk.getShort(at + 8) & 0xFFFF;
        if (length < 1 || length > LogFormat.BLOCK_PAYLOAD_BYTES || chunk.getInt(at + 12) != (int) file.number()) {
            return -1;
        }
        return length;
    }

    private String describeMiss(LogFile file, int at, long offset, int length, long start) {
        String where = "at offset " + offset + " of " + file.path().getFileName();
        if (length > 0) {
            return "block out of sequence " + where + " (starts at LSN " + start + ", expected " + expected + ")";
        }
        for (int i = 0; i < LogFormat.BLOCK_BYTES; i++) {
            if (chunk.get(at + i) != 0) {
                return "damaged block " + where + " (checksum mismatch: torn or partial write)";
            }
        }
        return "zero block " + where;
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            StorageFile file = current;
            current = null;
            file.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }
}
