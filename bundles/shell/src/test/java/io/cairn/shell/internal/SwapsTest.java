package io.cairn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The swap commands' write-then-confirm protocol, against a fake ConfigAdmin and engine. */
class SwapsTest {

    /** An engine that applies the engine configuration it is given, unless told to drop updates. */
    private static final class FakeEngine implements Swaps.ConfigStore, Swaps.EngineView {
        final Map<String, Map<String, Object>> configs = new ConcurrentHashMap<>();
        final Map<String, String> applied = new ConcurrentHashMap<>(Map.of("dataBackend", "buffered",
                "redoBackend", "buffered", "flushPolicy", "adaptive", "commitDurability", "SYNC_ON_COMMIT"));
        final List<String> writes = new CopyOnWriteArrayList<>();
        volatile int dropUpdates;
        volatile String problem;
        volatile String refuse;

        @Override
        public Map<String, Object> read(String pid) {
            return new HashMap<>(configs.getOrDefault(pid, Map.of()));
        }

        @Override
        public void write(String pid, Map<String, Object> properties) {
            writes.add(pid);
            configs.put(pid, new HashMap<>(properties));
            if (!pid.equals(Swaps.ENGINE_PID)) {
                return;
            }
            if (dropUpdates > 0) {
                dropUpdates--; // as SCR delivering an older update last
                return;
            }
            Object durability = properties.get("commitDurability");
            if (durability != null) {
                applied.put("commitDurability", switch (durability.toString()) {
                    case "0" -> "PERIODIC";
                    case "2" -> "WRITE_ON_COMMIT";
                    default -> "SYNC_ON_COMMIT";
                });
            }
            Object data = properties.get("dataBackend.target");
            if (data != null) {
                String name = data.toString().replace("(cairn.backend=", "").replace(")", "");
                if (name.equals(refuse)) {
                    problem = "dataBackend.target=" + data + " is not applied: it needs buffers aligned to 65536 bytes";
                } else {
                    applied.put("dataBackend", name);
                }
            }
        }

        @Override
        public Map<String, String> applied() {
            return applied;
        }

        @Override
        public String problem() {
            return problem;
        }

        @Override
        public String backendDescription(String role) {
            return applied.get(role + "Backend") + "(test)";
        }
    }

    private final FakeEngine engine = new FakeEngine();

    @Test
    void aDurabilityChangeMustReturnOnceTheEngineReportsIt() {
        Swaps swaps = new Swaps(engine, engine, 10_000, 5_000);
        assertEquals("commit durability: PERIODIC (from the next commit)", swaps.durability("0", "PERIODIC"));
        assertEquals("0", engine.configs.get(Swaps.ENGINE_PID).get("commitDurability"));
    }

    @Test
    void anUpdateTheEngineNeverSawMustBeWrittenAgain() {
        engine.dropUpdates = 1;
        Swaps swaps = new Swaps(engine, engine, 10_000, 100);
        assertEquals("commit durability: WRITE_ON_COMMIT (from the next commit)", swaps.durability("2", "WRITE_ON_COMMIT"));
        assertEquals(2, engine.writes.size(), "written, then written once more: " + engine.writes);
    }

    @Test
    void aSwapTheEngineRefusesMustFailWithTheEnginesReason() {
        engine.refuse = "picky";
        Swaps swaps = new Swaps(engine, engine, 10_000, 5_000);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> swaps.backend("data", "picky", Map.of(), () -> "picky(test)"));
        assertTrue(e.getMessage().contains("was not applied: dataBackend.target=(cairn.backend=picky) is not applied"),
                e.getMessage());
        assertEquals("buffered", engine.applied.get("dataBackend"));
    }

    @Test
    void backendOptionsMustGoToTheBackendsOwnConfigurationFirst() {
        Swaps swaps = new Swaps(engine, engine, 10_000, 5_000);
        assertEquals("data files are on direct(test)", swaps.backend("data", "direct", Map.of("flushMethod", "O_DSYNC"),
                () -> "direct(test)"));
        assertEquals(List.of("io.cairn.io.direct", Swaps.ENGINE_PID), engine.writes);
        assertEquals("O_DSYNC", engine.configs.get("io.cairn.io.direct").get("flushMethod"));
    }

    @Test
    void backendOptionsMustBeConfirmedOnlyOnceTheBackendShowsThem() {
        Swaps swaps = new Swaps(engine, engine, 300, 5_000);
        // The backend never shows the new settings (its configuration update was not applied yet).
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> swaps.backend("data", "direct", Map.of("flushMethod", "O_DSYNC"), () -> null));
        assertTrue(e.getMessage().contains("was not applied within 300 ms"), e.getMessage());
    }

    @Test
    void aChangeNobodyAppliesMustTimeOutWithAMessage() {
        engine.dropUpdates = Integer.MAX_VALUE;
        Swaps swaps = new Swaps(engine, engine, 300, 100);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> swaps.durability("0", "PERIODIC"));
        assertEquals("commit durability commitDurability=0 was not applied within 300 ms", e.getMessage());
    }

    @Test
    void withoutARunningEngineNothingMayBeWritten() {
        engine.applied.clear();
        Swaps swaps = new Swaps(engine, engine, 300, 100);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> swaps.durability("0", "PERIODIC"));
        assertTrue(e.getMessage().startsWith("no engine is running"), e.getMessage());
        assertEquals(List.of(), engine.writes);
    }
}
