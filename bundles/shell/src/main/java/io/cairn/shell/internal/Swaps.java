package io.cairn.shell.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the swap commands do, without OSGi types: write the engine's (or a backend's)
 * configuration, then wait until the running engine reports it applied, writing it once more if
 * ConfigAdmin holds it and the engine still shows the old value (SCR can coalesce back-to-back
 * updates, see osgi-build.md), and give up with the engine's own explanation after a timeout.
 *
 * <p>Commands are serialised (one swap at a time from this shell), so each one's confirmation is
 * about its own change.
 */
final class Swaps {

    /** Where configurations live (ConfigAdmin in the server). */
    interface ConfigStore {
        /** The properties of {@code pid}, empty when it has none. */
        Map<String, Object> read(String pid);

        /** Replaces the properties of {@code pid}. */
        void write(String pid, Map<String, Object> properties);
    }

    /** What the running engine reports. */
    interface EngineView {
        /** What is applied now (the engine service's {@code cairn.applied.*} properties), empty without an engine. */
        Map<String, String> applied();

        /** The engine's configuration problem, or null. */
        String problem();

        /** The description of the backend serving a role now ("data" or "redo"), or null. */
        String backendDescription(String role);
    }

    static final String ENGINE_PID = "io.cairn.engine";
    /** After this long without confirmation, the configuration is written once more. */
    static final long DEFAULT_RETRY_AFTER_MILLIS = 5_000;

    private final ConfigStore store;
    private final EngineView engine;
    private final long timeoutMillis;
    private final long retryAfterMillis;

    Swaps(ConfigStore store, EngineView engine, long timeoutMillis, long retryAfterMillis) {
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.timeoutMillis = timeoutMillis;
        this.retryAfterMillis = retryAfterMillis;
    }

    /**
     * Moves a role's files to the backend called {@code name}, after applying {@code options} to
     * that backend's own configuration ({@code io.cairn.io.<name>}).
     *
     * @param backendDescription the backend's description once it shows the options (null until
     *     then): with options, the swap is confirmed when the engine's files are on a backend of
     *     exactly that description, which also covers a re-switch to the backend already in use
     */
    synchronized String backend(String role, String name, Map<String, String> options,
            Supplier<String> backendDescription) {
        String key = role + "Backend.target";
        if (!options.isEmpty()) {
            String pid = "io.cairn.io." + name;
            Map<String, Object> backendConfig = new LinkedHashMap<>(store.read(pid));
            backendConfig.putAll(options);
            store.write(pid, backendConfig);
        }
        String filter = "(cairn.backend=" + name + ")";
        setEngineProperty(key, filter, () -> {
            if (!name.equals(engine.applied().get(role + "Backend")) || mentions(engine.problem(), key + "=" + filter)) {
                return false;
            }
            if (options.isEmpty()) {
                return true;
            }
            String wanted = backendDescription.get();
            return wanted != null && wanted.equals(engine.backendDescription(role));
        }, role + " backend");
        return role + " files are on " + engine.backendDescription(role);
    }

    /** Selects the flush policy whose service has {@code cairn.policy=name}; {@code policyName} is its name(). */
    synchronized String policy(String name, String policyName) {
        String key = "flushPolicy.target";
        setEngineProperty(key, "(cairn.policy=" + name + ")",
                () -> policyName != null && policyName.equals(engine.applied().get("flushPolicy")),
                "flush policy");
        return "flush policy: " + engine.applied().get("flushPolicy") + " (from the next page cleaner round)";
    }

    /** Hands the redo log over to the implementation with {@code cairn.redo=name}. */
    synchronized String redoLog(String name) {
        setEngineProperty("redoLog.target", "(cairn.redo=" + name + ")",
                () -> name.equals(engine.applied().get("redoLog")), "redo log");
        return "redo log: " + name + " (the engine checkpointed and the new log continues where the old one ended)";
    }

    /** Replaces the buffer pool implementation by the provider with {@code cairn.bufferpool=name}. */
    synchronized String pool(String name) {
        setEngineProperty("bufferPool.target", "(cairn.bufferpool=" + name + ")",
                () -> name.equals(engine.applied().get("bufferPool")), "buffer pool");
        return "buffer pool: " + name + " (the engine checkpointed, copied the old pool's pages into it and switched to it)";
    }

    /** Sets the default commit durability: 0, 1 or 2. */
    synchronized String durability(String level, String expectedName) {
        setEngineProperty("commitDurability", level, () -> expectedName.equals(engine.applied().get("commitDurability")),
                "commit durability");
        return "commit durability: " + expectedName + " (from the next commit)";
    }

    private void setEngineProperty(String key, String value, BooleanSupplier applied, String what) {
        if (engine.applied().isEmpty()) {
            throw new IllegalStateException("no engine is running; start it first (see cairn:status)");
        }
        Map<String, Object> config = new LinkedHashMap<>(store.read(ENGINE_PID));
        config.put(key, value);
        store.write(ENGINE_PID, config);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean rewritten = false;
        while (!applied.getAsBoolean()) {
            long now = System.nanoTime();
            String problem = engine.problem();
            // The engine names the setting and value it could not apply (for example a swap the
            // new backend refused): that is the answer, no need to wait for the timeout.
            if (mentions(problem, key + "=" + value)) {
                throw new IllegalStateException(what + " " + key + "=" + value + " was not applied: " + problem);
            }
            if (!rewritten && now - start > TimeUnit.MILLISECONDS.toNanos(retryAfterMillis)
                    && value.equals(String.valueOf(store.read(ENGINE_PID).get(key)))) {
                store.write(ENGINE_PID, new LinkedHashMap<>(store.read(ENGINE_PID))); // nudge a coalesced update
                rewritten = true;
            }
            if (now > deadline) {
                throw new IllegalStateException(what + " " + key + "=" + value + " was not applied within "
                        + (timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms") + (problem == null ? "" : ": " + problem));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static boolean mentions(String problem, String key) {
        return problem != null && problem.contains(key);
    }
}
