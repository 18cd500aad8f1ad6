package io.cairn.redo.log;

import io.cairn.redo.support.ByteText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the redo directory: names, headers, log blocks, group frames, checkpoint
 * slots. Everything is big-endian and protected by CRC-32C.
 *
 * <h2>Directory</h2>
 * <pre>
 * redo-control            format header + two alternating checkpoint slots
 * redo-0000000001.log     log files, numbered upwards; each holds one contiguous LSN range
 * redo-0000000002.log
 * *.tmp                   a file being created (header written, space allocated, synced) before
 *                         its rename; left-overs are deleted on open
 * </pre>
 *
 * <h2>Log file</h2>
 * <pre>
 * [0, 4096)      file header: magic, version, kind, log id, file number, start LSN, size, creator
 * [4096, 8192)   completion record, written once when the writer leaves the file: its end LSN
 * [8192, size)   512-byte log blocks
 * </pre>
 *
 * <h2>Log block</h2>
 * <pre>
 * 0   start LSN      u64   LSN of the first payload byte
 * 8   payload length u16   1..492
 * 10  flags          u16   0
 * 12  file number    u32   low 32 bits of the file's number
 * 16  payload        492 bytes, zero after the payload length
 * 508 CRC-32C        u32   of bytes [0, 508)
 * </pre>
 * A block does not sit at a position fixed by its LSN: the writer never rewrites a block that a
 * sync may have made durable (a torn rewrite could destroy acknowledged commits), so after a sync
 * the next block starts at the next write unit, and the rest of the old unit stays zero. The scan
 * therefore follows start LSNs, not positions, and steps over up to {@link #MAX_GAP_BLOCKS}
 * blocks that do not continue the stream.
 *
 * <h2>Payload stream: groups</h2>
 * <pre>
 * 0   body length    u32   1..{@link #MAX_GROUP_BODY_BYTES}
 * 4   CRC-32C        u32   of (start LSN u64, body length u32, body)
 * 8   body           records, see {@link RecordCodec}
 * </pre>
 * The LSN counts payload bytes: a group of body length n occupies {@code n + 8} LSNs.
 */
final class LogFormat {

    static final byte[] MAGIC = "CAIRNRDO".getBytes(StandardCharsets.US_ASCII);
    static final byte[] COMPLETION_MAGIC = "CAIRNEND".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHECKPOINT_MAGIC = "CAIRNCKP".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int KIND_LOG_FILE = 1;
    static final int KIND_CONTROL = 2;

    static final String CONTROL_FILE_NAME = "redo-control";
    static final String LOG_FILE_PREFIX = "redo-";
    static final String LOG_FILE_SUFFIX = ".log";
    static final String TMP_SUFFIX = ".tmp";

    /** Region of the file header, the completion record and each checkpoint slot. */
    static final int REGION_BYTES = 4096;
    /** The largest write unit (alignment) supported; every region and file size is a multiple. */
    static final int MAX_UNIT_BYTES = 4096;
    static final long COMPLETION_OFFSET = 4096;
    static final long DATA_OFFSET = 8192;
    static final long CHECKPOINT_SLOT_0_OFFSET = 4096;
    static final long CONTROL_FILE_BYTES = 3 * 4096;

    static final int BLOCK_BYTES = 512;
    static final int BLOCK_HEADER_BYTES = 16;
    static final int BLOCK_CRC_OFFSET = BLOCK_BYTES - 4;
    static final int BLOCK_PAYLOAD_BYTES = BLOCK_CRC_OFFSET - BLOCK_HEADER_BYTES;
    /** Blocks the scan steps over looking for the continuation: the rest of one largest write unit. */
    static final int MAX_GAP_BLOCKS = MAX_UNIT_BYTES / BLOCK_BYTES;

    static final int GROUP_HEADER_BYTES = 8;
    static final int MAX_GROUP_BODY_BYTES = (16 << 20) - GROUP_HEADER_BYTES;

    /** Header records occupy the first 512 bytes of their region; the CRC sits at its end. */
    private static final int RECORD_BYTES = 512;
    private static final int RECORD_CRC_OFFSET = RECORD_BYTES - 4;
    private static final int MAX_CREATOR_BYTES = 256;

    private LogFormat() {
    }

    static String logFileName(long fileNumber) {
        return String.format("%s%010d%s", LOG_FILE_PREFIX, fileNumber, LOG_FILE_SUFFIX);
    }

    /** The number in a log file name, or -1 when {@code name} is not one. */
    static long parseLogFileName(String name) {
        if (!name.startsWith(LOG_FILE_PREFIX) || !name.endsWith(LOG_FILE_SUFFIX)) {
            return -1;
        }
        String digits = name.substring(LOG_FILE_PREFIX.length(), name.length() - LOG_FILE_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    static int crc(ByteBuffer buffer, int from, int to) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = buffer.duplicate();
        slice.limit(to).position(from);
        crc.update(slice);
        return (int) crc.getValue();
    }

    /** The checksum of a group: over its start LSN, body length and body. */
    static int groupCrc(long startLsn, int bodyLength, byte[] body, int offset) {
        CRC32C crc = new CRC32C();
        byte[] head = new byte[12];
        putLong(head, 0, startLsn);
        putInt(head, 8, bodyLength);
        crc.update(head, 0, 12);
        crc.update(body, offset, bodyLength);
        return (int) crc.getValue();
    }

    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    static void putLong(byte[] b, int offset, long value) {
        putInt(b, offset, (int) (value >>> 32));
        putInt(b, offset + 4, (int) value);
    }

    static int getInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    // ------------------------------------------------------------------ file headers

    /** The contents of a log file's or the control file's header. */
    record FileHeader(int kind, UUID logId, long fileNumber, long startLsn, long fileSizeBytes, String creator) {
    }

    /** Writes {@code header} at the start of {@code region} (a zeroed {@link #REGION_BYTES} buffer). */
    static void encodeHeader(FileHeader header, ByteBuffer region) {
        region.put(0, MAGIC);
        region.putInt(8, FORMAT_VERSION);
        region.putInt(12, header.kind());
        region.putLong(16, header.logId().getMostSignificantBits());
        region.putLong(24, header.logId().getLeastSignificantBits());
        region.putLong(32, header.fileNumber());
        region.putLong(40, header.startLsn());
        region.putLong(48, header.fileSizeBytes());
        region.putInt(56, BLOCK_BYTES);
        region.putInt(60, (int) DATA_OFFSET);
        byte[] creator = truncatedUtf8(header.creator());
        region.putShort(64, (short) creator.length);
        region.put(66, creator);
        region.putInt(RECORD_CRC_OFFSET, crc(region, 0, RECORD_CRC_OFFSET));
    }

    /**
     * Reads a header.
     *
     * @param what the file, for messages
     * @throws IOException naming the format found when the file is not a Cairn redo file of a
     *     version this implementation reads, or its header fails its checksum
     */
    static FileHeader decodeHeader(ByteBuffer region, String what) throws IOException {
        byte[] magic = new byte[8];
        region.get(0, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(what + " is not a Cairn redo file: it starts with " + ByteText.describe(magic)
                    + "; refusing to use or overwrite it");
        }
        int version = region.getInt(8);
        if (version != FORMAT_VERSION) {
            throw new IOException(what + " has Cairn redo format version " + version + "; this implementation reads"
                    + " version " + FORMAT_VERSION + "; refusing to use or overwrite it");
        }
        if (region.getInt(RECORD_CRC_OFFSET) != crc(region, 0, RECORD_CRC_OFFSET)) {
            throw new IOException(what + " has a damaged header (checksum mismatch)");
        }
        if (region.getInt(56) != BLOCK_BYTES || region.getInt(60) != DATA_OFFSET) {
            throw new IOException(what + " has block size " + region.getInt(56) + " and data offset "
                    + region.getInt(60) + "; this implementation uses " + BLOCK_BYTES + " and " + DATA_OFFSET);
        }
        int creatorLength = region.getShort(64) & 0xFFFF;
        if (creatorLength > MAX_CREATOR_BYTES) {
            throw new IOException(what + " has a damaged header (creator of " + creatorLength + " bytes)");
        }
        byte[] creator = new byte[creatorLength];
        region.get(66, creator);
        return new FileHeader(region.getInt(12), new UUID(region.getLong(16), region.getLong(24)),
                region.getLong(32), region.getLong(40), region.getLong(48),
                new String(creator, StandardCharsets.UTF_8));
    }

    private static byte[] truncatedUtf8(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_CREATOR_BYTES) {
            return utf8;
        }
        return java.util.Arrays.copyOf(utf8, MAX_CREATOR_BYTES);
    }

    // ------------------------------------------------------------------ completion record

    /** Writes the completion record of a log file into a zeroed region buffer. */
    static void encodeCompletion(long fileNumber, long startLsn, long endLsn, ByteBuffer region) {
        region.put(0, COMPLETION_MAGIC);
        region.putLong(8, fileNumber);
        region.putLong(16, startLsn);
        region.putLong(24, endLsn);
        region.putInt(RECORD_CRC_OFFSET, crc(region, 0, RECORD_CRC_OFFSET));
    }

    /** The end LSN in a completion record, or -1 when there is none or it is damaged (it is only informative). */
    static long decodeCompletion(ByteBuffer region, long fileNumber) {
        byte[] magic = new byte[8];
        region.get(0, magic);
        if (!java.util.Arrays.equals(magic, COMPLETION_MAGIC)
                || region.getInt(RECORD_CRC_OFFSET) != crc(region, 0, RECORD_CRC_OFFSET)
                || region.getLong(8) != fileNumber) {
            return -1;
        }
        return region.getLong(24);
    }

    // ------------------------------------------------------------------ checkpoint slots

    /** One checkpoint slot: a checkpoint number (higher is newer) and the LSN recovery starts at. */
    record Checkpoint(long number, long lsn) {
    }

    static long checkpointSlotOffset(long checkpointNumber) {
        return CHECKPOINT_SLOT_0_OFFSET + (checkpointNumber & 1) * REGION_BYTES;
    }

    static void encodeCheckpoint(Checkpoint checkpoint, UUID logId, ByteBuffer region) {
        region.put(0, CHECKPOINT_MAGIC);
        region.putLong(8, checkpoint.number());
        region.putLong(16, checkpoint.lsn());
        region.putLong(24, logId.getMostSignificantBits());
        region.putLong(32, logId.getLeastSignificantBits());
        region.putInt(RECORD_CRC_OFFSET, crc(region, 0, RECORD_CRC_OFFSET));
    }

    /** The checkpoint in a slot region, or null when the slot is empty, torn or from another log. */
    static Checkpoint decodeCheckpoint(ByteBuffer region, UUID logId) {
        byte[] magic = new byte[8];
        region.get(0, magic);
        if (!java.util.Arrays.equals(magic, CHECKPOINT_MAGIC)
                || region.getInt(RECORD_CRC_OFFSET) != crc(region, 0, RECORD_CRC_OFFSET)
                || region.getLong(24) != logId.getMostSignificantBits()
                || region.getLong(32) != logId.getLeastSignificantBits()) {
            return null;
        }
        return new Checkpoint(region.getLong(8), region.getLong(16));
    }

    // ------------------------------------------------------------------ buffers

    /** A zeroed direct buffer of {@code lengthBytes} whose address is aligned to {@link #MAX_UNIT_BYTES}. */
    static ByteBuffer alignedBuffer(int lengthBytes) {
        // alignedSlice rounds the capacity down to whole units, so allocate whole units plus one.
        int units = (int) roundUp(lengthBytes, MAX_UNIT_BYTES);
        return ByteBuffer.allocateDirect(units + MAX_UNIT_BYTES).alignedSlice(MAX_UNIT_BYTES)
                .limit(lengthBytes).slice();
    }

    static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
