package io.cairn.kv.btree;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.ScanDirection;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A cursor that holds no latch between calls: it copies the entries of one leaf at a time (under
 * the leaf's shared latch, so each leaf's copy is consistent) and finds the next leaf again from
 * the last key it returned. A key is therefore never returned twice, and
 * concurrent changes elsewhere never break it.
 */
final class TreeCursor implements Cursor {

    private final BTreeStore store;
    private final BTree tree;
    private final KeyRange range;
    private final boolean forward;
    private final ArrayDeque<byte[][]> buffered = new ArrayDeque<>();
    /** The last key returned, or null before the first. */
    private byte[] lastKey;
    private byte[][] current;
    private boolean exhausted;
    private boolean closed;

    TreeCursor(BTreeStore store, BTree tree, KeyRange range, ScanDirection direction) {
        this.store = store;
        this.tree = tree;
        this.range = range;
        this.forward = direction == ScanDirection.FORWARD;
    }

    @Override
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("the cursor over table " + tree.name + " is closed");
        }
        while (buffered.isEmpty() && !exhausted) {
            // Usually once; again when a neighbour leaf changed under the move to it.
            store.read(tree, "scan table " + tree.name, this::refill);
        }
        current = buffered.poll();
        if (current == null) {
            exhausted = true;
            return false;
        }
        lastKey = current[0];
        return true;
    }

    /** Copies the entries of the next leaf that has any in the range; sets exhausted at the end. */
    private Void refill(MiniTransaction mtr) throws IOException {
        byte[] scratch = new byte[KeyValueStore.MAX_KEY_BYTES];
        PageRef leaf;
        if (lastKey != null) {
            leaf = tree.leafFor(mtr, lastKey, scratch, false);
        } else if (forward) {
            leaf = range.fromInclusive() == null ? tree.edgeLeaf(mtr, false)
                    : tree.leafFor(mtr, range.fromInclusive(), scratch, false);
        } else {
            leaf = range.toExclusive() == null ? tree.edgeLeaf(mtr, true)
                    : tree.leafFor(mtr, range.toExclusive(), scratch, false);
        }
        for (;;) {
            int n = Node.count(leaf);
            boolean pastEnd = false;
            if (forward) {
                for (int i = 0; i < n; i++) {
                    byte[] key = Node.key(leaf, i);
                    if ((lastKey != null && Arrays.compareUnsigned(key, lastKey) <= 0)
                            || (range.fromInclusive() != null && Arrays.compareUnsigned(key, range.fromInclusive()) < 0)) {
                        continue;
                    }
                    if (range.toExclusive() != null && Arrays.compareUnsigned(key, range.toExclusive()) >= 0) {
                        pastEnd = true;
                        break;
                    }
                    buffered.add(new byte[][] {key, tree.value(mtr, leaf, i)});
                }
            } else {
                for (int i = n - 1; i >= 0; i--) {
                    byte[] key = Node.key(leaf, i);
                    if ((lastKey != null && Arrays.compareUnsigned(key, lastKey) >= 0)
                            || (range.toExclusive() != null && Arrays.compareUnsigned(key, range.toExclusive()) >= 0)) {
                        continue;
                    }
                    if (range.fromInclusive() != null && Arrays.compareUnsigned(key, range.fromInclusive()) < 0) {
                        pastEnd = true;
                        break;
                    }
                    buffered.add(new byte[][] {key, tree.value(mtr, leaf, i)});
                }
            }
            long nextLeaf = forward ? Node.link1(leaf) : Node.link2(leaf);
            if (pastEnd || nextLeaf == Node.NONE) {
                exhausted = pastEnd || nextLeaf == Node.NONE;
                return null;
            }
            if (!buffered.isEmpty()) {
                return null;
            }
            // An empty stretch (deleted keys): go on to the neighbour. The latch goes first (a merge
            // latches right to left, so holding this leaf while waiting for the next could deadlock);
            // meanwhile a merge may have freed the neighbour, so it must still be a leaf that links
            // back here, or the next leaf is found again from the root.
            long here = leaf.pageNo();
            BTree.releaseIfUnchanged(mtr, leaf);
            PageRef neighbour = tree.readPage(mtr, nextLeaf);
            if (Node.isLeaf(neighbour) && (forward ? Node.link2(neighbour) : Node.link1(neighbour)) == here) {
                leaf = neighbour;
            } else {
                BTree.releaseIfUnchanged(mtr, neighbour);
                return null; // nothing buffered and not exhausted: next() refills from lastKey
            }
        }
    }

    @Override
    public byte[] key() {
        return entry()[0].clone();
    }

    @Override
    public byte[] value() {
        return entry()[1].clone();
    }

    private byte[][] entry() {
        if (current == null) {
            throw new IllegalStateException(exhausted ? "the cursor is past its last entry"
                    : "call next() before reading the cursor's entry");
        }
        return current;
    }

    @Override
    public void close() {
        closed = true;
        buffered.clear();
        current = null;
    }
}
