package io.cairn.kv.btree;

import io.cairn.engine.Engine;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.engine.Tablespace;
import io.cairn.engine.TablespaceExistsException;
import io.cairn.kv.KeyTooLargeException;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.NoSuchTableException;
import io.cairn.kv.StorageFailureException;
import io.cairn.kv.StoreClosedException;
import io.cairn.kv.Table;
import io.cairn.kv.TableExistsException;
import io.cairn.kv.ValueTooLargeException;
import io.cairn.kv.WriteBatch;
import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link KeyValueStore} on an engine: one B+tree per table, one tablespace per table with the
 * table's name. Plain Java; the OSGi component and the embedded API both wrap it.
 *
 * <p>Every change, a single put as well as a batch over several tables, is one mini-transaction,
 * so it is atomic across a crash and as durable as its commit says.
 */
public final class BTreeStore implements KeyValueStore {

    private final Engine engine;
    private final Map<String, BTree> trees = new ConcurrentHashMap<>();
    /** Entered shared by every operation, exclusively by close and by table creation and removal. */
    private final ReaderGate storeGate = new ReaderGate();
    private volatile boolean closed;
    private final boolean closeEngine;

    /**
     * A store over {@code engine}.
     *
     * @param closeEngine whether {@link #close()} also closes the engine (embedded use)
     */
    public BTreeStore(Engine engine, boolean closeEngine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.closeEngine = closeEngine;
    }

    /** The engine this store writes through. */
    public Engine engine() {
        return engine;
    }

    // ------------------------------------------------------------------------------ tables

    @Override
    public Table createTable(String name) {
        Objects.requireNonNull(name, "name");
        lockStoreExclusive("create table " + name);
        try {
            Tablespace space;
            try {
                space = engine.createTablespace(name);
            } catch (TablespaceExistsException e) {
                throw new TableExistsException("table " + name + " exists already");
            }
            BTree tree = new BTree(name, space);
            initialise(tree);
            trees.put(name, tree);
            return new BTreeTable(this, tree);
        } catch (IOException e) {
            throw new StorageFailureException("cannot create table " + name, e);
        } finally {
            storeGate.exitExclusive();
        }
    }

    @Override
    public Table table(String name) {
        Objects.requireNonNull(name, "name");
        boolean store = enterStore("open table " + name);
        try {
            return new BTreeTable(this, tree(name));
        } finally {
            storeGate.exitShared(store);
        }
    }

    /** The open tree of a table, opening it on first use. */
    private BTree tree(String name) {
        BTree tree = trees.get(name);
        if (tree != null && !tree.dropped()) {
            return tree;
        }
        Tablespace space;
        try {
            space = engine.tablespace(name);
        } catch (NoSuchTablespaceException e) {
            throw new NoSuchTableException("no table " + name + "; tables: " + engine.tablespaceNames());
        }
        BTree opened = new BTree(name, space);
        BTree raced = trees.putIfAbsent(name, opened);
        return raced != null && !raced.dropped() ? raced : opened;
    }

    @Override
    public List<String> tableNames() {
        boolean store = enterStore("list tables");
        try {
            return engine.tablespaceNames();
        } finally {
            storeGate.exitShared(store);
        }
    }

    @Override
    public void dropTable(String name) {
        withTableExclusive(name, "drop", tree -> {
            engine.dropTablespace(name);
            tree.markDropped();
            trees.remove(name, tree);
        });
    }

    @Override
    public void truncateTable(String name) {
        withTableExclusive(name, "truncate", tree -> {
            tree.replaceSpace(engine.truncateTablespace(name));
            initialise(tree);
        });
    }

    @FunctionalInterface
    private interface TableChange {
        void run(BTree tree) throws IOException;
    }

    /** Runs {@code change} with the store and the table to itself: no operation of any kind is in the table. */
    private void withTableExclusive(String name, String verb, TableChange change) {
        Objects.requireNonNull(name, "name");
        lockStoreExclusive(verb + " table " + name);
        try {
            BTree tree = tree(name);
            tree.lifecycle.enterExclusive();
            tree.lock.writeLock().lock();
            try {
                change.run(tree);
            } finally {
                tree.lock.writeLock().unlock();
                tree.lifecycle.exitExclusive();
            }
        } catch (NoSuchTablespaceException e) {
            throw new NoSuchTableException("no table " + name);
        } catch (IOException e) {
            throw new StorageFailureException("cannot " + verb + " table " + name, e);
        } finally {
            storeGate.exitExclusive();
        }
    }

    /** Finds the tree's root, creating the meta page and root first if the tablespace has none; durable on return. */
    private void initialise(BTree tree) throws IOException {
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            tree.open(mtr);
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }
    }

    // ------------------------------------------------------------------------------ changes

    @Override
    public WriteBatch newBatch() {
        return new Batch();
    }

    @Override
    public void write(WriteBatch batch) {
        write(batch, null);
    }

    @Override
    public void write(WriteBatch batch, CommitDurability durability) {
        Objects.requireNonNull(batch, "batch");
        if (!(batch instanceof Batch b)) {
            throw new IllegalArgumentException("the batch was not made by this store's newBatch()");
        }
        List<Change> changes = b.changes();
        if (!changes.isEmpty()) {
            apply(changes, durability, "write a batch of " + changes.size());
        }
    }

    /** One put (value not null) or delete in a tree. */
    record Change(BTree tree, byte[] key, byte[] value) {
    }

    static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new KeyTooLargeException(key.length);
        }
    }

    static void checkValue(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_BYTES) {
            throw new ValueTooLargeException(value.length);
        }
    }

    /**
     * Applies changes as one mini-transaction: first on the shared path, and if any change needs a
     * split or pages allocated or freed, again with the trees locked exclusively. Trees are locked
     * in name order and keys changed in key order, so concurrent batches never wait for each other
     * in a cycle.
     *
     * @return what each change found, in tree and key order, one per distinct key (for a single
     *     change: its own outcome)
     */
    BTree.Outcome[] apply(List<Change> changes, CommitDurability durability, String what) {
        // A stable sort by tree and key keeps equal keys in the order added: the last one wins.
        List<Change> ordered = new ArrayList<>(changes);
        ordered.sort(Comparator.<Change, String>comparing(c -> c.tree().name)
                .thenComparing(Change::key, Arrays::compareUnsigned));
        List<Change> sorted = new ArrayList<>(ordered.size());
        List<BTree> involved = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Change c = ordered.get(i);
            Change next = i + 1 < ordered.size() ? ordered.get(i + 1) : null;
            if (next != null && next.tree() == c.tree() && Arrays.equals(next.key(), c.key())) {
                continue;
            }
            sorted.add(c);
            if (involved.isEmpty() || involved.get(involved.size() - 1) != c.tree()) {
                involved.add(c.tree());
            }
        }
        boolean store = enterStore(what);
        boolean[] lifecycles = new boolean[involved.size()];
        int entered = 0;
        try {
            for (BTree tree : involved) {
                lifecycles[entered] = tree.lifecycle.enterShared();
                entered++;
                requireLive(tree);
                ensureOpen(tree);
            }
            BTree.Outcome[] outcomes = attempt(sorted, involved, false, durability);
            return outcomes != null ? outcomes : attempt(sorted, involved, true, durability);
        } catch (IOException e) {
            throw new StorageFailureException("cannot " + what, e);
        } finally {
            for (int i = entered - 1; i >= 0; i--) {
                involved.get(i).lifecycle.exitShared(lifecycles[i]);
            }
            storeGate.exitShared(store);
        }
    }

    /** One try; null if the shared path was not enough (nothing changed then). */
    private BTree.Outcome[] attempt(List<Change> sorted, List<BTree> involved, boolean exclusive,
            CommitDurability durability) throws IOException {
        List<java.util.concurrent.locks.Lock> held = new ArrayList<>();
        BTree.Outcome[] outcomes = new BTree.Outcome[sorted.size()];
        long endLsn;
        try {
            for (BTree tree : involved) {
                java.util.concurrent.locks.Lock l = exclusive ? tree.lock.writeLock() : tree.lock.readLock();
                l.lock();
                held.add(l);
                requireLive(tree);
            }
            byte[] scratch = new byte[MAX_KEY_BYTES];
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < sorted.size(); i++) {
                    Change c = sorted.get(i);
                    BTree.Outcome o = exclusive ? c.tree().changeExclusive(mtr, c.key(), c.value(), scratch)
                            : c.tree().changeInLeaf(mtr, c.key(), c.value(), scratch);
                    if (o == BTree.Outcome.NEEDS_EXCLUSIVE) {
                        return null; // closing the mini-transaction undoes what this try changed
                    }
                    outcomes[i] = o;
                }
                // The durability wait comes after the tree locks are released (below), so a split
                // never holds readers out for the length of an fsync.
                endLsn = mtr.commit(CommitDurability.PERIODIC);
            } catch (NoSuchTablespaceException e) {
                throw new NoSuchTableException("a table of this change was dropped: " + e.getMessage());
            }
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
        engine.awaitDurable(endLsn, durability);
        return outcomes;
    }

    // ------------------------------------------------------------------------------ reading

    /**
     * Runs a read in a mini-transaction that changes nothing. It takes no tree lock, so structure
     * changes go on meanwhile; {@code stable} takes the tree lock shared as well, for walks that
     * need the structure to hold still between latches (verify).
     */
    <T> T read(BTree tree, String what, boolean stable, TreeRead<T> body) {
        boolean store = enterStore(what);
        try {
            boolean lifecycle = tree.lifecycle.enterShared();
            try {
                requireLive(tree);
                ensureOpen(tree);
                if (stable) {
                    tree.lock.readLock().lock();
                }
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    return body.run(mtr);
                } finally {
                    if (stable) {
                        tree.lock.readLock().unlock();
                    }
                }
            } catch (NoSuchTablespaceException e) {
                throw new NoSuchTableException("table " + tree.name + " was dropped");
            } catch (IOException e) {
                throw new StorageFailureException("cannot " + what, e);
            } finally {
                tree.lifecycle.exitShared(lifecycle);
            }
        } finally {
            storeGate.exitShared(store);
        }
    }

    <T> T read(BTree tree, String what, TreeRead<T> body) {
        return read(tree, what, false, body);
    }

    /** Finds (or creates) the root of a tree first used since the store opened. REQUIRES: its lifecycle lock. */
    private void ensureOpen(BTree tree) throws IOException {
        if (tree.opened()) {
            return;
        }
        tree.lock.writeLock().lock();
        try {
            if (!tree.opened()) {
                initialise(tree);
            }
        } finally {
            tree.lock.writeLock().unlock();
        }
    }

    @FunctionalInterface
    interface TreeRead<T> {
        T run(MiniTransaction mtr) throws IOException;
    }

    private static void requireLive(BTree tree) {
        if (tree.dropped()) {
            throw new NoSuchTableException("table " + tree.name + " was dropped");
        }
    }

    @Override
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        for (String name : tableNames()) {
            BTree tree = tree(name);
            TreeVerifier.Result result = read(tree, "verify table " + name, true, mtr -> TreeVerifier.verify(tree, mtr));
            problems.addAll(result.problems());
        }
        return problems;
    }

    // ------------------------------------------------------------------------------ lifecycle

    /** Enters the store shared, or fails if it is closed; returns the token for {@code storeGate.exitShared}. */
    private boolean enterStore(String what) {
        if (closed) {
            throw new StoreClosedException("cannot " + what + ": the store is closed");
        }
        boolean token = storeGate.enterShared();
        if (closed) {
            storeGate.exitShared(token);
            throw new StoreClosedException("cannot " + what + ": the store is closed");
        }
        return token;
    }

    private void lockStoreExclusive(String what) {
        if (closed) {
            throw new StoreClosedException("cannot " + what + ": the store is closed");
        }
        storeGate.enterExclusive();
        if (closed) {
            storeGate.exitExclusive();
            throw new StoreClosedException("cannot " + what + ": the store is closed");
        }
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        storeGate.enterExclusive(); // waits for running operations
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            storeGate.exitExclusive();
        }
        if (closeEngine) {
            try {
                engine.close();
            } catch (Exception e) {
                throw new StorageFailureException("the engine did not close cleanly",
                        e instanceof IOException io ? io : new IOException(e.toString(), e));
            }
        }
    }

    @Override
    public String toString() {
        return "BTreeStore[" + engine.home() + (closed ? ", closed" : "") + "]";
    }
}
