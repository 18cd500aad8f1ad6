package io.cairn.embedded;

import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.engine.core.CairnEngine;
import io.cairn.engine.core.EngineConfig;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.adaptive.AdaptiveFlushPolicy;
import io.cairn.flush.fixed.FixedFlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import io.cairn.io.zfs.ZfsStorageBackend;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.StorageFailureException;
import io.cairn.kv.btree.BTreeStore;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Cairn in a plain Java program: the engine, buffer pool, redo log, backends and flush policies of
 * the server's bundles, assembled without OSGi.
 *
 * <pre>{@code
 * try (KeyValueStore store = Cairn.open(Path.of("my-home"))) {
 *     Table users = store.createTable("users");
 *     users.put("ada".getBytes(), "Ada Lovelace".getBytes());
 * }
 * }</pre>
 */
public final class Cairn {

    private Cairn() {
    }

    /** Opens (creating if needed) the store in {@code home} with {@link CairnOptions#defaults()}. */
    public static KeyValueStore open(Path home) {
        return open(home, CairnOptions.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code home}, recovering it if it was not closed
     * cleanly. Close the store to stop the engine cleanly.
     *
     * @throws io.cairn.config.InvalidSettingException if an option cannot be used here
     * @throws StorageFailureException if the home cannot be opened or recovered
     */
    public static KeyValueStore open(Path home, CairnOptions options) {
        EngineConfig defaults = EngineConfig.defaults(home.toAbsolutePath());
        EngineConfig config = new EngineConfig(home.toAbsolutePath(), options.pageSizeBytes(),
                options.bufferPoolSizeBytes(), options.redoCapacityBytes(), options.durability(), options.doublewrite(),
                defaults.cleanerIntervalMillis(), defaults.ioCapacityPagesPerSecond(),
                defaults.ioCapacityMaxPagesPerSecond(), defaults.watchdogThresholdMillis());
        CairnEngine.Parts parts = new CairnEngine.Parts(backend(options.dataBackend()), backend(options.redoBackend()),
                new LruBufferPoolProvider(), new CairnRedoLogProvider(), policy(options.flushPolicy()));
        try {
            return new BTreeStore(CairnEngine.open(config, parts), true);
        } catch (IOException e) {
            throw new StorageFailureException("cannot open the Cairn home " + home.toAbsolutePath(), e);
        }
    }

    private static StorageBackend backend(String name) {
        return switch (name) {
            case "buffered" -> new BufferedStorageBackend(SyncMethod.FDATASYNC);
            case "direct" -> new DirectStorageBackend(FlushMethod.O_DIRECT);
            case "zfs" -> new ZfsStorageBackend();
            default -> throw new IllegalArgumentException("unknown backend " + name + "; allowed: " + CairnOptions.BACKENDS);
        };
    }

    private static FlushPolicy policy(String name) {
        return switch (name) {
            case "adaptive" -> new AdaptiveFlushPolicy();
            case "fixed" -> new FixedFlushPolicy();
            case "safe" -> null; // the engine's built-in policy
            default -> throw new IllegalArgumentException("unknown flush policy " + name + "; allowed: "
                    + CairnOptions.POLICIES);
        };
    }

}
