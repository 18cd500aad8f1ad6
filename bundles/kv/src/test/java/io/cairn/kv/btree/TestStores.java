package io.cairn.kv.btree;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.engine.core.CairnEngine;
import io.cairn.engine.core.DoublewriteMode;
import io.cairn.engine.core.EngineConfig;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.file.Path;

/** Stores on a real engine in a test directory: the LRU pool, the redo log, buffered files. */
final class TestStores {

    private TestStores() {
    }

    static EngineConfig config(Path home, int pageSizeBytes) {
        return new EngineConfig(home, pageSizeBytes, 8L << 20, 16L << 20, CommitDurability.WRITE_ON_COMMIT,
                DoublewriteMode.ON, 50, 200, 2000, 5000);
    }

    static BTreeStore open(EngineConfig config) throws IOException {
        return open(config, new BufferedStorageBackend(SyncMethod.FDATASYNC));
    }

    /** A store whose every file goes through {@code backend} (a fault-injecting one, say). */
    static BTreeStore open(EngineConfig config, io.cairn.io.StorageBackend backend) throws IOException {
        BufferPoolProvider pool = new LruBufferPoolProvider();
        CairnEngine engine = CairnEngine.open(config,
                new CairnEngine.Parts(backend, backend, pool, new CairnRedoLogProvider(), null));
        return new BTreeStore(engine, true);
    }
}
