package io.cairn.engine.core;

import io.cairn.engine.Tablespace;
import io.cairn.engine.TablespaceState;
import java.io.IOException;

/**
 * One tablespace: its identity, its file and its lifecycle. Page 0 is the header page:
 *
 * <pre>
 * body offset  size  field
 * 0            8     magic "CAIRNTBS"
 * 8            4     format version
 * 12           4     page size in bytes
 * 16           8     size in pages (the file's allocated size)
 * 24           8     high-water mark: the first page never handed out
 * 32           8     head of the free-page list (0: empty; page 0 is never free)
 * 40           2     name length in bytes (UTF-8, at most 64)
 * 42           64    name
 * </pre>
 *
 * Header fields change only inside mini-transactions, so they are logged and recovered like any
 * other page bytes. A free page keeps the number of the next free page in its first body bytes.
 */
public final class TablespaceImpl implements Tablespace {

    public static final long MAGIC = 0x434149524E544253L; // "CAIRNTBS"
    public static final int FORMAT_VERSION = 1;
    public static final long HEADER_PAGE_NO = 0;
    public static final long FIRST_USER_PAGE_NO = 1;
    /** Files grow by whole extents of this many pages. */
    public static final int EXTENT_PAGES = 64;

    static final int MAGIC_OFFSET = PageFormat.HEADER_BYTES;
    static final int FORMAT_OFFSET = MAGIC_OFFSET + 8;
    static final int PAGE_SIZE_OFFSET = MAGIC_OFFSET + 12;
    static final int SIZE_PAGES_OFFSET = MAGIC_OFFSET + 16;
    static final int HIGH_WATER_OFFSET = MAGIC_OFFSET + 24;
    static final int FREE_HEAD_OFFSET = MAGIC_OFFSET + 32;
    static final int NAME_LENGTH_OFFSET = MAGIC_OFFSET + 40;
    static final int NAME_OFFSET = MAGIC_OFFSET + 42;
    static final int MAX_NAME_BYTES = 64;
    /** Where a free page stores the next free page number. */
    static final int FREE_NEXT_OFFSET = PageFormat.HEADER_BYTES;

    private final int spaceId;
    private volatile String name;
    private final int pageSizeBytes;
    private final SwitchableFile file;
    private final TablespaceLifecycle lifecycle;
    /** The file's size in pages as the header says; updated by mini-transactions that extend it. */
    private volatile long sizePages;

    public TablespaceImpl(int spaceId, String name, int pageSizeBytes, SwitchableFile file, long sizePages) {
        this.spaceId = spaceId;
        this.name = name;
        this.pageSizeBytes = pageSizeBytes;
        this.file = file;
        this.lifecycle = new TablespaceLifecycle(name);
        this.sizePages = sizePages;
    }

    @Override
    public int spaceId() {
        return spaceId;
    }

    @Override
    public String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    @Override
    public TablespaceState state() {
        return lifecycle.state();
    }

    @Override
    public long sizePages() {
        return sizePages;
    }

    void sizePages(long pages) {
        this.sizePages = pages;
    }

    @Override
    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    @Override
    public long firstUserPageNo() {
        return FIRST_USER_PAGE_NO;
    }

    /** The tablespace's file. */
    public SwitchableFile file() {
        return file;
    }

    /** The lifecycle: references, pending I/O, drop protocol. */
    public TablespaceLifecycle lifecycle() {
        return lifecycle;
    }

    /** Grows the file by whole extents to hold at least {@code pages}, durably (field report 2). */
    void extendFileTo(long pages) throws IOException {
        long rounded = (pages + EXTENT_PAGES - 1) / EXTENT_PAGES * EXTENT_PAGES;
        file.extendDurably(rounded * pageSizeBytes);
    }

    /** Rounds a page count up to whole extents. */
    static long roundToExtents(long pages) {
        return (pages + EXTENT_PAGES - 1) / EXTENT_PAGES * EXTENT_PAGES;
    }

    @Override
    public String toString() {
        return "tablespace '" + name + "' (space " + spaceId + ", " + sizePages + " pages, " + state() + ")";
    }
}
