package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoStats;
import io.cairn.status.HardLimit;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The background flusher, in rounds: serve the standing flush request, flush by the I/O budget,
 * flush harder near the redo limit (past the adaptive point of {@link RedoSpace} at the maximum
 * budget, past its sync point synchronously and without a cap), advance the checkpoint, run the wait watchdog. One named
 * thread; stoppable; an exception in a round is logged (at most once a minute) and the next round
 * runs, so nothing stops the cleaner.
 *
 * <p>Flush policies (issue #5) will decide the budget of ordinary rounds; the redo-limit stages
 * here are the engine's hard limits and stay whatever a policy says.
 */
final class PageCleaner {

    private static final System.Logger LOG = System.getLogger("io.cairn.engine.cleaner");
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final CairnEngine engine;
    private final EngineConfig config;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastErrorLogNanos = System.nanoTime() - ERROR_LOG_INTERVAL_NANOS;
    private final LongAdder rounds = new LongAdder();
    private volatile Set<HardLimit> lastLimits = Set.of();

    PageCleaner(CairnEngine engine, EngineConfig config) {
        this.engine = engine;
        this.config = config;
        this.thread = new Thread(this::run, "cairn-page-cleaner");
        this.thread.setDaemon(true);
        engine.flushRequests().onRequest(() -> LockSupport.unpark(thread));
    }

    void start() {
        thread.start();
    }

    /** Stops the thread and waits for it (bounded). */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            long pauseMillis = config.cleanerIntervalMillis();
            try {
                pauseMillis = round();
            } catch (Throwable t) {
                long now = System.nanoTime();
                if (now - lastErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
                    lastErrorLogNanos = now;
                    LOG.log(System.Logger.Level.ERROR, "page cleaner round failed (the cleaner continues): " + t, t);
                }
            }
            if (running && pauseMillis > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
        }
    }

    /** One round; returns how long to pause before the next. */
    private long round() throws Exception {
        BufferPool pool = engine.pool();
        RedoLog redo = engine.redo();
        RedoSpace space = engine.redoSpace();
        RedoStats stats = redo.stats();
        long capacity = redo.capacityBytes();
        long age = stats.currentLsn() - stats.checkpointLsn();
        long interval = config.cleanerIntervalMillis();
        long budget = config.ioCapacityPagesPerSecond() * interval / 1000;
        long lsnLimit = Long.MAX_VALUE;
        long pause = interval;
        Set<HardLimit> limits = EnumSet.noneOf(HardLimit.class);
        if (age > space.syncFlushAgeBytes(capacity)) {
            // Sync flushing: bring the age back under the adaptive point, whatever the budget.
            lsnLimit = stats.currentLsn() - space.adaptiveAgeBytes(capacity);
            budget = Long.MAX_VALUE;
            pause = 0;
            limits.add(HardLimit.REDO_SYNC_FLUSH);
        } else if (age > space.adaptiveAgeBytes(capacity)) {
            budget = config.ioCapacityMaxPagesPerSecond() * interval / 1000;
            pause = interval / 4;
        }
        long requested = engine.flushRequests().target();
        long oldest = pool.oldestModificationLsn();
        if (requested > 0 && oldest != 0 && oldest < requested) {
            pool.flushList(Long.MAX_VALUE, requested);
            limits.add(HardLimit.URGENT_WAITER);
        }
        pool.flushList(Math.max(1, budget), lsnLimit);
        engine.checkpointNow();
        engine.flushRequests().cleanerRoundDone();
        engine.waits().watchdogPass(config.watchdogThresholdMillis());
        lastLimits = Set.copyOf(limits);
        rounds.increment();
        return pause;
    }

    /** Rounds completed since start. */
    long rounds() {
        return rounds.sum();
    }

    /** The hard limits the latest round enforced. */
    Set<HardLimit> lastLimits() {
        return lastLimits;
    }
}
