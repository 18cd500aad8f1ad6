package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.io.StorageBackend;
import io.cairn.redo.log.CairnRedoLogProvider;

/** Engines for tests: the real buffer pool and redo log over one backend for every file. */
final class TestEngines {

    private TestEngines() {
    }

    static CairnEngine.Parts parts(StorageBackend backend) {
        return parts(backend, null);
    }

    /** The same with a flush policy (null for the engine's built-in safe policy). */
    static CairnEngine.Parts parts(StorageBackend backend, io.cairn.flush.FlushPolicy policy) {
        BufferPoolProvider pool = new LruBufferPoolProvider();
        return new CairnEngine.Parts(backend, backend, pool, new CairnRedoLogProvider(), policy);
    }

    /** A flush policy that never flushes anything: the engine's hard limits must do all the work. */
    static final io.cairn.flush.FlushPolicy NEVER_FLUSHES = new io.cairn.flush.FlushPolicy() {
        @Override
        public String name() {
            return "never";
        }

        @Override
        public io.cairn.flush.FlushPlan plan(io.cairn.flush.FlushState state) {
            return io.cairn.flush.FlushPlan.nothing("never flushes");
        }
    };
}
