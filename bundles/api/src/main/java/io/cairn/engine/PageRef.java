package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A page latched inside a {@link MiniTransaction}. Reads see the page as this mini-transaction left
 * it; writes change the page in place and are logged as physical redo records (a write as
 * WRITE, {@link #fill} as MEMSET, {@link #move} as MEMMOVE), so recovery repeats them exactly.
 *
 * <p>Offsets are byte offsets within the page and must lie in
 * {@code [bodyStartOffset(), bodyEndOffset())}: the page header (checksum, space id, page number,
 * LSN, type) and trailer belong to the engine. Out-of-range access throws
 * {@link IndexOutOfBoundsException} and changes nothing. Writes need a page from
 * {@link MiniTransaction#writePage} or {@link MiniTransaction#allocatePage}; on a shared page they
 * throw {@link IllegalStateException}. A handle is only valid until its mini-transaction ends and
 * only in the thread that owns the mini-transaction.
 */
@ProviderType
public interface PageRef {

    /** The page number. */
    long pageNo();

    /** The tablespace id. */
    int spaceId();

    /** The first byte offset an access method may use. */
    int bodyStartOffset();

    /** One past the last byte offset an access method may use. */
    int bodyEndOffset();

    /** Whether this page is latched exclusively, so writes are allowed. */
    boolean isWritable();

    /** The page type, an access method's tag for what the page holds (0 for a fresh page). */
    short pageType();

    /** Sets the page type (logged). */
    void setPageType(short pageType);

    /** The byte at {@code pageOffset}. */
    byte getByte(int pageOffset);

    /** The big-endian 16-bit value at {@code pageOffset}. */
    short getShort(int pageOffset);

    /** The big-endian 32-bit value at {@code pageOffset}. */
    int getInt(int pageOffset);

    /** The big-endian 64-bit value at {@code pageOffset}. */
    long getLong(int pageOffset);

    /** Copies {@code lengthBytes} bytes at {@code pageOffset} into {@code dst}. */
    void get(int pageOffset, byte[] dst, int dstOffset, int lengthBytes);

    /** Writes one byte at {@code pageOffset} (logged). */
    void putByte(int pageOffset, byte value);

    /** Writes a big-endian 16-bit value at {@code pageOffset} (logged). */
    void putShort(int pageOffset, short value);

    /** Writes a big-endian 32-bit value at {@code pageOffset} (logged). */
    void putInt(int pageOffset, int value);

    /** Writes a big-endian 64-bit value at {@code pageOffset} (logged). */
    void putLong(int pageOffset, long value);

    /** Writes {@code lengthBytes} bytes of {@code src} at {@code pageOffset}. */
    void put(int pageOffset, byte[] src, int srcOffset, int lengthBytes);

    /** Sets {@code lengthBytes} bytes at {@code pageOffset} to {@code value}. */
    void fill(int pageOffset, int lengthBytes, byte value);

    /** Moves {@code lengthBytes} bytes from {@code sourceOffset} to {@code targetOffset}; ranges may overlap. */
    void move(int sourceOffset, int targetOffset, int lengthBytes);
}
