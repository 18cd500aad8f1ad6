package io.cairn.kv.btree;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The structural check of one tree ({@code verify}): reads every node (so the engine checks every
 * page's checksum) and checks that keys are in strictly ascending order, lie within the fences
 * their parents give them, levels fall by one per step down, the leaf chain links every leaf left to
 * right in tree order with matching back links, and each node's bytes add up (header, slots, cells
 * and garbage, no cell outside the heap). Runs under the tree's shared lock.
 */
final class TreeVerifier {

    private final BTree tree;
    private final MiniTransaction mtr;
    private final List<String> problems = new ArrayList<>();
    private final List<Long> leavesInTreeOrder = new ArrayList<>();
    private long entries;

    private TreeVerifier(BTree tree, MiniTransaction mtr) {
        this.tree = tree;
        this.mtr = mtr;
    }

    /** What is wrong with the tree; empty when nothing is. */
    static Result verify(BTree tree, MiniTransaction mtr) throws IOException {
        TreeVerifier v = new TreeVerifier(tree, mtr);
        PageRef root = tree.readPage(mtr, tree.rootPageNo());
        int level = Node.level(root);
        BTree.releaseIfUnchanged(mtr, root);
        v.node(tree.rootPageNo(), level, null, null);
        v.chain();
        return new Result(v.entries, v.leavesInTreeOrder.size(), List.copyOf(v.problems));
    }

    /** The outcome of a check: entries and leaves seen, and every problem found. */
    record Result(long entries, long leaves, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private void problem(long pageNo, String what) {
        if (problems.size() < 100) {
            problems.add("table " + tree.name + ", page " + pageNo + ": " + what);
        }
    }

    private void node(long pageNo, int expectedLevel, byte[] low, byte[] high) throws IOException {
        PageRef page = tree.readPage(mtr, pageNo);
        try {
            boolean leaf = Node.isLeaf(page);
            if (!leaf && page.pageType() != Node.TYPE_INTERNAL) {
                problem(pageNo, "page type " + page.pageType() + " is neither a leaf nor an internal node");
                return;
            }
            int level = Node.level(page);
            if (level != expectedLevel || leaf != (level == 0)) {
                problem(pageNo, "level " + level + (leaf ? " (leaf)" : "") + ", expected " + expectedLevel);
                return;
            }
            accounting(page, pageNo);
            int n = Node.count(page);
            byte[] previous = null;
            List<byte[]> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] key = Node.key(page, i);
                if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                    problem(pageNo, "key " + i + " is not above key " + (i - 1));
                }
                if (low != null && Arrays.compareUnsigned(key, low) < 0) {
                    problem(pageNo, "key " + i + " is below the node's low fence");
                }
                if (high != null && Arrays.compareUnsigned(key, high) >= 0) {
                    problem(pageNo, "key " + i + " is not below the node's high fence");
                }
                if (leaf && Node.valueOverflows(page, i)) {
                    tree.value(mtr, page, i); // reads and checks the overflow chain
                }
                keys.add(key);
                previous = key;
            }
            if (leaf) {
                entries += n;
                leavesInTreeOrder.add(pageNo);
                return;
            }
            long[] children = new long[n + 1];
            children[0] = Node.link1(page);
            for (int i = 0; i < n; i++) {
                children[i + 1] = Node.child(page, i);
            }
            BTree.releaseIfUnchanged(mtr, page);
            page = null;
            for (int i = 0; i <= n; i++) {
                node(children[i], expectedLevel - 1, i == 0 ? low : keys.get(i - 1), i == n ? high : keys.get(i));
            }
        } finally {
            if (page != null) {
                BTree.releaseIfUnchanged(mtr, page);
            }
        }
    }

    private void accounting(PageRef page, long pageNo) {
        int body = Node.bodyBytes(page);
        int n = Node.count(page);
        int heap = Node.heapStart(page);
        if (heap < Node.HEADER_BYTES + Node.SLOT_BYTES * n || heap > body) {
            problem(pageNo, "heap start " + heap + " overlaps the " + n + " slots or lies outside the body of " + body);
            return;
        }
        long cells = 0;
        for (int i = 0; i < n; i++) {
            int offset = Node.cellOffset(page, i) - Node.base(page);
            int bytes = Node.cellBytes(page, Node.cellOffset(page, i));
            if (offset < heap || offset + bytes > body) {
                problem(pageNo, "cell " + i + " at " + offset + " (" + bytes + " bytes) lies outside the heap");
                return;
            }
            cells += bytes;
        }
        if (heap + cells + Node.garbage(page) != body) {
            problem(pageNo, "heap from " + heap + " holds " + cells + " cell bytes and " + Node.garbage(page)
                    + " garbage, which does not add up to the body end " + body);
        }
    }

    private void chain() throws IOException {
        long previous = Node.NONE;
        for (int i = 0; i < leavesInTreeOrder.size(); i++) {
            long pageNo = leavesInTreeOrder.get(i);
            PageRef leaf = tree.readPage(mtr, pageNo);
            long right = Node.link1(leaf);
            long left = Node.link2(leaf);
            BTree.releaseIfUnchanged(mtr, leaf);
            long expectedRight = i + 1 < leavesInTreeOrder.size() ? leavesInTreeOrder.get(i + 1) : Node.NONE;
            if (right != expectedRight) {
                problem(pageNo, "right sibling " + right + ", the tree order says " + expectedRight);
            }
            if (left != previous) {
                problem(pageNo, "left sibling " + left + ", the tree order says " + previous);
            }
            previous = pageNo;
        }
    }
}
