package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.cairn.engine.Engine;
import io.cairn.engine.EnginePhase;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.redo.CommitDurability;
import io.cairn.status.EngineStatus;
import io.cairn.status.RedoPressure;
import io.cairn.status.StatusService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The engine bundle in a real Felix: it opens in the server's home from the default parts,
 * registers Engine and StatusService, keeps commits across a bundle restart with a clean shutdown
 * (no redo applied on the next open), and reports an unusable setting in one line while the
 * running engine keeps the settings it has.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EngineServiceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() throws IOException {
        return new Option[] {CairnOptions.cairnFramework(CairnOptions.newHome("engine-service"))};
    }

    @Test
    public void keyValueStoreServiceMustStoreAndVerifyTablesOnTheRunningEngine() throws Exception {
        io.cairn.kv.KeyValueStore store = awaitService(io.cairn.kv.KeyValueStore.class);
        io.cairn.kv.Table table = store.createTable("itest-kv");
        for (int i = 0; i < 2000; i++) {
            table.put(("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("value-1999", new String(table.get("key-1999".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8));
        assertEquals(2000, table.count());
        assertEquals(List.of(), store.verify());
        assertTrue(store.tableNames().contains("itest-kv"));
        try {
            store.close();
            fail("a client closed the server's store");
        } catch (UnsupportedOperationException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("closed by the server"));
        }
        store.dropTable("itest-kv");
    }

    @Test
    public void engineMustOpenInTheServerHomeAndReportItsStatus() throws Exception {
        Engine engine = awaitService(Engine.class);
        assertEquals(EnginePhase.RUNNING, engine.phase());
        assertEquals(Paths.get(System.getProperty("cairn.home")).toAbsolutePath(), engine.home());

        EngineStatus status = awaitService(StatusService.class).engineStatus();
        assertEquals(EnginePhase.RUNNING, status.phase());
        assertEquals("buffered", status.dataBackend().name());
        assertNotNull("the data backend was probed: " + status.dataBackend().probeError(),
                status.dataBackend().capabilities());
        assertEquals(RedoPressure.NONE, status.redoPressure());
        assertTrue("the buffer pool has frames", status.bufferPool().totalFrames() > 0);
    }

    @Test
    public void commitsMustSurviveABundleRestartWithoutRedoApply() throws Exception {
        Engine engine = awaitService(Engine.class);
        Tablespace space = engine.tablespaceNames().contains("restart")
                ? engine.tablespace("restart") : engine.createTablespace("restart");
        long pageNo;
        try (MiniTransaction mtr = engine.beginMiniTransaction()) {
            PageRef page = mtr.allocatePage(space);
            pageNo = page.pageNo();
            page.putLong(page.bodyStartOffset(), 0x5EED_CAFEL);
            mtr.commit(CommitDurability.SYNC_ON_COMMIT);
        }

        Bundle bundle = engineBundle();
        bundle.stop();
        assertNull("no Engine service while the bundle is stopped", context.getServiceReference(Engine.class));
        awaitLogLine("engine stopped cleanly");
        int linesBeforeRestart = cairnLog().size();
        bundle.start();

        Engine reopened = awaitService(Engine.class);
        try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
            PageRef page = mtr.readPage(reopened.tablespace("restart"), pageNo);
            assertEquals(0x5EED_CAFEL, page.getLong(page.bodyStartOffset()));
        }
        List<String> reopenLines = cairnLog().subList(linesBeforeRestart, cairnLog().size());
        List<String> recovery = reopenLines.stream().filter(l -> l.contains("recovery: scanned redo"))
                .collect(Collectors.toList());
        assertEquals("one recovery line after the restart: " + reopenLines, 1, recovery.size());
        assertTrue("a clean shutdown leaves no redo to apply: " + recovery, recovery.get(0).contains(" 0 groups"));
    }

    /**
     * A running engine keeps the settings it has when an update holds a value it cannot use: one
     * line names the value and what is allowed, status shows it, nothing restarts.
     */
    @Test
    public void unusableSettingMustBeReportedInOneLineAndTheRunningEngineKeepItsSettings() throws Exception {
        Engine engine = awaitService(Engine.class);
        StatusService status = awaitService(StatusService.class);
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration("io.cairn.engine", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("commitDurability", "7");
        try {
            configuration.update(properties);
            awaitLogLine("configuration io.cairn.engine: invalid setting commitDurability=7");
            String line = cairnLog().stream().filter(l -> l.contains("invalid setting commitDurability=7"))
                    .findFirst().orElseThrow();
            assertTrue("names what is allowed: " + line, line.contains("1 (SYNC_ON_COMMIT)"));
            assertTrue("says what happens: " + line, line.contains("keeping the previous settings"));
            awaitCondition("status shows the problem", () -> status.engineStatus().configurationProblem() != null
                    && status.engineStatus().configurationProblem().contains("commitDurability=7"));
            assertEquals("the engine was not restarted", engine, awaitService(Engine.class));
            assertEquals(EnginePhase.RUNNING, engine.phase());
        } finally {
            configuration.delete();
        }
        awaitCondition("the problem is gone with the bad configuration", () -> status.engineStatus().configurationProblem() == null);
        assertEquals(engine, awaitService(Engine.class));
    }

    /** The adaptive policy plans the cleaner's rounds; without its bundle the built-in policy does, at once. */
    @Test
    public void flushPolicyMustFollowThePolicyBundleWhileTheEngineRuns() throws Exception {
        StatusService status = awaitService(StatusService.class);
        awaitCondition("the adaptive policy is bound", () -> "adaptive".equals(status.engineStatus().flush().policyName()));
        Engine engine = awaitService(Engine.class);
        Bundle adaptive = bundle("io.cairn.flush-adaptive");
        adaptive.stop();
        try {
            awaitCondition("the built-in policy took over",
                    () -> "built-in safe".equals(status.engineStatus().flush().policyName()));
            assertEquals("the engine kept running", engine, awaitService(Engine.class));
            assertEquals(EnginePhase.RUNNING, engine.phase());
        } finally {
            adaptive.start();
        }
        awaitCondition("the adaptive policy is bound again",
                () -> "adaptive".equals(status.engineStatus().flush().policyName()));
    }

    private Bundle engineBundle() {
        return bundle("io.cairn.engine");
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    private <T> T awaitService(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(TIMEOUT.toMillis());
            if (service == null) {
                fail("no " + type.getSimpleName() + " service within " + TIMEOUT.toSeconds() + " s; cairn.log:\n"
                        + String.join("\n", cairnLog()));
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    private static List<String> cairnLog() {
        Path logFile = Paths.get(System.getProperty("cairn.home"), "log", "cairn.log");
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void awaitLogLine(String text) {
        awaitCondition("cairn.log contains '" + text + "'", () -> cairnLog().stream().anyMatch(l -> l.contains(text)));
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " (waited " + TIMEOUT.toSeconds() + " s); cairn.log:\n" + String.join("\n", cairnLog()));
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
