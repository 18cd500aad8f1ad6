package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.cairn.engine.Engine;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import io.cairn.status.EngineStatus;
import io.cairn.status.StatusService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * Issue 7, in a real Felix: stopping the bundle of the backend in use moves the engine's files to
 * another backend with a warning while a workload runs, and starting it again moves them back.
 * With no backend bundle left, a durable put waits for one and goes on when one is started in
 * time, and fails with "no storage backend available" when none is: it is never acknowledged, and
 * everything acknowledged is there after a restart. A failed log write ends the log until the
 * engine restarts (as it ends an InnoDB server), and status says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BackendBundleStopIT extends FrameworkTest {

    private static final int THREADS = 4;
    private static final int KEYS_PER_THREAD = 500;
    /** How long I/O waits for a backend while none is installed (noBackendWaitMillis). */
    private static final long NO_BACKEND_WAIT_MILLIS = 8000;
    private static final List<String> BACKEND_BUNDLES = List.of(
            "io.cairn.io-faultinject", "io.cairn.io-zfs", "io.cairn.io-direct", "io.cairn.io-buffered");

    private final Map<String, String> model = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong operations = new AtomicLong();

    @Configuration
    public Option[] config() throws IOException {
        return new Option[] {CairnOptions.cairnFramework(CairnOptions.newHome("backend-bundle-stop"))};
    }

    @Test
    public void stoppingTheActiveBackendsBundleMustMoveTheFilesAndWithNoneLeftRefuseInsteadOfLosingCommits()
            throws Exception {
        org.osgi.service.cm.Configuration engineConfiguration = configurationAdmin.getConfiguration("io.cairn.engine", "?");
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("dataBackend.target", "(cairn.backend=direct)");
        settings.put("redoBackend.target", "(cairn.backend=direct)");
        settings.put("noBackendWaitMillis", String.valueOf(NO_BACKEND_WAIT_MILLIS));
        engineConfiguration.update(settings);
        Bundle engineBundle = framework.bundle("io.cairn.engine");
        engineBundle.stop(); // the wait is read when the engine opens
        engineBundle.start();
        StatusService status = framework.awaitService(StatusService.class);
        awaitStatus(status, "the engine runs on the direct backend", s -> "direct".equals(s.dataBackend().name())
                && "direct".equals(s.redoBackend().name()) && s.configurationProblem() == null);
        AtomicInteger engineRegistrations = new AtomicInteger();
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                engineRegistrations.incrementAndGet();
            }
        };
        context.addServiceListener(listener, "(objectClass=" + Engine.class.getName() + ")");
        KeyValueStore store = framework.awaitService(KeyValueStore.class);
        Table table = store.createTable("backend-stop");

        // 1. The active backend's bundle stops under load: the files move, nothing fails.
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int owner = t;
            Thread worker = new Thread(() -> work(table, owner, stop), "backend-stop-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        try {
            awaitOperations(operations.get() + 2000);
            framework.bundle("io.cairn.io-direct").stop();
            EngineStatus fallback = awaitStatus(status, "the files leave the stopped direct backend",
                    s -> !"direct".equals(s.dataBackend().name()) && !"direct".equals(s.redoBackend().name()));
            String problem = fallback.configurationProblem();
            assertTrue("status must say which backend stands in: " + problem, problem != null
                    && problem.contains("no storage backend matches dataBackend.target=(cairn.backend=direct); using "
                            + fallback.dataBackend().name()));
            assertFalse("another installed backend takes the files, not the stand-in",
                    "none".equals(fallback.dataBackend().name()));
            awaitOperations(operations.get() + 2000);

            // 2. Started again, it gets its files back: the configured choice is restored.
            framework.bundle("io.cairn.io-direct").start();
            awaitStatus(status, "the files return to the direct backend", s -> "direct".equals(s.dataBackend().name())
                    && "direct".equals(s.redoBackend().name()) && s.configurationProblem() == null);
            awaitOperations(operations.get() + 2000);
        } finally {
            stop.set(true);
            for (Thread worker : workers) {
                worker.join(TIMEOUT.toMillis());
            }
        }
        assertEquals("failed operations: " + failures, List.of(), new ArrayList<>(failures));
        checkModel(table, "after the direct backend's bundle stopped and started");

        // 3. No backend bundle left: a durable put waits, and goes on when one is started in time.
        stopBackendBundles();
        awaitStatus(status, "the engine waits for a backend", s -> "none".equals(s.dataBackend().name())
                && "none".equals(s.redoBackend().name()) && s.configurationProblem() != null
                && s.configurationProblem().contains("no storage backend available for data files"));
        FutureTask<Void> waiting = put(table, "waiting", "acknowledged after the wait");
        awaitBlocked("the put waiting for a backend", waiting);
        framework.bundle("io.cairn.io-buffered").start();
        waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        model.put("waiting", "acknowledged after the wait");
        startBackendBundles();
        awaitStatus(status, "the configured backend is back", s -> "direct".equals(s.dataBackend().name())
                && "direct".equals(s.redoBackend().name()) && s.configurationProblem() == null);
        checkModel(table, "after a put waited for a backend");

        // 4. None left and none started: the put fails with a clear message and is not acknowledged.
        stopBackendBundles();
        awaitStatus(status, "the engine waits for a backend again", s -> "none".equals(s.dataBackend().name()));
        long startedNanos = System.nanoTime();
        FutureTask<Void> refused = put(table, "refused", "must not be acknowledged");
        try {
            refused.get(NO_BACKEND_WAIT_MILLIS + TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            fail("a durable put was acknowledged while no storage backend was installed");
        } catch (ExecutionException e) {
            assertTrue("the failure must say why: " + causes(e.getCause()),
                    causes(e.getCause()).contains("no storage backend available"));
        }
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        assertTrue("the put must wait the configured " + NO_BACKEND_WAIT_MILLIS + " ms before it fails, it failed after "
                + waitedMillis + " ms", waitedMillis >= NO_BACKEND_WAIT_MILLIS);
        // The failed log write ended the log, as one ends InnoDB's: the data files go back to the
        // configured backend, the redo files cannot, and status says what to do.
        startBackendBundles();
        awaitStatus(status, "the data files are back and status asks for a restart",
                s -> "direct".equals(s.dataBackend().name()) && s.configurationProblem() != null
                        && s.configurationProblem().contains("refuses appends after a failed write or sync (restart the engine"));
        context.removeServiceListener(listener);
        assertEquals("the engine was re-registered (its component was reactivated)", 0, engineRegistrations.get());

        // The restart recovers everything acknowledged, on the configured backend.
        engineBundle.stop();
        engineBundle.start();
        awaitStatus(framework.awaitService(StatusService.class), "the restarted engine runs on the direct backend", s -> "direct".equals(s.dataBackend().name())
                && "direct".equals(s.redoBackend().name()) && s.configurationProblem() == null);
        KeyValueStore reopened = framework.awaitService(KeyValueStore.class);
        Table recovered = framework.awaitTable(reopened, "backend-stop", "after a restart");
        checkModel(recovered, "after a restart");
        assertNull("the refused put's redo never reached the disk, so under the write-ahead rule no page holds it",
                recovered.get("refused".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), reopened.verify());
    }

    private void stopBackendBundles() throws Exception {
        for (String name : BACKEND_BUNDLES) {
            framework.bundle(name).stop();
        }
    }

    private void startBackendBundles() throws Exception {
        for (int i = BACKEND_BUNDLES.size() - 1; i >= 0; i--) {
            framework.bundle(BACKEND_BUNDLES.get(i)).start();
        }
    }

    /** A durable put on a thread of its own, started. */
    private static FutureTask<Void> put(Table table, String key, String value) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            table.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
            return null;
        });
        Thread thread = new Thread(task, "backend-stop-put-" + key);
        thread.setDaemon(true); // a put that never returns must not keep the test framework alive
        thread.start();
        return task;
    }

    /** Waits until some thread of the engine waits in the stand-in backend, with the put not done. */
    private void awaitBlocked(String what, FutureTask<?> task) {
        framework.awaitCondition(what + " waits in the stand-in backend", () -> {
            assertFalse(what + " completed although no storage backend is installed", task.isDone());
            return Thread.getAllStackTraces().values().stream().anyMatch(stack -> java.util.Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().equals("io.cairn.engine.core.AwaitedBackend")));
        });
        assertFalse(what + " completed although no storage backend is installed", task.isDone());
    }

    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append(" <- ");
        }
        return text.toString();
    }

    private void work(Table table, int owner, AtomicBoolean stop) {
        SplittableRandom random = new SplittableRandom(owner);
        long version = 0;
        while (!stop.get()) {
            String key = "k-" + owner + "-" + random.nextInt(KEYS_PER_THREAD);
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            try {
                if (random.nextInt(2) == 0) {
                    String value = key + "#" + (++version);
                    table.put(keyBytes, value.getBytes(StandardCharsets.UTF_8));
                    model.put(key, value);
                } else {
                    byte[] found = table.get(keyBytes);
                    String actual = found == null ? null : new String(found, StandardCharsets.UTF_8);
                    if (!Objects.equals(model.get(key), actual)) {
                        failures.add("read of " + key + " returned " + actual + ", the model has " + model.get(key));
                    }
                }
                operations.incrementAndGet();
            } catch (RuntimeException e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
                return;
            }
        }
    }

    private void checkModel(Table table, String when) {
        for (int owner = 0; owner < THREADS; owner++) {
            for (int i = 0; i < KEYS_PER_THREAD; i++) {
                String key = "k-" + owner + "-" + i;
                byte[] found = table.get(key.getBytes(StandardCharsets.UTF_8));
                assertEquals(when + ": " + key, model.get(key), found == null ? null : new String(found, StandardCharsets.UTF_8));
            }
        }
        byte[] waited = table.get("waiting".getBytes(StandardCharsets.UTF_8));
        assertEquals(when + ": waiting", model.get("waiting"), waited == null ? null : new String(waited, StandardCharsets.UTF_8));
    }

    private EngineStatus awaitStatus(StatusService status, String what, java.util.function.Predicate<EngineStatus> condition) {
        EngineStatus[] last = new EngineStatus[1];
        framework.awaitCondition(what, () -> {
            last[0] = status.engineStatus();
            return last[0] != null && condition.test(last[0]);
        }, () -> last[0] == null ? "no status" : "data " + last[0].dataBackend().name() + ", redo "
                + last[0].redoBackend().name() + ", problem: " + last[0].configurationProblem());
        return last[0];
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
