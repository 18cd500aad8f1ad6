package io.cairn.engine.core;

import io.cairn.status.WaitStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Every wait inside the engine registers here, naming what it waits for and who must make progress
 * for it to end (field report 5). Status shows the waits; the {@link #watchdogPass watchdog} logs any
 * that is older than the threshold, once per wait and threshold multiple, so a stuck engine explains
 * itself instead of sleeping silently.
 *
 * <p>Thread-safe. Registering and ending a wait cost one map insert and remove.
 */
public final class WaitRegistry {

    private static final System.Logger LOG = System.getLogger("io.cairn.engine.wait");

    /** A registered wait; close it when the wait ends (try-with-resources). */
    public final class Wait implements AutoCloseable {
        private final long id;
        private final String waiter;
        private final String waitsFor;
        private volatile String progressOwner;
        private final long sinceMillis;
        private long reportedMultiple; // guarded by the watchdog thread only

        private Wait(long id, String waiter, String waitsFor, String progressOwner, long sinceMillis) {
            this.id = id;
            this.waiter = waiter;
            this.waitsFor = waitsFor;
            this.progressOwner = progressOwner;
            this.sinceMillis = sinceMillis;
        }

        /** Records that another party is now responsible (for example the waiting thread itself). */
        public void progressOwner(String owner) {
            this.progressOwner = owner;
        }

        @Override
        public void close() {
            waits.remove(id);
        }
    }

    private final Map<Long, Wait> waits = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongSupplier clockMillis;

    /** A registry on the system clock. */
    public WaitRegistry() {
        this(System::currentTimeMillis);
    }

    /** A registry on a given clock (tests). */
    public WaitRegistry(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Registers a wait of the current thread. */
    public Wait begin(String waitsFor, String progressOwner) {
        long id = ids.incrementAndGet();
        Wait wait = new Wait(id, Thread.currentThread().getName(), waitsFor, progressOwner, clockMillis.getAsLong());
        waits.put(id, wait);
        return wait;
    }

    /** The current waits, longest first. */
    public List<WaitStatus> snapshot() {
        long now = clockMillis.getAsLong();
        List<WaitStatus> result = new ArrayList<>();
        for (Wait w : waits.values()) {
            result.add(new WaitStatus(w.waiter, w.waitsFor, w.progressOwner, now - w.sinceMillis));
        }
        result.sort(Comparator.comparingLong(WaitStatus::waitedMillis).reversed());
        return result;
    }

    /**
     * One watchdog pass: logs, at WARNING, each wait that has passed a new multiple of
     * {@code thresholdMillis}. Returns the lines logged (for tests and status).
     */
    public List<String> watchdogPass(long thresholdMillis) {
        long now = clockMillis.getAsLong();
        List<String> logged = new ArrayList<>();
        for (Wait w : waits.values()) {
            long multiple = (now - w.sinceMillis) / thresholdMillis;
            if (multiple > w.reportedMultiple) {
                w.reportedMultiple = multiple;
                String line = "thread " + w.waiter + " has waited " + (now - w.sinceMillis) + " ms for " + w.waitsFor
                        + "; progress owner: " + w.progressOwner;
                LOG.log(System.Logger.Level.WARNING, line);
                logged.add(line);
            }
        }
        return logged;
    }
}
