package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.engine.Engine;
import io.cairn.engine.EnginePhase;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import io.cairn.status.EngineStatus;
import io.cairn.status.StatusService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Issue 7's headline: a mixed key-value workload on 8 threads runs for at least a minute while the
 * data backend (buffered, O_DIRECT, O_DSYNC, buffered), the redo backend, the buffer pool
 * implementation (LRU, CLOCK), the redo log implementation (cairn, circular), the flush policy
 * and the commit durability are swapped again and again through the {@code cairn:} commands. No
 * operation
 * may fail, every acknowledged write must be there afterwards (checked against a model, live and
 * after a clean restart), the engine must never be re-registered (the component was not
 * reactivated), a backend swap must leave the cache warm (the hit rate of the operations after
 * it within 5 points of those before it), and a buffer pool replacement must hand the cached
 * pages over to the new pool.
 *
 * <p>Each thread owns its own keys, so the model of a key is its last acknowledged value and a
 * read must return exactly that.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends FrameworkTest {

    private static final int THREADS = 8;
    private static final int KEYS_PER_THREAD = 1500;
    private static final long MIN_RUN_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Operations counted on each side of a backend swap for the hit rate. */
    private static final long HIT_RATE_WINDOW_OPS = 20_000;

    @Configuration
    public Option[] config() throws IOException {
        return new Option[] {CairnOptions.cairnFramework(CairnOptions.newHome("hot-swap"))};
    }

    /** One key's model: the last acknowledged value (null: deleted or never written). */
    private final Map<String, String> model = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong operations = new AtomicLong();

    @Test
    public void swapsUnderAMixedWorkloadMustFailNothingLoseNothingAndKeepTheCacheWarm() throws Exception {
        // A pool far smaller than the table, so the workload both hits and misses, and a swap that
        // lost the cached pages would show in the hit rate. The pool's geometry is chosen when the
        // engine opens, so the engine bundle restarts once, before anything is measured.
        org.osgi.service.cm.Configuration engineConfiguration = configurationAdmin.getConfiguration("io.cairn.engine", "?");
        java.util.Hashtable<String, Object> settings = new java.util.Hashtable<>();
        settings.put("bufferPoolSizeMebibytes", "2");
        engineConfiguration.update(settings);
        org.osgi.framework.Bundle engineBundle = framework.bundle("io.cairn.engine");
        engineBundle.stop();
        engineBundle.start();
        StatusService status = framework.awaitService(StatusService.class);
        framework.awaitCondition("the engine runs with the small pool", () -> status.engineStatus() != null
                && status.engineStatus().bufferPool().totalFrames() == 128);
        KeyValueStore store = framework.awaitService(KeyValueStore.class);
        ServiceReference<Engine> engineRef = framework.awaitReference(Engine.class);
        Object engineServiceId = engineRef.getProperty("service.id");
        AtomicInteger engineRegistrations = new AtomicInteger();
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                engineRegistrations.incrementAndGet();
            }
        };
        context.addServiceListener(listener, "(objectClass=" + Engine.class.getName() + ")");
        CommandSession shell = framework.awaitService(CommandProcessor.class).createSession(System.in, System.out, System.err);

        Table table = store.createTable("hot-swap");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int owner = t;
            Thread thread = new Thread(() -> work(table, owner, stop), "hot-swap-worker-" + t);
            threads.add(thread);
            thread.start();
        }
        List<String> hitRates = new ArrayList<>();
        List<String> log = new ArrayList<>();
        long started = System.nanoTime();
        int rounds = 0;
        try {
            awaitOperations(operations.get() + 2 * HIT_RATE_WINDOW_OPS); // warm up the cache
            while (rounds < 2 || System.nanoTime() - started < MIN_RUN_NANOS) {
                rounds++;
                backendSwap(shell, status, "cairn:backend data direct flushMethod=O_DIRECT", "direct(O_DIRECT)", hitRates, log);
                backendSwap(shell, status, "cairn:backend data direct flushMethod=O_DSYNC", "direct(O_DSYNC)", hitRates, log);
                backendSwap(shell, status, "cairn:backend data buffered", "buffered", hitRates, log);
                log.add(run(shell, "cairn:backend redo direct"));
                poolSwap(shell, status, "cairn:pool clock", log);
                log.add(run(shell, "cairn:redolog circular"));
                log.add(run(shell, "cairn:policy fixed"));
                log.add(run(shell, "cairn:durability 2"));
                awaitOperations(operations.get() + 5_000);
                log.add(run(shell, "cairn:durability 0"));
                log.add(run(shell, "cairn:backend redo buffered"));
                log.add(run(shell, "cairn:policy adaptive"));
                log.add(run(shell, "cairn:durability 1"));
                poolSwap(shell, status, "cairn:pool lru", log);
                log.add(run(shell, "cairn:redolog cairn"));
                awaitOperations(operations.get() + 5_000);
            }
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            context.removeServiceListener(listener);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("HotSwapIT: " + rounds + " rounds in " + seconds + " s, " + operations.get()
                + " operations; hit rates around data backend swaps (before -> after): " + hitRates);
        System.out.println("HotSwapIT: first round's commands: " + log.subList(0, Math.min(10, log.size())));
        assertEquals("failed operations: " + failures, List.of(), new ArrayList<>(failures));
        assertTrue("the workload must run at least 60 s, ran " + seconds, seconds >= 60);
        assertEquals("the engine was re-registered during the swaps (the component was reactivated)",
                0, engineRegistrations.get());
        assertEquals(engineServiceId, framework.awaitReference(Engine.class).getProperty("service.id"));
        assertEquals(EnginePhase.RUNNING, framework.awaitService(Engine.class).phase());
        EngineStatus last = status.engineStatus();
        assertEquals("buffered", last.dataBackend().name());
        assertEquals("buffered", last.redoBackend().name());
        assertEquals(null, last.configurationProblem());
        assertEquals("lru", framework.awaitReference(Engine.class).getProperty("cairn.applied.bufferPool"));
        assertEquals("cairn", framework.awaitReference(Engine.class).getProperty("cairn.applied.redoLog"));
        checkModel(table, "after the swaps");
        assertEquals(List.of(), store.verify());

        // A clean restart of the engine bundle: everything acknowledged is still there.
        engineBundle.stop();
        engineBundle.start();
        KeyValueStore reopened = framework.awaitService(KeyValueStore.class);
        checkModel(framework.awaitTable(reopened, "hot-swap", "after a restart"), "after a restart");
        assertEquals(List.of(), reopened.verify());
    }

    private void work(Table table, int owner, AtomicBoolean stop) {
        SplittableRandom random = new SplittableRandom(owner);
        long version = 0;
        while (!stop.get()) {
            String key = "k-" + owner + "-" + random.nextInt(KEYS_PER_THREAD);
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            int kind = random.nextInt(100);
            try {
                if (kind < 45) {
                    String value = key + "#" + (++version) + "#" + "x".repeat(random.nextInt(200));
                    table.put(keyBytes, value.getBytes(StandardCharsets.UTF_8));
                    model.put(key, value);
                } else if (kind < 50) {
                    table.delete(keyBytes);
                    model.remove(key);
                } else {
                    byte[] found = table.get(keyBytes);
                    String expected = model.get(key);
                    String actual = found == null ? null : new String(found, StandardCharsets.UTF_8);
                    if (!java.util.Objects.equals(expected, actual)) {
                        failures.add("read of " + key + " returned " + abbreviate(actual) + ", the model has "
                                + abbreviate(expected));
                    }
                }
                operations.incrementAndGet();
            } catch (RuntimeException e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
                return;
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Runs a data backend swap and compares the hit rate of the operations before and after it. */
    private void backendSwap(CommandSession shell, StatusService status, String command, String description,
            List<String> hitRates, List<String> log) throws Exception {
        BufferPoolStats before = status.engineStatus().bufferPool();
        awaitOperations(operations.get() + HIT_RATE_WINDOW_OPS);
        BufferPoolStats atSwap = status.engineStatus().bufferPool();
        log.add(run(shell, command));
        EngineStatus swapped = status.engineStatus();
        BufferPoolStats afterSwap = swapped.bufferPool();
        assertTrue("after '" + command + "' the data files are on " + swapped.dataBackend().description(),
                swapped.dataBackend().description().startsWith(description));
        // The swap moves files, not pages: the cached pages are still cached.
        long naturalDipPages = naturalDipPages(afterSwap);
        assertTrue("cached pages went from " + atSwap.lruPages() + " to " + afterSwap.lruPages() + " over '" + command
                + "' (allowed dip " + naturalDipPages + ")", afterSwap.lruPages() >= atSwap.lruPages() - naturalDipPages);
        awaitOperations(operations.get() + HIT_RATE_WINDOW_OPS);
        BufferPoolStats after = status.engineStatus().bufferPool();
        double rateBefore = hitRate(before, atSwap);
        double rateAfter = hitRate(afterSwap, after);
        hitRates.add(String.format(java.util.Locale.ROOT, "%.1f -> %.1f", 100 * rateBefore, 100 * rateAfter));
        assertTrue("the hit rate after '" + command + "' fell from " + rateBefore + " to " + rateAfter,
                rateAfter >= rateBefore - 0.05);
    }

    /**
     * How far the cached-page count may fall without anything losing pages: the page cleaner keeps
     * a floor of free frames (16 in a pool this small) and every worker may hold one frame between
     * eviction and read, so only a loss beyond that is a swap's doing.
     */
    private static long naturalDipPages(BufferPoolStats pool) {
        return Math.max(16, pool.totalFrames() / 100) + THREADS;
    }

    /** Replaces the buffer pool; the old pool's pages must be handed to the new one, not dropped. */
    private void poolSwap(CommandSession shell, StatusService status, String command, List<String> log) {
        BufferPoolStats atSwap = status.engineStatus().bufferPool();
        log.add(run(shell, command));
        BufferPoolStats afterSwap = status.engineStatus().bufferPool();
        long naturalDipPages = naturalDipPages(afterSwap);
        assertTrue("cached pages went from " + atSwap.lruPages() + " to " + afterSwap.lruPages() + " over '" + command
                + "' (allowed dip " + naturalDipPages + ")", afterSwap.lruPages() >= atSwap.lruPages() - naturalDipPages);
    }

    private static double hitRate(BufferPoolStats from, BufferPoolStats to) {
        long hits = to.hits() - from.hits();
        long misses = to.misses() - from.misses();
        return hits + misses == 0 ? 1.0 : (double) hits / (hits + misses);
    }

    private void checkModel(Table table, String when) {
        int checked = 0;
        for (int owner = 0; owner < THREADS; owner++) {
            for (int i = 0; i < KEYS_PER_THREAD; i++) {
                String key = "k-" + owner + "-" + i;
                byte[] found = table.get(key.getBytes(StandardCharsets.UTF_8));
                String actual = found == null ? null : new String(found, StandardCharsets.UTF_8);
                assertEquals(when + ": " + key, model.get(key), actual);
                checked++;
            }
        }
        assertEquals(THREADS * KEYS_PER_THREAD, checked);
    }

    /** Runs a Gogo command; its result or its one-line error message. */
    private String run(CommandSession shell, String command) {
        try {
            Object result = shell.execute(command);
            return command + " -> " + result;
        } catch (Exception e) {
            fail(command + " failed: " + e.getMessage());
            return null;
        }
    }

    private void awaitOperations(long target) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (operations.get() < target) {
            if (!failures.isEmpty()) {
                fail("operations failed: " + failures);
            }
            if (System.nanoTime() > deadline) {
                fail("the workload stalled at " + operations.get() + " operations, waiting for " + target);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
