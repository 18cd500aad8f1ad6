package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.io.StorageBackend;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.util.List;

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

    /**
     * Parts whose wanted redo log is {@code wanted}, with {@code installed} (and {@code wanted})
     * as the implementations a home's recorded log can be recovered with.
     */
    static CairnEngine.Parts parts(StorageBackend backend, RedoLogProvider wanted, RedoLogProvider... installed) {
        List<RedoLogProvider> all = new java.util.ArrayList<>(List.of(installed));
        all.add(0, wanted);
        return new CairnEngine.Parts(backend, backend, new LruBufferPoolProvider(), wanted, null,
                name -> all.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null));
    }

    /**
     * A second redo log implementation for tests: Cairn's format under another name, so it keeps
     * its files in a directory of its own. Its creations can be made to fail.
     */
    static final class RenamedRedoLog implements RedoLogProvider {
        private final String name;
        private final CairnRedoLogProvider format = new CairnRedoLogProvider();
        volatile IOException failCreate;
        volatile boolean canContinue = true;

        RenamedRedoLog(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public RedoLog open(RedoLogConfig config) throws IOException {
            return format.open(config);
        }

        @Override
        public boolean canContinueAtLsn() {
            return canContinue;
        }

        @Override
        public RedoLog create(RedoLogConfig config, long startLsn) throws IOException {
            if (failCreate != null) {
                throw failCreate;
            }
            return format.create(config, startLsn);
        }
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
