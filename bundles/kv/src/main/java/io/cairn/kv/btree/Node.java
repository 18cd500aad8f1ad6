package io.cairn.kv.btree;

import io.cairn.engine.PageRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layout of a B+tree node in a page body: a slotted page. Offsets below are relative to the
 * body start {@code b}:
 *
 * <pre>
 *  b+0  short  slot count
 *  b+2  short  heap start: the lowest byte of the cell heap (the heap grows down from the body end)
 *  b+4  short  garbage bytes: cell bytes no slot points at any more (reclaimed by compaction)
 *  b+6  byte   level: 0 for a leaf, the height above the leaves for an internal node
 *  b+8  long   leaf: right sibling page, internal: leftmost child page
 *  b+16 long   leaf: left sibling page (NONE at either end of the chain)
 *  b+24 short[] slots, one per cell in key order, each the cell's offset relative to b
 * </pre>
 *
 * A leaf cell is {@code short keyLength, int valueLength, byte flags, key, value} with the value
 * inline or, with {@link #FLAG_OVERFLOW}, a {@code long} first page of an overflow chain. An
 * internal cell is {@code short keyLength, long child, key}: keys from that key up to the next
 * cell's key live under {@code child}; keys before the first cell's key under the leftmost child.
 *
 * <p>Every write goes through {@link PageRef}, so each is a logged physical change; the methods
 * here keep their writes small (a cell, a slot shift, two header fields) except {@link #rewrite},
 * which rebuilds a whole node and is used for splits and compaction.
 */
final class Node {

    static final short TYPE_LEAF = 0x4C46; // "LF"
    static final short TYPE_INTERNAL = 0x494E; // "IN"
    static final short TYPE_META = 0x4D54; // "MT"
    static final short TYPE_OVERFLOW = 0x4F56; // "OV"

    static final long NONE = -1;

    static final int N_SLOTS = 0;
    static final int HEAP_START = 2;
    static final int GARBAGE = 4;
    static final int LEVEL = 6;
    static final int LINK1 = 8;
    static final int LINK2 = 16;
    static final int HEADER_BYTES = 24;
    static final int SLOT_BYTES = 2;

    static final int LEAF_CELL_HEADER = 7;
    static final int INTERNAL_CELL_HEADER = 10;
    static final byte FLAG_OVERFLOW = 1;

    private Node() {
    }

    // --------------------------------------------------------------------------------- header

    static int base(PageRef page) {
        return page.bodyStartOffset();
    }

    static int bodyBytes(PageRef page) {
        return page.bodyEndOffset() - page.bodyStartOffset();
    }

    static int count(PageRef page) {
        return page.getShort(base(page) + N_SLOTS) & 0xFFFF;
    }

    static int heapStart(PageRef page) {
        return page.getShort(base(page) + HEAP_START) & 0xFFFF;
    }

    static int garbage(PageRef page) {
        return page.getShort(base(page) + GARBAGE) & 0xFFFF;
    }

    static int level(PageRef page) {
        return page.getByte(base(page) + LEVEL);
    }

    static boolean isLeaf(PageRef page) {
        return page.pageType() == TYPE_LEAF;
    }

    static long link1(PageRef page) {
        return page.getLong(base(page) + LINK1);
    }

    static long link2(PageRef page) {
        return page.getLong(base(page) + LINK2);
    }

    static void setLink1(PageRef page, long pageNo) {
        page.putLong(base(page) + LINK1, pageNo);
    }

    static void setLink2(PageRef page, long pageNo) {
        page.putLong(base(page) + LINK2, pageNo);
    }

    /** Bytes free between the slot array and the heap, not counting garbage. */
    static int contiguousFree(PageRef page) {
        return heapStart(page) - HEADER_BYTES - SLOT_BYTES * count(page);
    }

    /** Formats an empty node (all cells gone, links as given). */
    static void format(PageRef page, boolean leaf, int level, long link1, long link2) {
        page.setPageType(leaf ? TYPE_LEAF : TYPE_INTERNAL);
        int b = base(page);
        byte[] header = new byte[HEADER_BYTES];
        putShort(header, N_SLOTS, 0);
        putShort(header, HEAP_START, bodyBytes(page));
        putShort(header, GARBAGE, 0);
        header[LEVEL] = (byte) level;
        putLong(header, LINK1, link1);
        putLong(header, LINK2, link2);
        page.put(b, header, 0, HEADER_BYTES);
    }

    // ---------------------------------------------------------------------------------- cells

    static int cellOffset(PageRef page, int index) {
        return base(page) + (page.getShort(base(page) + HEADER_BYTES + SLOT_BYTES * index) & 0xFFFF);
    }

    static int keyLength(PageRef page, int index) {
        return page.getShort(cellOffset(page, index)) & 0xFFFF;
    }

    static byte[] key(PageRef page, int index) {
        int cell = cellOffset(page, index);
        int length = page.getShort(cell) & 0xFFFF;
        byte[] key = new byte[length];
        page.get(cell + (isLeaf(page) ? LEAF_CELL_HEADER : INTERNAL_CELL_HEADER), key, 0, length);
        return key;
    }

    /** The whole cell's bytes (to move it to another node). */
    static byte[] cell(PageRef page, int index) {
        int cell = cellOffset(page, index);
        byte[] bytes = new byte[cellBytes(page, cell)];
        page.get(cell, bytes, 0, bytes.length);
        return bytes;
    }

    static int cellBytes(PageRef page, int cell) {
        int keyLength = page.getShort(cell) & 0xFFFF;
        if (!isLeaf(page)) {
            return INTERNAL_CELL_HEADER + keyLength;
        }
        boolean overflow = (page.getByte(cell + 6) & FLAG_OVERFLOW) != 0;
        return LEAF_CELL_HEADER + keyLength + (overflow ? Long.BYTES : page.getInt(cell + 2));
    }

    static long child(PageRef page, int index) {
        return page.getLong(cellOffset(page, index) + 2);
    }

    static int valueLength(PageRef page, int index) {
        return page.getInt(cellOffset(page, index) + 2);
    }

    static boolean valueOverflows(PageRef page, int index) {
        return (page.getByte(cellOffset(page, index) + 6) & FLAG_OVERFLOW) != 0;
    }

    /** An inline value, or for an overflowing one its first overflow page as 8 bytes. */
    static byte[] valueField(PageRef page, int index) {
        int cell = cellOffset(page, index);
        int keyLength = page.getShort(cell) & 0xFFFF;
        boolean overflow = (page.getByte(cell + 6) & FLAG_OVERFLOW) != 0;
        byte[] field = new byte[overflow ? Long.BYTES : page.getInt(cell + 2)];
        page.get(cell + LEAF_CELL_HEADER + keyLength, field, 0, field.length);
        return field;
    }

    static long overflowPage(PageRef page, int index) {
        int cell = cellOffset(page, index);
        return page.getLong(cell + LEAF_CELL_HEADER + (page.getShort(cell) & 0xFFFF));
    }

    static byte[] leafCell(byte[] key, byte[] valueField, int valueLength, boolean overflow) {
        byte[] cell = new byte[LEAF_CELL_HEADER + key.length + valueField.length];
        putShort(cell, 0, key.length);
        putInt(cell, 2, valueLength);
        cell[6] = overflow ? FLAG_OVERFLOW : 0;
        System.arraycopy(key, 0, cell, LEAF_CELL_HEADER, key.length);
        System.arraycopy(valueField, 0, cell, LEAF_CELL_HEADER + key.length, valueField.length);
        return cell;
    }

    static byte[] internalCell(byte[] key, long child) {
        byte[] cell = new byte[INTERNAL_CELL_HEADER + key.length];
        putShort(cell, 0, key.length);
        putLong(cell, 2, child);
        System.arraycopy(key, 0, cell, INTERNAL_CELL_HEADER, key.length);
        return cell;
    }

    /** The key inside a cell built by {@link #leafCell} or {@link #internalCell}. */
    static byte[] keyOfCell(byte[] cell, boolean leaf) {
        int length = ((cell[0] & 0xFF) << 8) | (cell[1] & 0xFF);
        int from = leaf ? LEAF_CELL_HEADER : INTERNAL_CELL_HEADER;
        return Arrays.copyOfRange(cell, from, from + length);
    }

    static long childOfCell(byte[] cell) {
        return getLong(cell, 2);
    }

    // --------------------------------------------------------------------------------- search

    /**
     * Compares {@code key} with the key of cell {@code index}, in unsigned lexicographic order.
     * When both keys have at least 8 bytes, their first 8 bytes are compared as one unsigned long
     * read from the page, which decides most comparisons (and all of them for 8-byte keys, the
     * benchmarks' and many applications' key size) without copying the cell's key; otherwise, or
     * when those bytes are equal, the cell's key is copied into {@code scratch} (at least
     * {@code MAX_KEY_BYTES} long) and compared whole.
     *
     * @param keyPrefix the first 8 bytes of {@code key} as a big-endian long (see {@link #prefix})
     * @param cellHeaderBytes {@link #LEAF_CELL_HEADER} or {@link #INTERNAL_CELL_HEADER}
     */
    static int compare(PageRef page, int index, byte[] key, long keyPrefix, int cellHeaderBytes, byte[] scratch) {
        int cell = cellOffset(page, index);
        int length = page.getShort(cell) & 0xFFFF;
        int keyStart = cell + cellHeaderBytes;
        if (key.length >= Long.BYTES && length >= Long.BYTES) {
            long other = page.getLong(keyStart);
            if (other != keyPrefix) {
                return Long.compareUnsigned(keyPrefix, other);
            }
            if (key.length == Long.BYTES && length == Long.BYTES) {
                return 0;
            }
        }
        page.get(keyStart, scratch, 0, length);
        return Arrays.compareUnsigned(key, 0, key.length, scratch, 0, length);
    }

    /** The first 8 bytes of a key as a big-endian long (0 if it is shorter; then it is not used). */
    static long prefix(byte[] key) {
        return key.length >= Long.BYTES ? getLong(key, 0) : 0;
    }

    /**
     * The first index whose key is at least {@code key} (count() if none); with the bit
     * {@code FOUND} set in the result when that key equals {@code key}.
     */
    static int lowerBound(PageRef page, byte[] key, byte[] scratch) {
        long prefix = prefix(key);
        int header = isLeaf(page) ? LEAF_CELL_HEADER : INTERNAL_CELL_HEADER;
        int lo = 0;
        int hi = count(page);
        boolean found = false;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(page, mid, key, prefix, header, scratch);
            if (c > 0) {
                lo = mid + 1;
            } else {
                if (c == 0) {
                    found = true;
                }
                hi = mid;
            }
        }
        return found ? lo | FOUND : lo;
    }

    static final int FOUND = 1 << 30;

    /** The child of an internal node under which {@code key} lives. */
    static long childFor(PageRef page, byte[] key, byte[] scratch) {
        int bound = lowerBound(page, key, scratch);
        int index = bound & ~FOUND;
        if ((bound & FOUND) != 0) {
            return child(page, index);
        }
        return index == 0 ? link1(page) : child(page, index - 1);
    }

    // -------------------------------------------------------------------------------- changes

    /** Whether a cell of {@code cellBytes} fits, possibly after compaction. */
    static boolean fits(PageRef page, int cellBytes) {
        return contiguousFree(page) + garbage(page) >= cellBytes + SLOT_BYTES;
    }

    /** Inserts a cell at slot {@code index}. REQUIRES: {@link #fits}. */
    static void insert(PageRef page, int index, byte[] cell) {
        if (contiguousFree(page) < cell.length + SLOT_BYTES) {
            compact(page);
        }
        int b = base(page);
        int n = count(page);
        int heap = heapStart(page) - cell.length;
        page.put(b + heap, cell, 0, cell.length);
        int slots = b + HEADER_BYTES;
        if (index < n) {
            page.move(slots + SLOT_BYTES * index, slots + SLOT_BYTES * (index + 1), SLOT_BYTES * (n - index));
        }
        page.putShort(slots + SLOT_BYTES * index, (short) heap);
        page.putShort(b + N_SLOTS, (short) (n + 1));
        page.putShort(b + HEAP_START, (short) heap);
    }

    /** Removes the cell at slot {@code index}; its bytes become garbage. */
    static void remove(PageRef page, int index) {
        int b = base(page);
        int n = count(page);
        int cell = cellOffset(page, index);
        int bytes = cellBytes(page, cell);
        int slots = b + HEADER_BYTES;
        if (index < n - 1) {
            page.move(slots + SLOT_BYTES * (index + 1), slots + SLOT_BYTES * index, SLOT_BYTES * (n - index - 1));
        }
        page.putShort(b + N_SLOTS, (short) (n - 1));
        if (cell - b == heapStart(page)) {
            page.putShort(b + HEAP_START, (short) (heapStart(page) + bytes)); // the lowest cell: no garbage
        } else {
            page.putShort(b + GARBAGE, (short) (garbage(page) + bytes));
        }
    }

    /** The cells of a node in key order. */
    static List<byte[]> cells(PageRef page) {
        int n = count(page);
        List<byte[]> cells = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cells.add(cell(page, i));
        }
        return cells;
    }

    /** Rewrites the node with exactly {@code cells} (in order), no garbage, links and level kept. */
    static void compact(PageRef page) {
        rewrite(page, isLeaf(page), level(page), link1(page), link2(page), cells(page));
    }

    /**
     * Rewrites the whole node body: header, slots and cells packed at the end. One logged write of
     * the body, built in memory first.
     */
    static void rewrite(PageRef page, boolean leaf, int level, long link1, long link2, List<byte[]> cells) {
        int bodyBytes = bodyBytes(page);
        byte[] body = new byte[bodyBytes];
        int heap = bodyBytes;
        for (int i = 0; i < cells.size(); i++) {
            byte[] cell = cells.get(i);
            heap -= cell.length;
            System.arraycopy(cell, 0, body, heap, cell.length);
            putShort(body, HEADER_BYTES + SLOT_BYTES * i, heap);
        }
        if (heap < HEADER_BYTES + SLOT_BYTES * cells.size()) {
            throw new IllegalStateException("cells of " + (bodyBytes - heap) + " bytes do not fit a node of " + bodyBytes);
        }
        putShort(body, N_SLOTS, cells.size());
        putShort(body, HEAP_START, heap);
        putShort(body, GARBAGE, 0);
        body[LEVEL] = (byte) level;
        putLong(body, LINK1, link1);
        putLong(body, LINK2, link2);
        page.setPageType(leaf ? TYPE_LEAF : TYPE_INTERNAL);
        page.put(base(page), body, 0, bodyBytes);
    }

    /** Bytes a list of cells takes in a node, slots included. */
    static int bytesOf(List<byte[]> cells) {
        int bytes = 0;
        for (byte[] cell : cells) {
            bytes += cell.length + SLOT_BYTES;
        }
        return bytes;
    }

    // -------------------------------------------------------------------------------- encoding

    static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    static void putInt(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (24 - 8 * i));
        }
    }

    static void putLong(byte[] b, int at, long value) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    static long getLong(byte[] b, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (b[at + i] & 0xFF);
        }
        return value;
    }
}
