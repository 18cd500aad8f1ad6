package io.cairn.redo.circular;

import java.nio.ByteBuffer;

/**
 * The valid content of one page version read from a slot: the chain of blocks from block 0 that
 * pass their checksum, carry the log's tag and the page's epoch, and continue each other's LSNs
 * (see {@link CircularFormat}). A torn or stale page yields a shorter chain or none.
 *
 * @param startLsn LSN of the first payload byte
 * @param epoch the incarnation that wrote the page
 * @param restart whether the page is an incarnation's first
 * @param payload the chain's payload bytes, {@code payloadBytes} of them
 * @param payloadBytes the chain's length in LSNs
 */
record PageChain(long startLsn, int epoch, boolean restart, byte[] payload, int payloadBytes) {

    /** The LSN just after the chain. */
    long endLsn() {
        return startLsn + payloadBytes;
    }

    /** Whether every block is full: only then may the next page follow in the same epoch. */
    boolean full() {
        return payloadBytes == CircularFormat.PAGE_PAYLOAD_BYTES;
    }

    /** Same page: the same start and epoch (versions of one page differ only in length). */
    boolean samePage(PageChain other) {
        return other != null && other.startLsn == startLsn && other.epoch == epoch && other.restart == restart;
    }

    /**
     * Parses the page in {@code page} (a {@link CircularFormat#PAGE_BYTES} buffer).
     *
     * @return the chain, or null when block 0 is not a valid block of this log
     */
    static PageChain parse(ByteBuffer page, int logTag) {
        byte[] payload = null;
        long startLsn = 0;
        int epoch = 0;
        boolean restart = false;
        int length = 0;
        for (int b = 0; b < CircularFormat.BLOCKS_PER_PAGE; b++) {
            int at = b * CircularFormat.BLOCK_BYTES;
            if (page.getInt(at + CircularFormat.BLOCK_CRC_OFFSET) != CircularFormat.crc(page, at,
                    at + CircularFormat.BLOCK_CRC_OFFSET) || page.getInt(at + 12) != logTag) {
                break;
            }
            long blockLsn = page.getLong(at);
            int blockEpoch = page.getInt(at + 8);
            int blockLength = page.getShort(at + 16) & 0xFFFF;
            int flags = page.getShort(at + 18) & 0xFFFF;
            if (blockLength < 1 || blockLength > CircularFormat.BLOCK_PAYLOAD_BYTES || blockEpoch < 1) {
                break;
            }
            if (b == 0) {
                startLsn = blockLsn;
                epoch = blockEpoch;
                restart = (flags & CircularFormat.FLAG_RESTART) != 0;
                payload = new byte[CircularFormat.PAGE_PAYLOAD_BYTES];
            } else if (blockEpoch != epoch || blockLsn != startLsn + length || flags != 0) {
                break;
            }
            page.get(at + CircularFormat.BLOCK_HEADER_BYTES, payload, length, blockLength);
            length += blockLength;
            if (blockLength < CircularFormat.BLOCK_PAYLOAD_BYTES) {
                break; // only the last block of a chain is partial
            }
        }
        return payload == null ? null : new PageChain(startLsn, epoch, restart, payload, length);
    }

    /**
     * Writes block headers and checksums into a page image whose payload areas hold
     * {@code payloadBytes} bytes from {@code startLsn}; blocks past the payload are zeroed.
     */
    static void finish(ByteBuffer page, long startLsn, int epoch, boolean restart, int logTag, int payloadBytes) {
        for (int b = 0; b < CircularFormat.BLOCKS_PER_PAGE; b++) {
            int at = b * CircularFormat.BLOCK_BYTES;
            int blockLength = Math.min(CircularFormat.BLOCK_PAYLOAD_BYTES,
                    Math.max(0, payloadBytes - b * CircularFormat.BLOCK_PAYLOAD_BYTES));
            if (blockLength == 0) {
                for (int i = at; i < at + CircularFormat.BLOCK_BYTES; i += 8) {
                    page.putLong(i, 0L);
                }
                continue;
            }
            page.putLong(at, startLsn + (long) b * CircularFormat.BLOCK_PAYLOAD_BYTES);
            page.putInt(at + 8, epoch);
            page.putInt(at + 12, logTag);
            page.putShort(at + 16, (short) blockLength);
            page.putShort(at + 18, (short) (b == 0 && restart ? CircularFormat.FLAG_RESTART : 0));
            for (int i = at + CircularFormat.BLOCK_HEADER_BYTES + blockLength; i < at + CircularFormat.BLOCK_CRC_OFFSET;
                    i++) {
                page.put(i, (byte) 0);
            }
            page.putInt(at + CircularFormat.BLOCK_CRC_OFFSET, CircularFormat.crc(page, at,
                    at + CircularFormat.BLOCK_CRC_OFFSET));
        }
    }

    /** Where payload byte {@code index} (0-based within the page) lives in a page image. */
    static int payloadOffset(int index) {
        return (index / CircularFormat.BLOCK_PAYLOAD_BYTES) * CircularFormat.BLOCK_BYTES
                + CircularFormat.BLOCK_HEADER_BYTES + index % CircularFormat.BLOCK_PAYLOAD_BYTES;
    }
}
