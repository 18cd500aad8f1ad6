package io.cairn.redo;

import java.util.Objects;

/**
 * One physical change, in the manner of MariaDB 10.5+ redo: page records name a page and the bytes
 * that change in it; file records name a tablespace file operation. A mini-transaction's records
 * form one group that recovery applies entirely or not at all.
 *
 * <p>Page offsets are byte offsets within the page. Byte arrays passed to records are owned by the
 * record afterwards: callers must not change them.
 */
public sealed interface RedoRecord {

    /** The tablespace the record changes. */
    int spaceId();

    /** Page records: a change to one page. */
    sealed interface PageRecord extends RedoRecord {
        /** The page number within the tablespace. */
        long pageNo();
    }

    /** The page is (re)initialised: all bytes zero, then the records that follow in the group apply. */
    record InitPage(int spaceId, long pageNo) implements PageRecord {
    }

    /** {@code bytes} are written at {@code pageOffset}. */
    record WriteBytes(int spaceId, long pageNo, int pageOffset, byte[] bytes) implements PageRecord {
        public WriteBytes {
            Objects.requireNonNull(bytes, "bytes");
            requireOffset(pageOffset, bytes.length);
        }
    }

    /** {@code lengthBytes} bytes at {@code pageOffset} are set to {@code value}. */
    record Memset(int spaceId, long pageNo, int pageOffset, int lengthBytes, byte value) implements PageRecord {
        public Memset {
            requireOffset(pageOffset, lengthBytes);
        }
    }

    /** {@code lengthBytes} bytes move from {@code sourceOffset} to {@code targetOffset} (ranges may overlap). */
    record Memmove(int spaceId, long pageNo, int sourceOffset, int targetOffset, int lengthBytes)
            implements PageRecord {
        public Memmove {
            requireOffset(sourceOffset, lengthBytes);
            requireOffset(targetOffset, lengthBytes);
        }
    }

    /** The page is no longer in use; recovery need not read it. */
    record FreePage(int spaceId, long pageNo) implements PageRecord {
    }

    /** File records: a tablespace file operation, replayed after page records in recovery. */
    sealed interface FileRecord extends RedoRecord {
    }

    /** The tablespace file {@code fileName} (relative to the data directory) was created. */
    record FileCreate(int spaceId, String fileName, int pageSizeBytes) implements FileRecord {
        public FileCreate {
            Objects.requireNonNull(fileName, "fileName");
        }
    }

    /** The tablespace file was deleted. */
    record FileDelete(int spaceId, String fileName) implements FileRecord {
        public FileDelete {
            Objects.requireNonNull(fileName, "fileName");
        }
    }

    /** The tablespace file was renamed. */
    record FileRename(int spaceId, String oldFileName, String newFileName) implements FileRecord {
        public FileRename {
            Objects.requireNonNull(oldFileName, "oldFileName");
            Objects.requireNonNull(newFileName, "newFileName");
        }
    }

    /** The tablespace grew to {@code sizePages} pages. */
    record FileExtend(int spaceId, long sizePages) implements FileRecord {
    }

    /** The tablespace was cut to {@code sizePages} pages. */
    record FileTruncate(int spaceId, long sizePages) implements FileRecord {
    }

    /** A checkpoint at {@code checkpointLsn} was taken; written so a scan knows where one happened. */
    record CheckpointMarker(long checkpointLsn) implements RedoRecord {
        @Override
        public int spaceId() {
            return 0;
        }
    }

    private static void requireOffset(int pageOffset, int lengthBytes) {
        if (pageOffset < 0 || lengthBytes < 0) {
            throw new IllegalArgumentException("offset " + pageOffset + " and length " + lengthBytes + " must be >= 0");
        }
    }
}
