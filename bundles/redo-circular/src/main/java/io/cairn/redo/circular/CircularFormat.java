package io.cairn.redo.circular;

import io.cairn.redo.support.ByteText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the circular redo log: one file, {@value #FILE_NAME}, big-endian,
 * protected by CRC-32C.
 *
 * <h2>File</h2>
 * <pre>
 * [0, 4096)        file header (written once, at creation)
 * [4096, 8192)     checkpoint slot 0  (records with an even checkpoint number)
 * [8192, 12288)    checkpoint slot 1  (odd numbers)
 * [12288, end)     body: slots of 4096 bytes, used circularly; each holds one log page
 * </pre>
 * Each header record occupies the first 512 bytes of its 4096-byte region, so that a write of one
 * slot never shares a sector or an alignment unit with the other.
 *
 * <h2>File header</h2>
 * <pre>
 * 0   magic 'CAIRNCIR'   8 bytes
 * 8   format version     u32   1
 * 12  block size         u32   512
 * 16  page size          u32   4096
 * 20  body offset        u32   12288
 * 24  slot count         u32   at creation (growth is recorded in checkpoint records)
 * 32  file size          u64   at creation
 * 40  log id             2 x u64
 * 56  creation LSN       u64
 * 64  creator            u16 length + UTF-8 (at most 256 bytes)
 * 508 CRC-32C of [0, 508)
 * </pre>
 *
 * <h2>Checkpoint record</h2>
 * <pre>
 * 0   magic 'CIRCCKPT'   8 bytes
 * 8   checkpoint number  u64   higher is newer; the slot is number &amp; 1
 * 16  checkpoint LSN     u64   recovery starts here (a group boundary)
 * 24  mark LSN           u64   start LSN of a page at or before the checkpoint LSN ...
 * 32  mark slot          u32   ... and the slot it was first written to: where the scan starts
 * 36  epoch              u32   the newest incarnation; pages of higher epochs cannot exist
 * 40  slot count         u32   the body's slot count: where the circle wraps
 * 48  log id             2 x u64
 * 508 CRC-32C of [0, 508)
 * </pre>
 * The LSN of a byte does not determine its file offset (see "Pages"), so the checkpoint carries the
 * mapping the scan needs: a page start and its slot.
 *
 * <h2>Pages and blocks</h2>
 * A page is 8 blocks of 512 bytes; a block:
 * <pre>
 * 0   start LSN          u64   LSN of the block's first payload byte
 * 8   epoch              u32   incarnation that wrote it (every block of a page has the page's)
 * 12  log tag            u32   a hash of the log id
 * 16  payload length     u16   1..488; only a page's last block may be partial
 * 18  flags              u16   {@link #FLAG_RESTART} on block 0 of an incarnation's first page
 * 20  payload            488 bytes
 * 508 CRC-32C of [0, 508)
 * </pre>
 * A page's valid content is the chain of blocks from block 0 whose CRCs match, with one epoch and
 * consecutive LSNs, each full but the last. A torn page therefore reads as a shorter chain, never
 * as wrong bytes, and a block of an earlier lap or incarnation breaks the chain by its LSN or
 * epoch.
 *
 * <h2>Never rewriting what may be durable: page versions</h2>
 * A partial page is rewritten as more redo arrives (a version), but once a sync may have made a
 * version durable, the next version goes to the other slot of a pair: the page's home slot and
 * the slot after it. Versions alternate between the two, so one of them always holds the newest
 * version that may have been acknowledged while the other is being written. The scan reads both
 * slots, takes the longer chain of the same page (same start LSN and epoch), and continues after
 * the pair. A page that never needed a second slot is followed directly by the next page. The
 * cost is at most one slot per page, so the body holds twice the capacity in pages.
 *
 * <h2>Incarnations</h2>
 * Each open writes a checkpoint record with the next epoch before writing any page, and its
 * first page, flagged {@link #FLAG_RESTART}, starts at the recovered end LSN in a fresh slot after
 * everything the scan looked at. That LSN may lie inside the previous incarnation's torn last
 * group: the restart supersedes the bytes from there on. The scan accepts a restart page only
 * with a higher epoch (at most the record's) and a start equal to where the group being read
 * began, exactly what the incarnation's own recovery found, so stale pages of an incarnation that
 * crashed can never be mixed into the stream.
 *
 * <h2>Groups</h2>
 * <pre>
 * 0          body length   u32   1..{@link #MAX_GROUP_BODY_BYTES}
 * 4          body          records, see {@link RecordEncoding}
 * 4 + n      CRC-32C       u32   of (start LSN u64, body length u32, body)
 * </pre>
 * A group of body length n occupies n + 8 LSNs; LSNs count group bytes, not block headers.
 */
final class CircularFormat {

    static final String FILE_NAME = "cairn-circular.redo";
    static final String TMP_SUFFIX = ".tmp";

    static final byte[] HEADER_MAGIC = "CAIRNCIR".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHECKPOINT_MAGIC = "CIRCCKPT".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;

    /** Header regions; also the largest alignment the log supports. */
    static final int REGION_BYTES = 4096;
    static final long CHECKPOINT_SLOT_0_OFFSET = 4096;
    static final long BODY_OFFSET = 3 * 4096;

    static final int PAGE_BYTES = 4096;
    static final int BLOCK_BYTES = 512;
    static final int BLOCKS_PER_PAGE = PAGE_BYTES / BLOCK_BYTES;
    static final int BLOCK_HEADER_BYTES = 20;
    static final int BLOCK_CRC_OFFSET = BLOCK_BYTES - 4;
    static final int BLOCK_PAYLOAD_BYTES = BLOCK_CRC_OFFSET - BLOCK_HEADER_BYTES;
    static final int PAGE_PAYLOAD_BYTES = BLOCKS_PER_PAGE * BLOCK_PAYLOAD_BYTES;
    static final int FLAG_RESTART = 1;

    static final int GROUP_OVERHEAD_BYTES = 8;
    static final int MAX_GROUP_BODY_BYTES = (16 << 20) - GROUP_OVERHEAD_BYTES;

    /**
     * Slots beyond twice the capacity in pages: the page holding the checkpoint LSN, the pages
     * between the checkpoint's mark and that page (marks are kept every {@link #MARK_EVERY_PAGES}
     * pages), and the partial last page each incarnation leaves behind.
     */
    static final int HEADROOM_SLOTS = 4 * 32 + 2 * 16 + 8;
    /** A mark (page start, slot) is kept for every this many pages, for checkpoint records. */
    static final int MARK_EVERY_PAGES = 32;

    private static final int RECORD_CRC_OFFSET = 508;
    private static final int MAX_CREATOR_BYTES = 256;

    private CircularFormat() {
    }

    /** The body slots a file needs for {@code capacityBytes}: every page twice, plus headroom. */
    static int slotsFor(long capacityBytes) {
        long pages = (capacityBytes + PAGE_PAYLOAD_BYTES - 1) / PAGE_PAYLOAD_BYTES + 1;
        long slots = 2 * pages + HEADROOM_SLOTS;
        if (slots > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a capacity of " + capacityBytes + " bytes needs too many slots");
        }
        return (int) slots;
    }

    /** The largest capacity a body of {@code slotCount} slots guarantees room for. */
    static long capacityOf(int slotCount) {
        long pages = (slotCount - HEADROOM_SLOTS) / 2 - 1;
        return Math.max(0, pages) * PAGE_PAYLOAD_BYTES;
    }

    static long fileSizeFor(int slotCount) {
        return BODY_OFFSET + (long) slotCount * PAGE_BYTES;
    }

    static long slotOffset(int slot) {
        return BODY_OFFSET + (long) slot * PAGE_BYTES;
    }

    static long checkpointSlotOffset(long checkpointNumber) {
        return CHECKPOINT_SLOT_0_OFFSET + (checkpointNumber & 1) * REGION_BYTES;
    }

    static int logTag(UUID logId) {
        long msb = logId.getMostSignificantBits();
        long lsb = logId.getLeastSignificantBits();
        return (int) (msb ^ (msb >>> 32) ^ lsb ^ (lsb >>> 32));
    }

    static int crc(ByteBuffer buffer, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }

    /** The checksum of a group: over its start LSN, its body length and its body. */
    static int groupCrc(long startLsn, byte[] frame, int bodyOffset, int bodyLength) {
        CRC32C crc = new CRC32C();
        byte[] head = new byte[12];
        ByteBuffer.wrap(head).putLong(startLsn).putInt(bodyLength);
        crc.update(head);
        crc.update(frame, bodyOffset, bodyLength);
        return (int) crc.getValue();
    }

    /** A zeroed direct buffer of {@code lengthBytes} whose address is aligned to {@link #REGION_BYTES}. */
    static ByteBuffer alignedBuffer(int lengthBytes) {
        int rounded = (lengthBytes + REGION_BYTES - 1) / REGION_BYTES * REGION_BYTES;
        return ByteBuffer.allocateDirect(rounded + REGION_BYTES).alignedSlice(REGION_BYTES).limit(lengthBytes).slice();
    }

    // ------------------------------------------------------------------ file header

    /** The file header's contents. */
    record Header(UUID logId, int slotCount, long fileSizeBytes, long creationLsn, String creator) {
    }

    static void encodeHeader(Header header, ByteBuffer region) {
        region.put(0, HEADER_MAGIC);
        region.putInt(8, FORMAT_VERSION);
        region.putInt(12, BLOCK_BYTES);
        region.putInt(16, PAGE_BYTES);
        region.putInt(20, (int) BODY_OFFSET);
        region.putInt(24, header.slotCount());
        region.putLong(32, header.fileSizeBytes());
        region.putLong(40, header.logId().getMostSignificantBits());
        region.putLong(48, header.logId().getLeastSignificantBits());
        region.putLong(56, header.creationLsn());
        byte[] creator = header.creator().getBytes(StandardCharsets.UTF_8);
        creator = Arrays.copyOf(creator, Math.min(creator.length, MAX_CREATOR_BYTES));
        region.putShort(64, (short) creator.length);
        region.put(66, creator);
        region.putInt(RECORD_CRC_OFFSET, crc(region, 0, RECORD_CRC_OFFSET));
    }

    /**
     * Reads the file header.
     *
     * @param what the file, for messages
     * @throws IOException naming what was found when the file is not a circular redo file of this
     *     version or its header is damaged
     */
    static Header decodeHeader(ByteBuffer region, String what) throws IOException {
        byte[] magic = new byte[8];
        region.get(0, magic);
        if (!Arrays.equals(magic, HEADER_MAGIC)) {
            throw new IOException(what + " is not a Cairn circular redo file: it starts with " + ByteText.describe(magic)
                    + "; refusing to use or overwrite it");
        }
        if (region.getInt(8) != FORMAT_VERSION) {
            throw new IOException(what + " has circular redo format version " + region.getInt(8)
                    + "; this implementation reads version " + FORMAT_VERSION + "; refusing to use or overwrite it");
        }
        if (region.getInt(RECORD_CRC_OFFSET) != crc(region, 0, RECORD_CRC_OFFSET)) {
            throw new IOException(what + " has a damaged file header (checksum mismatch)");
        }
        if (region.getInt(12) != BLOCK_BYTES || region.getInt(16) != PAGE_BYTES || region.getInt(20) != BODY_OFFSET) {
            throw new IOException(what + " has block size " + region.getInt(12) + ", page size " + region.getInt(16)
                    + " and body offset " + region.getInt(20) + "; this implementation uses " + BLOCK_BYTES + ", "
                    + PAGE_BYTES + " and " + BODY_OFFSET);
        }
        int creatorLength = region.getShort(64) & 0xFFFF;
        if (creatorLength > MAX_CREATOR_BYTES) {
            throw new IOException(what + " has a damaged file header (creator of " + creatorLength + " bytes)");
        }
        byte[] creator = new byte[creatorLength];
        region.get(66, creator);
        return new Header(new UUID(region.getLong(40), region.getLong(48)), region.getInt(24), region.getLong(32),
                region.getLong(56), new String(creator, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ checkpoint records

    /**
     * One checkpoint record.
     *
     * @param number higher is newer
     * @param checkpointLsn recovery starts here
     * @param markLsn the start LSN of the page the scan starts at ({@code <= checkpointLsn})
     * @param markSlot the slot that page was first written to
     * @param epoch the newest incarnation
     * @param slotCount the body's slot count
     */
    record Checkpoint(long number, long checkpointLsn, long markLsn, int markSlot, int epoch, int slotCount) {

        Checkpoint next(long newCheckpointLsn, long newMarkLsn, int newMarkSlot) {
            return new Checkpoint(number + 1, newCheckpointLsn, newMarkLsn, newMarkSlot, epoch, slotCount);
        }

        Checkpoint withEpoch(int newEpoch) {
            return new Checkpoint(number + 1, checkpointLsn, markLsn, markSlot, newEpoch, slotCount);
        }

        Checkpoint withSlotCount(int newSlotCount) {
            return new Checkpoint(number + 1, checkpointLsn, markLsn, markSlot, epoch, newSlotCount);
        }
    }

    static void encodeCheckpoint(Checkpoint c, UUID logId, ByteBuffer region) {
        region.put(0, CHECKPOINT_MAGIC);
        region.putLong(8, c.number());
        region.putLong(16, c.checkpointLsn());
        region.putLong(24, c.markLsn());
        region.putInt(32, c.markSlot());
        region.putInt(36, c.epoch());
        region.putInt(40, c.slotCount());
        region.putLong(48, logId.getMostSignificantBits());
        region.putLong(56, logId.getLeastSignificantBits());
        region.putInt(RECORD_CRC_OFFSET, crc(region, 0, RECORD_CRC_OFFSET));
    }

    /** The record in a slot region, or null when the slot is empty, torn or of another log. */
    static Checkpoint decodeCheckpoint(ByteBuffer region, UUID logId) {
        byte[] magic = new byte[8];
        region.get(0, magic);
        if (!Arrays.equals(magic, CHECKPOINT_MAGIC)
                || region.getInt(RECORD_CRC_OFFSET) != crc(region, 0, RECORD_CRC_OFFSET)
                || region.getLong(48) != logId.getMostSignificantBits()
                || region.getLong(56) != logId.getLeastSignificantBits()) {
            return null;
        }
        Checkpoint c = new Checkpoint(region.getLong(8), region.getLong(16), region.getLong(24), region.getInt(32),
                region.getInt(36), region.getInt(40));
        if (c.markLsn() > c.checkpointLsn() || c.slotCount() <= 0 || c.markSlot() < 0
                || c.markSlot() >= c.slotCount() || c.epoch() < 0) {
            return null; // a record this implementation never writes: treat as damaged
        }
        return c;
    }

    // ------------------------------------------------------------------ foreign formats

    /**
     * What another redo format's file name says, or null when {@code name} belongs to no format
     * this implementation knows: Cairn's multi-file log and InnoDB's redo files.
     */
    static String foreignFormat(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("redo-control") || lower.matches("redo-[0-9]+\\.log(\\.tmp)?")) {
            return "Cairn's multi-file redo log (cairn.redo=cairn)";
        }
        if (lower.startsWith("ib_logfile") || lower.startsWith("#ib_redo") || lower.startsWith("ib_redo")) {
            return "InnoDB redo log";
        }
        return null;
    }
}
