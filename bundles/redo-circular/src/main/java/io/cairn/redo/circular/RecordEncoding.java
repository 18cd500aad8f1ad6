package io.cairn.redo.circular;

import io.cairn.redo.RedoRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte form of records inside a group body: a type byte, then the record's fields as
 * variable-length integers (LEB128; signed fields zig-zag encoded, so small negative space ids
 * stay short), byte strings as a length and the bytes, names as UTF-8 byte strings. A body is the
 * records one after another; the group frame around it carries its length and checksum.
 */
final class RecordEncoding {

    private static final int INIT_PAGE = 1;
    private static final int WRITE_BYTES = 2;
    private static final int MEMSET = 3;
    private static final int MEMMOVE = 4;
    private static final int FREE_PAGE = 5;
    private static final int FILE_CREATE = 6;
    private static final int FILE_DELETE = 7;
    private static final int FILE_RENAME = 8;
    private static final int FILE_EXTEND = 9;
    private static final int FILE_TRUNCATE = 10;
    private static final int CHECKPOINT_MARKER = 11;

    private RecordEncoding() {
    }

    /**
     * A group frame for {@code records}: the body length, the body, and room for the checksum,
     * which needs the group's start LSN and is filled by {@link #seal}.
     *
     * @throws IllegalArgumentException if the body exceeds {@link CircularFormat#MAX_GROUP_BODY_BYTES}
     */
    static byte[] frame(List<RedoRecord> records) {
        Writer w = new Writer();
        w.skip(4);
        for (RedoRecord r : records) {
            encode(r, w);
        }
        int bodyLength = w.length - 4;
        if (bodyLength > CircularFormat.MAX_GROUP_BODY_BYTES) {
            throw new IllegalArgumentException("a redo group of " + bodyLength + " body bytes exceeds the largest of "
                    + CircularFormat.MAX_GROUP_BODY_BYTES);
        }
        w.skip(4);
        byte[] frame = w.toArray();
        putInt(frame, 0, bodyLength);
        return frame;
    }

    /** Fills the frame's checksum now that the group's start LSN is known. */
    static void seal(byte[] frame, long startLsn) {
        int bodyLength = frame.length - CircularFormat.GROUP_OVERHEAD_BYTES;
        putInt(frame, frame.length - 4, CircularFormat.groupCrc(startLsn, frame, 4, bodyLength));
    }

    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    static int getInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    private static void encode(RedoRecord record, Writer w) {
        // A switch on the sealed hierarchy: a new record type fails to compile here.
        if (record instanceof RedoRecord.InitPage r) {
            w.type(INIT_PAGE).signed(r.spaceId()).signed(r.pageNo());
        } else if (record instanceof RedoRecord.WriteBytes r) {
            w.type(WRITE_BYTES).signed(r.spaceId()).signed(r.pageNo()).unsigned(r.pageOffset()).bytes(r.bytes());
        } else if (record instanceof RedoRecord.Memset r) {
            w.type(MEMSET).signed(r.spaceId()).signed(r.pageNo()).unsigned(r.pageOffset()).unsigned(r.lengthBytes())
                    .raw(r.value());
        } else if (record instanceof RedoRecord.Memmove r) {
            w.type(MEMMOVE).signed(r.spaceId()).signed(r.pageNo()).unsigned(r.sourceOffset())
                    .unsigned(r.targetOffset()).unsigned(r.lengthBytes());
        } else if (record instanceof RedoRecord.FreePage r) {
            w.type(FREE_PAGE).signed(r.spaceId()).signed(r.pageNo());
        } else if (record instanceof RedoRecord.FileCreate r) {
            w.type(FILE_CREATE).signed(r.spaceId()).text(r.fileName()).signed(r.pageSizeBytes());
        } else if (record instanceof RedoRecord.FileDelete r) {
            w.type(FILE_DELETE).signed(r.spaceId()).text(r.fileName());
        } else if (record instanceof RedoRecord.FileRename r) {
            w.type(FILE_RENAME).signed(r.spaceId()).text(r.oldFileName()).text(r.newFileName());
        } else if (record instanceof RedoRecord.FileExtend r) {
            w.type(FILE_EXTEND).signed(r.spaceId()).signed(r.sizePages());
        } else if (record instanceof RedoRecord.FileTruncate r) {
            w.type(FILE_TRUNCATE).signed(r.spaceId()).signed(r.sizePages());
        } else if (record instanceof RedoRecord.CheckpointMarker r) {
            w.type(CHECKPOINT_MARKER).signed(r.checkpointLsn());
        } else {
            throw new IllegalArgumentException("unknown redo record type " + record.getClass().getName());
        }
    }

    /**
     * Decodes a group body.
     *
     * @param startLsn the group's start LSN, for messages
     * @throws IOException if the body does not parse: the checksum matched, so this is a bug or
     *     a format mismatch, not a torn write
     */
    static List<RedoRecord> decode(byte[] body, int offset, int length, long startLsn) throws IOException {
        Reader r = new Reader(body, offset, offset + length, startLsn);
        List<RedoRecord> records = new ArrayList<>();
        try {
            while (r.position < r.end) {
                int type = r.raw() & 0xFF;
                records.add(switch (type) {
                    case INIT_PAGE -> new RedoRecord.InitPage(r.int32(), r.signed());
                    case WRITE_BYTES -> new RedoRecord.WriteBytes(r.int32(), r.signed(), r.uint31(), r.bytes());
                    case MEMSET -> new RedoRecord.Memset(r.int32(), r.signed(), r.uint31(), r.uint31(), r.raw());
                    case MEMMOVE -> new RedoRecord.Memmove(r.int32(), r.signed(), r.uint31(), r.uint31(), r.uint31());
                    case FREE_PAGE -> new RedoRecord.FreePage(r.int32(), r.signed());
                    case FILE_CREATE -> new RedoRecord.FileCreate(r.int32(), r.text(), r.int32());
                    case FILE_DELETE -> new RedoRecord.FileDelete(r.int32(), r.text());
                    case FILE_RENAME -> new RedoRecord.FileRename(r.int32(), r.text(), r.text());
                    case FILE_EXTEND -> new RedoRecord.FileExtend(r.int32(), r.signed());
                    case FILE_TRUNCATE -> new RedoRecord.FileTruncate(r.int32(), r.signed());
                    case CHECKPOINT_MARKER -> new RedoRecord.CheckpointMarker(r.signed());
                    default -> throw r.damaged("unknown record type " + type);
                });
            }
        } catch (IllegalArgumentException e) {
            throw r.damaged(e.getMessage());
        }
        if (records.isEmpty()) {
            throw r.damaged("no records");
        }
        return records;
    }

    /** A growable byte array with the field encodings. */
    private static final class Writer {
        private byte[] bytes = new byte[64];
        private int length;

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        Writer skip(int n) {
            ensure(n);
            length += n;
            return this;
        }

        Writer type(int type) {
            return raw((byte) type);
        }

        Writer raw(byte b) {
            ensure(1);
            bytes[length++] = b;
            return this;
        }

        Writer unsigned(long value) {
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                bytes[length++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[length++] = (byte) v;
            return this;
        }

        Writer signed(long value) {
            return unsigned((value << 1) ^ (value >> 63));
        }

        Writer bytes(byte[] b) {
            unsigned(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
            return this;
        }

        Writer text(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(bytes, length);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private final int start;
        private final int end;
        private final long startLsn;
        private int position;

        Reader(byte[] bytes, int start, int end, long startLsn) {
            this.bytes = bytes;
            this.start = start;
            this.end = end;
            this.startLsn = startLsn;
            this.position = start;
        }

        IOException damaged(String what) {
            return new IOException("the redo group at LSN " + startLsn + " passed its checksum but does not decode ("
                    + what + " at body offset " + (position - start) + "): a format mismatch or a bug");
        }

        byte raw() {
            if (position >= end) {
                throw new IllegalArgumentException("truncated record");
            }
            return bytes[position++];
        }

        long unsigned() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = raw();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("overlong integer");
        }

        long signed() {
            long v = unsigned();
            return (v >>> 1) ^ -(v & 1);
        }

        int int32() {
            long v = signed();
            if (v != (int) v) {
                throw new IllegalArgumentException("integer out of range");
            }
            return (int) v;
        }

        int uint31() {
            long v = unsigned();
            if (v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("length or offset out of range");
            }
            return (int) v;
        }

        byte[] bytes() {
            int n = uint31();
            if (n > end - position) {
                throw new IllegalArgumentException("byte string of " + n + " bytes past the body's end");
            }
            byte[] b = java.util.Arrays.copyOfRange(bytes, position, position + n);
            position += n;
            return b;
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
