package io.cairn.redo.log;

import io.cairn.redo.RedoRecord;
import io.cairn.redo.RedoRecord.CheckpointMarker;
import io.cairn.redo.RedoRecord.FileCreate;
import io.cairn.redo.RedoRecord.FileDelete;
import io.cairn.redo.RedoRecord.FileExtend;
import io.cairn.redo.RedoRecord.FileRename;
import io.cairn.redo.RedoRecord.FileTruncate;
import io.cairn.redo.RedoRecord.FreePage;
import io.cairn.redo.RedoRecord.InitPage;
import io.cairn.redo.RedoRecord.Memmove;
import io.cairn.redo.RedoRecord.Memset;
import io.cairn.redo.RedoRecord.PageRecord;
import io.cairn.redo.RedoRecord.WriteBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link RedoRecord}s inside a group body.
 *
 * <p>Each record is a type byte followed by its fields as unsigned LEB128 variable-length
 * integers (1 byte for values below 128), byte strings as a length and the bytes. Page records
 * name their space and page; when a page record changes the same page as the page record just
 * before it in the group, the type byte carries {@link #SAME_PAGE} and the two identifiers are
 * left out, the way MariaDB's redo compresses runs of changes to one page. A 100-byte write to a
 * page therefore costs 105 to 110 bytes.
 *
 * <p>Space ids are written as unsigned 32-bit values and page numbers as unsigned 64-bit values,
 * so every {@code int} and {@code long} round-trips, negative ones included (in 5 and 10 bytes).
 */
final class RecordCodec {

    static final int INIT_PAGE = 1;
    static final int WRITE = 2;
    static final int MEMSET = 3;
    static final int MEMMOVE = 4;
    static final int FREE_PAGE = 5;
    static final int FILE_CREATE = 16;
    static final int FILE_DELETE = 17;
    static final int FILE_RENAME = 18;
    static final int FILE_EXTEND = 19;
    static final int FILE_TRUNCATE = 20;
    static final int CHECKPOINT_MARKER = 32;

    /** Set in a page record's type byte when it changes the same page as the previous page record. */
    static final int SAME_PAGE = 0x80;

    private RecordCodec() {
    }

    /** The encoded size of {@code records} in bytes. */
    static int encodedSize(List<RedoRecord> records) {
        long size = 0;
        PageRecord previous = null;
        for (RedoRecord record : records) {
            size += 1;
            if (record instanceof PageRecord page) {
                if (!samePage(previous, page)) {
                    size += varLongSize(Integer.toUnsignedLong(page.spaceId())) + varLongSize(page.pageNo());
                }
                previous = page;
            }
            size += bodySize(record);
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a redo group of more than 2 GiB cannot be encoded");
            }
        }
        return (int) size;
    }

    private static long bodySize(RedoRecord record) {
        if (record instanceof InitPage || record instanceof FreePage) {
            return 0;
        } else if (record instanceof WriteBytes w) {
            return varLongSize(w.pageOffset()) + varLongSize(w.bytes().length) + w.bytes().length;
        } else if (record instanceof Memset m) {
            return varLongSize(m.pageOffset()) + varLongSize(m.lengthBytes()) + 1;
        } else if (record instanceof Memmove m) {
            return varLongSize(m.sourceOffset()) + varLongSize(m.targetOffset()) + varLongSize(m.lengthBytes());
        } else if (record instanceof FileCreate c) {
            return spaceSize(c) + varLongSize(Integer.toUnsignedLong(c.pageSizeBytes())) + stringSize(c.fileName());
        } else if (record instanceof FileDelete d) {
            return spaceSize(d) + stringSize(d.fileName());
        } else if (record instanceof FileRename r) {
            return spaceSize(r) + stringSize(r.oldFileName()) + stringSize(r.newFileName());
        } else if (record instanceof FileExtend e) {
            return spaceSize(e) + varLongSize(e.sizePages());
        } else if (record instanceof FileTruncate t) {
            return spaceSize(t) + varLongSize(t.sizePages());
        } else if (record instanceof CheckpointMarker c) {
            return varLongSize(c.checkpointLsn());
        }
        throw new IllegalArgumentException("unknown redo record type " + record.getClass().getName());
    }

    /**
     * Encodes {@code records} into {@code dst} from {@code offset}; {@code dst} must have
     * {@link #encodedSize} bytes there. Returns the offset after the last byte written.
     */
    static int encode(List<RedoRecord> records, byte[] dst, int offset) {
        Writer out = new Writer(dst, offset);
        PageRecord previous = null;
        for (RedoRecord record : records) {
            int type = typeOf(record);
            if (record instanceof PageRecord page) {
                boolean same = samePage(previous, page);
                out.u8(type | (same ? SAME_PAGE : 0));
                if (!same) {
                    out.varLong(Integer.toUnsignedLong(page.spaceId()));
                    out.varLong(page.pageNo());
                }
                previous = page;
            } else {
                out.u8(type);
            }
            encodeBody(record, out);
        }
        return out.position;
    }

    private static void encodeBody(RedoRecord record, Writer out) {
        if (record instanceof WriteBytes w) {
            out.varLong(w.pageOffset());
            out.varLong(w.bytes().length);
            out.bytes(w.bytes());
        } else if (record instanceof Memset m) {
            out.varLong(m.pageOffset());
            out.varLong(m.lengthBytes());
            out.u8(m.value());
        } else if (record instanceof Memmove m) {
            out.varLong(m.sourceOffset());
            out.varLong(m.targetOffset());
            out.varLong(m.lengthBytes());
        } else if (record instanceof FileCreate c) {
            out.varLong(Integer.toUnsignedLong(c.spaceId()));
            out.varLong(Integer.toUnsignedLong(c.pageSizeBytes()));
            out.string(c.fileName());
        } else if (record instanceof FileDelete d) {
            out.varLong(Integer.toUnsignedLong(d.spaceId()));
            out.string(d.fileName());
        } else if (record instanceof FileRename r) {
            out.varLong(Integer.toUnsignedLong(r.spaceId()));
            out.string(r.oldFileName());
            out.string(r.newFileName());
        } else if (record instanceof FileExtend e) {
            out.varLong(Integer.toUnsignedLong(e.spaceId()));
            out.varLong(e.sizePages());
        } else if (record instanceof FileTruncate t) {
            out.varLong(Integer.toUnsignedLong(t.spaceId()));
            out.varLong(t.sizePages());
        } else if (record instanceof CheckpointMarker c) {
            out.varLong(c.checkpointLsn());
        }
        // InitPage and FreePage have no body.
    }

    private static int typeOf(RedoRecord record) {
        if (record instanceof InitPage) {
            return INIT_PAGE;
        } else if (record instanceof WriteBytes) {
            return WRITE;
        } else if (record instanceof Memset) {
            return MEMSET;
        } else if (record instanceof Memmove) {
            return MEMMOVE;
        } else if (record instanceof FreePage) {
            return FREE_PAGE;
        } else if (record instanceof FileCreate) {
            return FILE_CREATE;
        } else if (record instanceof FileDelete) {
            return FILE_DELETE;
        } else if (record instanceof FileRename) {
            return FILE_RENAME;
        } else if (record instanceof FileExtend) {
            return FILE_EXTEND;
        } else if (record instanceof FileTruncate) {
            return FILE_TRUNCATE;
        } else if (record instanceof CheckpointMarker) {
            return CHECKPOINT_MARKER;
        }
        throw new IllegalArgumentException("unknown redo record type " + record.getClass().getName());
    }

    /**
     * Decodes a group body. The body passed its checksum, so a failure here means a format this
     * implementation does not know (a newer version) or a bug, never a torn write.
     *
     * @param groupLsn the group's start LSN, for messages
     * @throws IOException naming the LSN and what could not be decoded
     */
    static List<RedoRecord> decode(byte[] src, int offset, int length, long groupLsn) throws IOException {
        Reader in = new Reader(src, offset, offset + length, groupLsn);
        List<RedoRecord> records = new ArrayList<>();
        int previousSpace = 0;
        long previousPage = 0;
        boolean havePrevious = false;
        while (in.position < in.end) {
            int typeByte = in.u8();
            int type = typeByte & ~SAME_PAGE;
            boolean same = (typeByte & SAME_PAGE) != 0;
            if (type >= INIT_PAGE && type <= FREE_PAGE) {
                int spaceId;
                long pageNo;
                if (same) {
                    if (!havePrevious) {
                        throw in.corrupt("a same-page record without a previous page record");
                    }
                    spaceId = previousSpace;
                    pageNo = previousPage;
                } else {
                    spaceId = in.u32();
                    pageNo = in.varLong();
                }
                records.add(decodePage(type, spaceId, pageNo, in));
                previousSpace = spaceId;
                previousPage = pageNo;
                havePrevious = true;
            } else if (same) {
                throw in.corrupt("record type " + type + " cannot carry the same-page flag");
            } else {
                records.add(decodeOther(type, in));
            }
        }
        if (records.isEmpty()) {
            throw in.corrupt("an empty group");
        }
        return records;
    }

    private static RedoRecord decodePage(int type, int spaceId, long pageNo, Reader in) throws IOException {
        try {
            switch (type) {
                case INIT_PAGE:
                    return new InitPage(spaceId, pageNo);
                case WRITE: {
                    int pageOffset = in.nonNegativeInt();
                    int length = in.nonNegativeInt();
                    return new WriteBytes(spaceId, pageNo, pageOffset, in.bytes(length));
                }
                case MEMSET: {
                    int pageOffset = in.nonNegativeInt();
                    int length = in.nonNegativeInt();
                    return new Memset(spaceId, pageNo, pageOffset, length, (byte) in.u8());
                }
                case MEMMOVE: {
                    int source = in.nonNegativeInt();
                    int target = in.nonNegativeInt();
                    return new Memmove(spaceId, pageNo, source, target, in.nonNegativeInt());
                }
                default:
                    return new FreePage(spaceId, pageNo);
            }
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
    }

    private static RedoRecord decodeOther(int type, Reader in) throws IOException {
        switch (type) {
            case FILE_CREATE: {
                int spaceId = in.u32();
                int pageSize = in.u32();
                return new FileCreate(spaceId, in.string(), pageSize);
            }
            case FILE_DELETE: {
                int spaceId = in.u32();
                return new FileDelete(spaceId, in.string());
            }
            case FILE_RENAME: {
                int spaceId = in.u32();
                String oldName = in.string();
                return new FileRename(spaceId, oldName, in.string());
            }
            case FILE_EXTEND: {
                int spaceId = in.u32();
                return new FileExtend(spaceId, in.varLong());
            }
            case FILE_TRUNCATE: {
                int spaceId = in.u32();
                return new FileTruncate(spaceId, in.varLong());
            }
            case CHECKPOINT_MARKER:
                return new CheckpointMarker(in.varLong());
            default:
                throw in.corrupt("unknown record type " + type);
        }
    }

    private static boolean samePage(PageRecord previous, PageRecord page) {
        return previous != null && previous.spaceId() == page.spaceId() && previous.pageNo() == page.pageNo();
    }

    private static long spaceSize(RedoRecord record) {
        return varLongSize(Integer.toUnsignedLong(record.spaceId()));
    }

    private static long stringSize(String s) {
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        return varLongSize(n) + n;
    }

    /** The size of {@code value} as an unsigned LEB128 integer: 1 to 10 bytes. */
    static int varLongSize(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    private static final class Writer {
        final byte[] dst;
        int position;

        Writer(byte[] dst, int position) {
            this.dst = dst;
            this.position = position;
        }

        void u8(int value) {
            dst[position++] = (byte) value;
        }

        void varLong(long value) {
            while ((value & ~0x7FL) != 0) {
                dst[position++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            dst[position++] = (byte) value;
        }

        void bytes(byte[] bytes) {
            System.arraycopy(bytes, 0, dst, position, bytes.length);
            position += bytes.length;
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varLong(utf8.length);
            bytes(utf8);
        }
    }

    private static final class Reader {
        final byte[] src;
        final int end;
        final long groupLsn;
        int position;

        Reader(byte[] src, int position, int end, long groupLsn) {
            this.src = src;
            this.position = position;
            this.end = end;
            this.groupLsn = groupLsn;
        }

        IOException corrupt(String what) {
            return new IOException("undecodable redo group at LSN " + groupLsn + ": " + what
                    + " (the group passed its checksum: a newer format or a bug, not a torn write)");
        }

        int u8() throws IOException {
            if (position >= end) {
                throw corrupt("record truncated");
            }
            return src[position++] & 0xFF;
        }

        long varLong() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw corrupt("variable-length integer longer than 10 bytes");
        }

        int u32() throws IOException {
            long value = varLong();
            if ((value & ~0xFFFF_FFFFL) != 0) {
                throw corrupt("32-bit field holds " + Long.toUnsignedString(value));
            }
            return (int) value;
        }

        int nonNegativeInt() throws IOException {
            long value = varLong();
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw corrupt("offset or length " + Long.toUnsignedString(value) + " out of range");
            }
            return (int) value;
        }

        byte[] bytes(int length) throws IOException {
            if (length > end - position) {
                throw corrupt(length + " bytes announced, " + (end - position) + " left");
            }
            byte[] bytes = new byte[length];
            System.arraycopy(src, position, bytes, 0, length);
            position += length;
            return bytes;
        }

        String string() throws IOException {
            return new String(bytes(nonNegativeInt()), StandardCharsets.UTF_8);
        }
    }
}
