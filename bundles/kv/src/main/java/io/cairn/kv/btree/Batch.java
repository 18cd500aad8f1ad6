package io.cairn.kv.btree;

import io.cairn.kv.NoSuchTableException;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link WriteBatch} of a {@link BTreeStore}: puts and deletes collected, checked as they are added. */
final class Batch implements WriteBatch {

    private final List<BTreeStore.Change> changes = new ArrayList<>();

    @Override
    public WriteBatch put(Table table, byte[] key, byte[] value) {
        BTreeStore.checkKey(key);
        BTreeStore.checkValue(value);
        changes.add(new BTreeStore.Change(tree(table), key.clone(), value.clone()));
        return this;
    }

    @Override
    public WriteBatch delete(Table table, byte[] key) {
        BTreeStore.checkKey(key);
        changes.add(new BTreeStore.Change(tree(table), key.clone(), null));
        return this;
    }

    private static BTree tree(Table table) {
        Objects.requireNonNull(table, "table");
        if (!(table instanceof BTreeTable t)) {
            throw new IllegalArgumentException("table " + table + " is not a table of this store");
        }
        if (t.tree.dropped()) {
            throw new NoSuchTableException("table " + t.name() + " was dropped");
        }
        return t.tree;
    }

    List<BTreeStore.Change> changes() {
        return List.copyOf(changes);
    }

    @Override
    public int size() {
        return changes.size();
    }

    @Override
    public void clear() {
        changes.clear();
    }
}
