package io.cairn.kv.btree.internal;

import io.cairn.engine.Engine;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import io.cairn.kv.btree.BTreeStore;
import io.cairn.redo.CommitDurability;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link KeyValueStore} service: a {@link BTreeStore} on the running engine. Registered while an
 * engine is; when the engine goes, the store is closed first (running operations finish).
 */
@Component(service = KeyValueStore.class, property = "cairn.kv=btree")
public final class KeyValueStoreComponent implements KeyValueStore {

    private final BTreeStore store;

    @Activate
    public KeyValueStoreComponent(@Reference Engine engine) {
        this.store = new BTreeStore(engine, false);
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public Table createTable(String name) {
        return store.createTable(name);
    }

    @Override
    public Table table(String name) {
        return store.table(name);
    }

    @Override
    public List<String> tableNames() {
        return store.tableNames();
    }

    @Override
    public void dropTable(String name) {
        store.dropTable(name);
    }

    @Override
    public void truncateTable(String name) {
        store.truncateTable(name);
    }

    @Override
    public WriteBatch newBatch() {
        return store.newBatch();
    }

    @Override
    public void write(WriteBatch batch) {
        store.write(batch);
    }

    @Override
    public void write(WriteBatch batch, CommitDurability durability) {
        store.write(batch, durability);
    }

    @Override
    public List<String> verify() {
        return store.verify();
    }

    /** The service belongs to the server: a client cannot close it (the server does, with the engine). */
    @Override
    public void close() {
        throw new UnsupportedOperationException("the KeyValueStore service is closed by the server when the engine"
                + " stops; stop the engine (cairn:shutdown) instead");
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
