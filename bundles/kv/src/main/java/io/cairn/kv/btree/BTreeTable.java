package io.cairn.kv.btree;

import io.cairn.engine.PageRef;
import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.ScanDirection;
import io.cairn.kv.Table;
import java.util.List;
import java.util.Objects;

/** A handle on one table of a {@link BTreeStore}; many threads may share it. */
final class BTreeTable implements Table {

    private final BTreeStore store;
    final BTree tree;

    BTreeTable(BTreeStore store, BTree tree) {
        this.store = store;
        this.tree = tree;
    }

    @Override
    public String name() {
        return tree.name;
    }

    @Override
    public byte[] get(byte[] key) {
        BTreeStore.checkKey(key);
        return store.read(tree, "get from table " + tree.name, mtr -> tree.get(mtr, key, new byte[KeyValueStore.MAX_KEY_BYTES]));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        BTreeStore.checkKey(key);
        BTreeStore.checkValue(value);
        store.apply(List.of(new BTreeStore.Change(tree, key.clone(), value.clone())), null, "put into table " + tree.name);
    }

    @Override
    public boolean delete(byte[] key) {
        BTreeStore.checkKey(key);
        return store.apply(List.of(new BTreeStore.Change(tree, key.clone(), null)), null,
                "delete from table " + tree.name)[0] == BTree.Outcome.DELETED;
    }

    @Override
    public Cursor cursor(KeyRange range, ScanDirection direction) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(direction, "direction");
        return new TreeCursor(store, tree, range, direction);
    }

    @Override
    public long count() {
        long n = 0;
        try (Cursor c = new TreeCursor(store, tree, KeyRange.all(), ScanDirection.FORWARD)) {
            while (c.next()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long approximateSizeBytes() {
        return store.read(tree, "size table " + tree.name, mtr -> tree.space().sizePages() * tree.space().pageSizeBytes());
    }

    /** Levels of the tree, leaves included. */
    int height() {
        return store.read(tree, "measure table " + tree.name, true, mtr -> {
            PageRef root = tree.readPage(mtr, tree.rootPageNo());
            int levels = Node.level(root) + 1;
            BTree.releaseIfUnchanged(mtr, root);
            return levels;
        });
    }

    /** Leaves in the chain, for tests and verify. */
    long leafPages() {
        return store.read(tree, "count leaves of " + tree.name, true, mtr -> {
            long leaves = 0;
            PageRef leaf = tree.edgeLeaf(mtr, false);
            for (;;) {
                leaves++;
                long right = Node.link1(leaf);
                BTree.releaseIfUnchanged(mtr, leaf);
                if (right == Node.NONE) {
                    return leaves;
                }
                leaf = tree.readPage(mtr, right);
            }
        });
    }

    @Override
    public String toString() {
        return "Table[" + tree.name + "]";
    }
}
