package io.cairn.kv.btree;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.kv.KeyValueStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One B+tree in one tablespace. The page after the tablespace header is the tree's meta page (its
 * root page number); the root never moves: when it splits, its cells move into two new children.
 *
 * <p>Concurrency, as InnoDB's index lock: {@link #lock} is held shared by writers whose change
 * fits its leaf (latch coupling down the tree: shared latches on inner nodes, each released once
 * the child is latched, the leaf latched exclusively), and exclusive by a writer that must split or
 * merge nodes or allocate or free pages. A writer that finds on the shared path that its change
 * needs more rolls its mini-transaction back and starts again exclusively. Readers do not take
 * {@link #lock} at all, so a split never holds them up: they only couple latches top-down, which
 * is the order in which a structure change latches its whole path before it changes anything, and
 * a cursor checks a sibling it moves to (see {@code TreeCursor}). {@link #lifecycle} keeps drop
 * and truncate away from everyone.
 *
 * <p>All methods take a mini-transaction the caller began and commits, so a batch of changes to
 * several trees commits as one.
 */
final class BTree {

    /** What a change found: whether the key was present before. */
    enum Outcome { INSERTED, REPLACED, DELETED, ABSENT, NEEDS_EXCLUSIVE }

    final String name;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Shared by every operation, readers included; exclusive for drop and truncate. Taken before {@link #lock}. */
    final ReaderGate lifecycle = new ReaderGate();
    /** Replaced by truncate (a new tablespace id); read under {@link #lock}. */
    private volatile Tablespace space;
    /** Read by readers without the tree lock: volatile. */
    private volatile long rootPageNo;
    /** Set under the exclusive lock by drop; checked under the lock by every operation. */
    private volatile boolean dropped;

    BTree(String name, Tablespace space) {
        this.name = name;
        this.space = space;
    }

    Tablespace space() {
        return space;
    }

    boolean dropped() {
        return dropped;
    }

    void markDropped() {
        dropped = true;
    }

    void replaceSpace(Tablespace truncated) {
        space = truncated;
        rootPageNo = 0;
    }

    long metaPageNo() {
        return space.firstUserPageNo();
    }

    /** The largest leaf cell kept inline; longer values go to overflow pages. */
    static int maxInlineCellBytes(int bodyBytes) {
        int quarter = (bodyBytes - Node.HEADER_BYTES) / 4 - Node.SLOT_BYTES;
        return Math.max(quarter, Node.LEAF_CELL_HEADER + KeyValueStore.MAX_KEY_BYTES + Long.BYTES);
    }

    // ------------------------------------------------------------------------------ opening

    /**
     * Finds the root, creating the meta page and an empty root leaf if the tablespace has none
     * yet (a new table, or one whose creation or truncation a crash interrupted). REQUIRES: the
     * exclusive lock, or a tablespace nobody else uses yet.
     */
    void open(MiniTransaction mtr) throws IOException {
        Tablespace s = space;
        long meta = s.firstUserPageNo();
        if (s.sizePages() > meta) {
            PageRef page = mtr.readPage(s, meta);
            if (page.pageType() == Node.TYPE_META) {
                rootPageNo = page.getLong(page.bodyStartOffset());
                mtr.release(page);
                return;
            }
            if (page.pageType() != 0) {
                throw new IllegalStateException("tablespace " + s.name() + " is not a table: page " + meta
                        + " has type " + page.pageType() + ", a table's meta page has " + Node.TYPE_META);
            }
            mtr.release(page);
        }
        PageRef metaPage = mtr.allocatePage(s);
        if (metaPage.pageNo() != meta) {
            throw new IllegalStateException("tablespace " + s.name() + " allocated page " + metaPage.pageNo()
                    + " first, not " + meta + ": it is not an empty table");
        }
        PageRef root = mtr.allocatePage(s);
        Node.format(root, true, 0, Node.NONE, Node.NONE);
        metaPage.setPageType(Node.TYPE_META);
        metaPage.putLong(metaPage.bodyStartOffset(), root.pageNo());
        rootPageNo = root.pageNo();
    }

    boolean opened() {
        return rootPageNo != 0;
    }

    long rootPageNo() {
        return rootPageNo;
    }

    // ------------------------------------------------------------------------------ reading

    /** The leaf that holds {@code key}'s position, latched shared (or as this mtr holds it already). */
    PageRef leafFor(MiniTransaction mtr, byte[] key, byte[] scratch, boolean exclusive) throws IOException {
        Tablespace s = space;
        PageRef page = mtr.readPage(s, rootPageNo);
        if (Node.isLeaf(page)) {
            if (exclusive && !page.isWritable()) {
                // The root is the only leaf: under the shared tree lock it stays a leaf meanwhile.
                mtr.release(page);
                page = mtr.writePage(s, rootPageNo);
            }
            return page;
        }
        for (;;) {
            long child = Node.childFor(page, key, scratch);
            boolean childIsLeaf = Node.level(page) == 1;
            PageRef next = childIsLeaf && exclusive ? mtr.writePage(s, child) : mtr.readPage(s, child);
            releaseIfUnchanged(mtr, page);
            if (childIsLeaf) {
                return next;
            }
            page = next;
        }
    }

    /** The first (leftmost) or last (rightmost) leaf, latched shared. */
    PageRef edgeLeaf(MiniTransaction mtr, boolean rightmost) throws IOException {
        Tablespace s = space;
        PageRef page = mtr.readPage(s, rootPageNo);
        while (!Node.isLeaf(page)) {
            int n = Node.count(page);
            long child = rightmost && n > 0 ? Node.child(page, n - 1) : Node.link1(page);
            PageRef next = mtr.readPage(s, child);
            releaseIfUnchanged(mtr, page);
            page = next;
        }
        return page;
    }

    PageRef readPage(MiniTransaction mtr, long pageNo) throws IOException {
        return mtr.readPage(space, pageNo);
    }

    static void releaseIfUnchanged(MiniTransaction mtr, PageRef page) {
        try {
            mtr.release(page);
        } catch (IllegalStateException changedByThisMtr) {
            // An earlier change of the same batch: the page stays latched until commit.
        }
    }

    /** The value of leaf cell {@code index}, reading its overflow chain if it has one. */
    byte[] value(MiniTransaction mtr, PageRef leaf, int index) throws IOException {
        if (!Node.valueOverflows(leaf, index)) {
            return Node.valueField(leaf, index);
        }
        byte[] value = new byte[Node.valueLength(leaf, index)];
        int done = 0;
        for (long pageNo = Node.overflowPage(leaf, index); pageNo != Node.NONE && done < value.length;) {
            PageRef page = mtr.readPage(space, pageNo);
            int b = page.bodyStartOffset();
            if (page.pageType() != Node.TYPE_OVERFLOW) {
                throw new IllegalStateException("table " + name + ": overflow page " + pageNo + " has type "
                        + page.pageType());
            }
            int length = page.getInt(b + 8);
            page.get(b + 12, value, done, length);
            done += length;
            long next = page.getLong(b);
            releaseIfUnchanged(mtr, page);
            pageNo = next;
        }
        if (done != value.length) {
            throw new IllegalStateException("table " + name + ": overflow chain holds " + done + " of " + value.length
                    + " bytes");
        }
        return value;
    }

    byte[] get(MiniTransaction mtr, byte[] key, byte[] scratch) throws IOException {
        PageRef leaf = leafFor(mtr, key, scratch, false);
        int bound = Node.lowerBound(leaf, key, scratch);
        return (bound & Node.FOUND) == 0 ? null : value(mtr, leaf, bound & ~Node.FOUND);
    }

    // ------------------------------------------------------------------------------ changes

    /**
     * A put or delete on the shared path: changes the leaf if that needs no split and no page
     * allocated or freed. REQUIRES: the shared lock.
     *
     * @param value null for a delete
     */
    Outcome changeInLeaf(MiniTransaction mtr, byte[] key, byte[] value, byte[] scratch) throws IOException {
        PageRef leaf = leafFor(mtr, key, scratch, true);
        int bound = Node.lowerBound(leaf, key, scratch);
        int index = bound & ~Node.FOUND;
        boolean found = (bound & Node.FOUND) != 0;
        if (found && Node.valueOverflows(leaf, index)) {
            return Outcome.NEEDS_EXCLUSIVE; // its overflow pages must be freed
        }
        if (value == null) {
            if (!found) {
                return Outcome.ABSENT;
            }
            int after = usedBytes(leaf) - Node.cellBytes(leaf, Node.cellOffset(leaf, index)) - Node.SLOT_BYTES;
            if (after < mergeThreshold(leaf) && leaf.pageNo() != rootPageNo) {
                return Outcome.NEEDS_EXCLUSIVE; // the leaf may merge with a neighbour
            }
            Node.remove(leaf, index);
            return Outcome.DELETED;
        }
        byte[] cell = Node.leafCell(key, value, value.length, false);
        if (cell.length > maxInlineCellBytes(Node.bodyBytes(leaf))) {
            return Outcome.NEEDS_EXCLUSIVE;
        }
        int freed = found ? Node.cellBytes(leaf, Node.cellOffset(leaf, index)) + Node.SLOT_BYTES : 0;
        if (Node.contiguousFree(leaf) + Node.garbage(leaf) + freed < cell.length + Node.SLOT_BYTES) {
            return Outcome.NEEDS_EXCLUSIVE;
        }
        if (found) {
            Node.remove(leaf, index);
        }
        Node.insert(leaf, index, cell);
        return found ? Outcome.REPLACED : Outcome.INSERTED;
    }

    /** A put or delete with the tree to itself: splits, overflow chains. REQUIRES: the exclusive lock. */
    Outcome changeExclusive(MiniTransaction mtr, byte[] key, byte[] value, byte[] scratch) throws IOException {
        Tablespace s = space;
        List<PageRef> path = new ArrayList<>();
        PageRef page = mtr.writePage(s, rootPageNo);
        path.add(page);
        while (!Node.isLeaf(page)) {
            page = mtr.writePage(s, Node.childFor(page, key, scratch));
            path.add(page);
        }
        PageRef leaf = page;
        int bound = Node.lowerBound(leaf, key, scratch);
        int index = bound & ~Node.FOUND;
        boolean found = (bound & Node.FOUND) != 0;
        if (found) {
            if (Node.valueOverflows(leaf, index)) {
                freeChain(mtr, Node.overflowPage(leaf, index));
            }
            Node.remove(leaf, index);
        }
        if (value == null) {
            if (found) {
                merge(mtr, path);
            }
            return found ? Outcome.DELETED : Outcome.ABSENT;
        }
        byte[] cell = Node.leafCell(key, value, value.length, false);
        if (cell.length > maxInlineCellBytes(Node.bodyBytes(leaf))) {
            cell = Node.leafCell(key, longBytes(writeChain(mtr, value)), value.length, true);
        }
        if (Node.fits(leaf, cell.length)) {
            Node.insert(leaf, index, cell);
        } else {
            splitLeaf(mtr, path, index, cell);
        }
        return found ? Outcome.REPLACED : Outcome.INSERTED;
    }

    private long writeChain(MiniTransaction mtr, byte[] value) throws IOException {
        Tablespace s = space;
        long first = Node.NONE;
        PageRef previous = null;
        int done = 0;
        while (done < value.length) {
            PageRef page = mtr.allocatePage(s);
            page.setPageType(Node.TYPE_OVERFLOW);
            int b = page.bodyStartOffset();
            int length = Math.min(value.length - done, Node.bodyBytes(page) - 12);
            page.putLong(b, Node.NONE);
            page.putInt(b + 8, length);
            page.put(b + 12, value, done, length);
            done += length;
            if (previous == null) {
                first = page.pageNo();
            } else {
                previous.putLong(previous.bodyStartOffset(), page.pageNo());
            }
            previous = page;
        }
        return first;
    }

    private void freeChain(MiniTransaction mtr, long pageNo) throws IOException {
        while (pageNo != Node.NONE) {
            PageRef page = mtr.writePage(space, pageNo);
            long next = page.getLong(page.bodyStartOffset());
            mtr.freePage(space, pageNo);
            pageNo = next;
        }
    }

    /** Splits the full leaf at the end of {@code path} to insert {@code cell} at {@code index}. */
    private void splitLeaf(MiniTransaction mtr, List<PageRef> path, int index, byte[] cell) throws IOException {
        PageRef leaf = path.get(path.size() - 1);
        List<byte[]> cells = Node.cells(leaf);
        cells.add(index, cell);
        // Appending at the end of the last leaf (a load in key order): keep the old leaf full.
        int at = index == cells.size() - 1 && Node.link1(leaf) == Node.NONE ? cells.size() - 1 : splitPoint(cells);
        List<byte[]> left = new ArrayList<>(cells.subList(0, at));
        List<byte[]> right = new ArrayList<>(cells.subList(at, cells.size()));
        byte[] separator = Node.keyOfCell(right.get(0), true);
        if (path.size() == 1) {
            PageRef l = mtr.allocatePage(space);
            PageRef r = mtr.allocatePage(space);
            Node.rewrite(l, true, 0, r.pageNo(), Node.NONE, left);
            Node.rewrite(r, true, 0, Node.NONE, l.pageNo(), right);
            Node.rewrite(leaf, false, 1, l.pageNo(), Node.NONE, List.of(Node.internalCell(separator, r.pageNo())));
            return;
        }
        PageRef r = mtr.allocatePage(space);
        long oldRight = Node.link1(leaf);
        Node.rewrite(r, true, 0, oldRight, leaf.pageNo(), right);
        Node.rewrite(leaf, true, 0, r.pageNo(), Node.link2(leaf), left);
        if (oldRight != Node.NONE) {
            Node.setLink2(mtr.writePage(space, oldRight), r.pageNo());
        }
        insertIntoParent(mtr, path, path.size() - 2, Node.internalCell(separator, r.pageNo()));
    }

    private void insertIntoParent(MiniTransaction mtr, List<PageRef> path, int depth, byte[] cell) throws IOException {
        PageRef node = path.get(depth);
        byte[] scratch = new byte[KeyValueStore.MAX_KEY_BYTES];
        int index = Node.lowerBound(node, Node.keyOfCell(cell, false), scratch) & ~Node.FOUND;
        if (Node.fits(node, cell.length)) {
            Node.insert(node, index, cell);
            return;
        }
        List<byte[]> cells = Node.cells(node);
        cells.add(index, cell);
        int level = Node.level(node);
        // The middle cell moves up; its child becomes the right node's leftmost child.
        int mid = index == cells.size() - 1 ? cells.size() - 2 : splitPoint(cells);
        mid = Math.max(1, Math.min(mid, cells.size() - 2));
        List<byte[]> left = new ArrayList<>(cells.subList(0, mid));
        byte[] up = cells.get(mid);
        List<byte[]> right = new ArrayList<>(cells.subList(mid + 1, cells.size()));
        byte[] upKey = Node.keyOfCell(up, false);
        if (depth == 0) {
            PageRef l = mtr.allocatePage(space);
            PageRef r = mtr.allocatePage(space);
            Node.rewrite(l, false, level, Node.link1(node), Node.NONE, left);
            Node.rewrite(r, false, level, Node.childOfCell(up), Node.NONE, right);
            Node.rewrite(node, false, level + 1, l.pageNo(), Node.NONE, List.of(Node.internalCell(upKey, r.pageNo())));
            return;
        }
        PageRef r = mtr.allocatePage(space);
        Node.rewrite(r, false, level, Node.childOfCell(up), Node.NONE, right);
        Node.rewrite(node, false, level, Node.link1(node), Node.NONE, left);
        insertIntoParent(mtr, path, depth - 1, Node.internalCell(upKey, r.pageNo()));
    }

    /** Bytes of a node in use: header, slots and live cells (garbage and free space excluded). */
    static int usedBytes(PageRef node) {
        return Node.bodyBytes(node) - Node.contiguousFree(node) - Node.garbage(node);
    }

    /** Below a quarter of the body in use, a node tries to merge with a neighbour. */
    static int mergeThreshold(PageRef node) {
        return Node.bodyBytes(node) / 4;
    }

    /**
     * After a delete: while the node at the end of {@code path} is underfull, merges it with its
     * left neighbour under the same parent (the right one if it is the leftmost child) when both
     * fit one node, removes the separator from the parent, frees the emptied page and goes on with
     * the parent. A root left with one child takes that child's contents, so the tree shrinks by a
     * level and the root stays where it is.
     */
    private void merge(MiniTransaction mtr, List<PageRef> path) throws IOException {
        for (int depth = path.size() - 1; depth > 0; depth--) {
            PageRef node = path.get(depth);
            if (usedBytes(node) >= mergeThreshold(node)) {
                return;
            }
            PageRef parent = path.get(depth - 1);
            int position = childPosition(parent, node.pageNo());
            long leftNo;
            long rightNo;
            int separator;
            if (position >= 0) {
                leftNo = position == 0 ? Node.link1(parent) : Node.child(parent, position - 1);
                rightNo = node.pageNo();
                separator = position;
            } else if (Node.count(parent) > 0) {
                leftNo = node.pageNo();
                rightNo = Node.child(parent, 0);
                separator = 0;
            } else {
                return; // an only child: nothing to merge with under this parent
            }
            PageRef left = leftNo == node.pageNo() ? node : mtr.writePage(space, leftNo);
            PageRef right = rightNo == node.pageNo() ? node : mtr.writePage(space, rightNo);
            boolean leaf = Node.isLeaf(node);
            List<byte[]> cells = Node.cells(left);
            if (!leaf) {
                // The separator comes down, pointing at the right node's leftmost child.
                cells.add(Node.internalCell(Node.key(parent, separator), Node.link1(right)));
            }
            cells.addAll(Node.cells(right));
            if (Node.bytesOf(cells) > Node.bodyBytes(node) - Node.HEADER_BYTES) {
                return; // the neighbour is too full; the node stays underfull until it grows or shrinks more
            }
            if (leaf) {
                long farRight = Node.link1(right);
                Node.rewrite(left, true, 0, farRight, Node.link2(left), cells);
                if (farRight != Node.NONE) {
                    Node.setLink2(mtr.writePage(space, farRight), left.pageNo());
                }
            } else {
                Node.rewrite(left, false, Node.level(left), Node.link1(left), Node.NONE, cells);
            }
            Node.remove(parent, separator);
            mtr.freePage(space, right.pageNo());
            if (depth - 1 == 0 && Node.count(parent) == 0) {
                // The root has one child left: it takes that child's place.
                boolean childIsLeaf = Node.isLeaf(left);
                Node.rewrite(parent, childIsLeaf, Node.level(left), childIsLeaf ? Node.NONE : Node.link1(left), Node.NONE,
                        Node.cells(left));
                mtr.freePage(space, left.pageNo());
                return;
            }
        }
    }

    /** Where {@code child} hangs in {@code parent}: -1 for the leftmost child, else the cell index. */
    private static int childPosition(PageRef parent, long child) {
        if (Node.link1(parent) == child) {
            return -1;
        }
        for (int i = 0, n = Node.count(parent); i < n; i++) {
            if (Node.child(parent, i) == child) {
                return i;
            }
        }
        throw new IllegalStateException("page " + child + " is not a child of page " + parent.pageNo());
    }

    /** The index that splits {@code cells} into two halves of about equal bytes, each non-empty. */
    private static int splitPoint(List<byte[]> cells) {
        int total = Node.bytesOf(cells);
        int sum = 0;
        for (int i = 0; i < cells.size(); i++) {
            sum += cells.get(i).length + Node.SLOT_BYTES;
            if (sum >= total / 2) {
                return Math.max(1, Math.min(i + 1, cells.size() - 1));
            }
        }
        return cells.size() / 2;
    }

    private static byte[] longBytes(long value) {
        byte[] b = new byte[8];
        Node.putLong(b, 0, value);
        return b;
    }

    @Override
    public String toString() {
        return "BTree[" + name + ", root " + rootPageNo + "]";
    }
}
