package io.cairn.engine.core;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout every Cairn page shares, and its integrity checks.
 *
 * <pre>
 * offset         size  field
 * 0              4     CRC-32C of bytes [4, pageSize - 8)
 * 4              4     space id
 * 8              8     page number
 * 16             8     page LSN: the end LSN of the newest change written into the page
 * 24             2     page type (the access method's tag; 0 for a fresh page)
 * 26             6     reserved, zero
 * 32             ...   body: the bytes access methods use
 * pageSize - 8   4     low 32 bits of the page LSN
 * pageSize - 4   4     the checksum again
 * </pre>
 *
 * A page whose header and trailer were written by different writes (a torn write) fails the
 * checksum or the LSN comparison; a page written to the wrong place (a misdirected write) names
 * another space or page number. Integers are big-endian.
 */
public final class PageFormat {

    public static final int CHECKSUM_OFFSET = 0;
    public static final int SPACE_ID_OFFSET = 4;
    public static final int PAGE_NO_OFFSET = 8;
    public static final int PAGE_LSN_OFFSET = 16;
    public static final int PAGE_TYPE_OFFSET = 24;
    public static final int HEADER_BYTES = 32;
    public static final int TRAILER_BYTES = 8;

    /** The page sizes a home directory may be created with. */
    public static final int[] SUPPORTED_PAGE_SIZES = {4096, 8192, 16384, 32768, 65536};

    /** The result of {@link #verify}. */
    public enum Verdict {
        /** Checksum, trailer and identity agree. */
        VALID,
        /** Every byte is zero: allocated by a file extension but never written. */
        ALL_ZEROS,
        /** The checksum does not match the contents. */
        CHECKSUM_MISMATCH,
        /** Header and trailer carry different LSNs or checksums: parts of two writes. */
        TORN,
        /** A valid page, but of another space or page number: a misdirected write. */
        MISDIRECTED
    }

    private PageFormat() {
    }

    /** Whether {@code pageSizeBytes} is one of {@link #SUPPORTED_PAGE_SIZES}. */
    public static boolean isSupportedPageSize(int pageSizeBytes) {
        for (int size : SUPPORTED_PAGE_SIZES) {
            if (size == pageSizeBytes) {
                return true;
            }
        }
        return false;
    }

    /** First body offset. */
    public static int bodyStart() {
        return HEADER_BYTES;
    }

    /** One past the last body offset. */
    public static int bodyEnd(int pageSizeBytes) {
        return pageSizeBytes - TRAILER_BYTES;
    }

    /** Writes identity fields of a fresh page into {@code frame} (absolute positions, frame untouched otherwise). */
    public static void initialise(ByteBuffer frame, int spaceId, long pageNo) {
        frame.putInt(SPACE_ID_OFFSET, spaceId);
        frame.putLong(PAGE_NO_OFFSET, pageNo);
    }

    /** The page LSN stored in the header. */
    public static long pageLsn(ByteBuffer frame) {
        return frame.getLong(PAGE_LSN_OFFSET);
    }

    /** Sets the page LSN in the header (the trailer copy is written by {@link #stamp}). */
    public static void setPageLsn(ByteBuffer frame, long lsn) {
        frame.putLong(PAGE_LSN_OFFSET, lsn);
    }

    /**
     * Prepares a page for writing: trailer LSN copy and both checksums. Called on a private copy
     * or under the page latch, right before the write.
     */
    public static void stamp(ByteBuffer frame) {
        int size = pageSize(frame);
        frame.putInt(size - TRAILER_BYTES, (int) pageLsn(frame));
        int checksum = checksum(frame);
        frame.putInt(CHECKSUM_OFFSET, checksum);
        frame.putInt(size - 4, checksum);
    }

    /**
     * The page size of a frame, which is its capacity: a buffer with room to spare (say, an aligned
     * slice with its limit set) would have its checksums taken over the wrong bytes, so it is refused.
     */
    private static int pageSize(ByteBuffer frame) {
        int size = frame.capacity();
        if (size < 4096 || size > 65536 || Integer.bitCount(size) != 1 || frame.limit() != size) {
            throw new IllegalArgumentException("a page frame must be exactly one page (4 to 64 KiB, a power of two)"
                    + " with its limit at its capacity; got capacity " + size + ", limit " + frame.limit());
        }
        return size;
    }

    /** Checks a page read from {@code (spaceId, pageNo)}. */
    public static Verdict verify(ByteBuffer frame, int spaceId, long pageNo) {
        int size = pageSize(frame);
        int stored = frame.getInt(CHECKSUM_OFFSET);
        int trailerChecksum = frame.getInt(size - 4);
        if (stored == 0 && trailerChecksum == 0 && isAllZeros(frame)) {
            return Verdict.ALL_ZEROS;
        }
        if (stored != trailerChecksum || frame.getInt(size - TRAILER_BYTES) != (int) pageLsn(frame)) {
            return Verdict.TORN;
        }
        if (checksum(frame) != stored) {
            return Verdict.CHECKSUM_MISMATCH;
        }
        if (frame.getInt(SPACE_ID_OFFSET) != spaceId || frame.getLong(PAGE_NO_OFFSET) != pageNo) {
            return Verdict.MISDIRECTED;
        }
        return Verdict.VALID;
    }

    /** A one-line explanation of a failed verdict, for {@link io.cairn.engine.CorruptPageException}. */
    public static String explain(Verdict verdict, ByteBuffer frame) {
        return switch (verdict) {
            case VALID -> "valid";
            case ALL_ZEROS -> "the page was never written (all zeros)";
            case TORN -> "torn write: header and trailer differ (checksum " + hex(frame.getInt(CHECKSUM_OFFSET))
                    + " vs " + hex(frame.getInt(frame.capacity() - 4)) + ")";
            case CHECKSUM_MISMATCH -> "checksum mismatch: stored " + hex(frame.getInt(CHECKSUM_OFFSET))
                    + ", computed " + hex(checksum(frame));
            case MISDIRECTED -> "misdirected write: the page says space " + frame.getInt(SPACE_ID_OFFSET)
                    + ", page " + frame.getLong(PAGE_NO_OFFSET);
        };
    }

    static int checksum(ByteBuffer frame) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = frame.duplicate();
        covered.limit(frame.capacity() - TRAILER_BYTES).position(SPACE_ID_OFFSET);
        crc.update(covered);
        return (int) crc.getValue();
    }

    private static boolean isAllZeros(ByteBuffer frame) {
        for (int i = 0; i < frame.capacity(); i += 8) {
            if (frame.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(int value) {
        return String.format("%08x", value);
    }
}
