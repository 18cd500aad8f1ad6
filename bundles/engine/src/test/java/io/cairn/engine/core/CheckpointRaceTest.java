package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolConfig;
import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.lru.LruBufferPool;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint must never pass a change that is on no durable page yet. The dangerous moment is a
 * commit that completes while the checkpoint is reading its bounds: this test makes one complete
 * exactly while the checkpoint reads the oldest dirty page, the read that must come last.
 */
class CheckpointRaceTest {

    @TempDir
    Path root;

    /** The LRU pool, but able to run a task in the middle of one oldestModificationLsn() call. */
    private static final class InterceptingPool extends ForwardingPool {
        final AtomicReference<Runnable> duringOldestRead = new AtomicReference<>();

        InterceptingPool(LruBufferPool delegate) {
            super(delegate);
        }

        @Override
        public long oldestModificationLsn() {
            long oldest = delegate.oldestModificationLsn();
            Runnable task = duringOldestRead.getAndSet(null);
            if (task != null) {
                task.run(); // after the value was taken: the caller now holds a stale answer
            }
            return oldest;
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void checkpointMustNotPassACommitThatCompletesWhileItReadsItsBounds() throws Exception {
        AtomicReference<InterceptingPool> pools = new AtomicReference<>();
        BufferPoolProvider provider = new BufferPoolProvider() {
            @Override
            public String name() {
                return LruBufferPool.NAME;
            }

            @Override
            public BufferPool create(BufferPoolConfig config, PageStore store) {
                InterceptingPool pool = new InterceptingPool(new LruBufferPool(config, store));
                pools.set(pool);
                return pool;
            }
        };
        BufferedStorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        EngineConfig config = EngineConfig.defaults(root.resolve("home")).withBufferPoolSizeBytes(8L << 20)
                .withRedoCapacityBytes(4L << 20).withCleanerIntervalMillis(60_000);
        try (CairnEngine engine = CairnEngine.open(config,
                new CairnEngine.Parts(backend, backend, provider, new CairnRedoLogProvider(), null))) {
            Tablespace space = engine.createTablespace("t");
            long pageNo;
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                pageNo = mtr.allocatePage(space).pageNo();
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            engine.checkpoint(); // everything flushed: no dirty page, checkpoint at the end of the log

            AtomicReference<Throwable> failure = new AtomicReference<>();
            pools.get().duringOldestRead.set(() -> {
                Thread committer = new Thread(() -> {
                    try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                        PageRef page = mtr.writePage(space, pageNo);
                        page.putLong(page.bodyStartOffset(), 77);
                        mtr.commit(CommitDurability.SYNC_ON_COMMIT); // synced: the redo bound does not hold it back
                    } catch (IOException | RuntimeException e) {
                        failure.set(e);
                    }
                }, "racing-committer");
                committer.start();
                try {
                    committer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            engine.checkpointNow();
            assertTrue(failure.get() == null, "the racing commit failed: " + failure.get());

            long oldestDirty = engine.pool().oldestModificationLsn();
            assertNotEquals(0, oldestDirty, "the racing commit left its page dirty (nothing flushed it)");
            assertTrue(engine.redo().checkpointLsn() <= oldestDirty, "the checkpoint at LSN "
                    + engine.redo().checkpointLsn() + " passed the dirty page modified at LSN " + oldestDirty
                    + ": a crash now would lose that commit");
        }
    }
}
