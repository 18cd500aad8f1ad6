package io.cairn.redo.log;

import java.io.IOException;

/**
 * Splits the payload stream of a {@link LogReader} into groups and verifies each: its length is
 * plausible, all its bytes are there, and its CRC-32C (over start LSN, length and body) holds.
 * The first group that fails ends the log: a torn, garbage or zero tail is the expected end of a
 * log after a crash, never an error.
 */
final class GroupScanner {

    /** Receives each complete group. */
    @FunctionalInterface
    interface Sink {
        void group(long startLsn, long endLsn, byte[] body, int bodyLength) throws IOException;
    }

    /**
     * @param endLsn the LSN after the last complete group
     * @param groups the number of complete groups passed to the sink
     * @param tailDescription why the scan stopped
     * @param clean whether it stopped the way a cleanly closed log ends
     */
    record Result(long endLsn, long groups, String tailDescription, boolean clean) {
    }

    private GroupScanner() {
    }

    /**
     * Scans from the reader's position until the end of the valid log or until {@code stopLsn}.
     *
     * @param stopLsn stop at this LSN, which must be a group boundary (or {@link Long#MAX_VALUE})
     */
    static Result scan(LogReader reader, long stopLsn, Sink sink) throws IOException {
        long lsn = reader.position();
        long groups = 0;
        byte[] head = new byte[LogFormat.GROUP_HEADER_BYTES];
        while (true) {
            if (lsn >= stopLsn) {
                return new Result(lsn, groups, "end of log", true);
            }
            int n = reader.read(head, 0, head.length);
            if (n == 0) {
                return reader.cleanEnd()
                        ? new Result(lsn, groups, "end of log", true)
                        : new Result(lsn, groups, "end of log at LSN " + lsn + ": " + reader.endReason(), false);
            }
            if (n < head.length) {
                return torn(lsn, groups, "incomplete group header at LSN " + lsn + " (" + n + " of "
                        + head.length + " bytes; torn write)", reader);
            }
            int bodyLength = LogFormat.getInt(head, 0);
            int storedCrc = LogFormat.getInt(head, 4);
            if (bodyLength <= 0 || bodyLength > LogFormat.MAX_GROUP_BODY_BYTES) {
                String what = bodyLength == 0 && storedCrc == 0 ? "zero group header" : "invalid group length "
                        + Integer.toUnsignedString(bodyLength);
                return torn(lsn, groups, what + " at LSN " + lsn + " (garbage or torn write)", null);
            }
            byte[] body = new byte[bodyLength];
            int got = reader.read(body, 0, bodyLength);
            if (got < bodyLength) {
                return torn(lsn, groups, "incomplete group at LSN " + lsn + " (" + got + " of " + bodyLength
                        + " body bytes; torn write)", reader);
            }
            if (LogFormat.groupCrc(lsn, bodyLength, body, 0) != storedCrc) {
                return torn(lsn, groups, "checksum mismatch at LSN " + lsn + " (torn write)", null);
            }
            long end = lsn + LogFormat.GROUP_HEADER_BYTES + bodyLength;
            sink.group(lsn, end, body, bodyLength);
            groups++;
            lsn = end;
        }
    }

    private static Result torn(long lsn, long groups, String what, LogReader reader) {
        String reason = reader == null || reader.endReason() == null ? what : what + ": " + reader.endReason();
        return new Result(lsn, groups, reason, false);
    }
}
