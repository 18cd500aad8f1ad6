package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;
import io.cairn.status.FlushStatus;
import io.cairn.redo.RedoLog;
import io.cairn.status.HardLimit;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
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
    private static final int PLAN_CAP_FACTOR = 4;
    private static final int HISTOGRAM_BUCKETS = 16;
    private static final long POLICY_TIME_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LongAdder rounds = new LongAdder();
    private final Map<HardLimit, LongAdder> roundsWithLimit = new EnumMap<>(HardLimit.class);
    private final PolicyRunner policies;
    private volatile Set<HardLimit> lastLimits = Set.of();
    private volatile FlushPlan lastPlan;
    // The rest is the cleaner thread's own.
    private long roundNo;
    private long lastRoundMillis;
    private long lastRoundLsn;
    private long lastRoundPagesWritten;
    private double lsnAvgRate;
    private double pageAvgRate;
    private int averagingRounds = FlushPolicy.DEFAULT_AVERAGING_ROUNDS; // cleaner thread only

    PageCleaner(CairnEngine engine, EngineConfig config, FlushPolicy policy) {
        this.engine = engine;
        this.config = config;
        this.policies = new PolicyRunner(policy, System::currentTimeMillis);
        for (HardLimit limit : HardLimit.values()) {
            roundsWithLimit.put(limit, new LongAdder());
        }
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
        policies.close();
    }

    private void run() {
        while (running) {
            long pauseMillis = config.cleanerIntervalMillis();
            try {
                pauseMillis = round();
            } catch (Throwable t) {
                engine.flushRequests().cleanerRoundFailed();
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
        FlushState state = state(pool, redo, space);
        PolicyRunner.Outcome outcome = policies.plan(state);
        FlushPlan plan = outcome.plan();
        averagingRounds = outcome.averagingRounds();
        Set<HardLimit> limits = EnumSet.noneOf(HardLimit.class);
        if (outcome.replaced()) {
            limits.add(HardLimit.POLICY_REPLACED);
        }
        long flushListPages = plan.flushListPages();
        long lruPages = plan.lruPages();
        long lsnLimit = plan.lsnLimit();
        FlushUrgency urgency = plan.urgency();

        long intervalMillis = Math.max(state.sinceLastRoundMillis(), config.cleanerIntervalMillis());
        long capPages = Math.max(64, config.ioCapacityMaxPagesPerSecond() * intervalMillis / 1000 * PLAN_CAP_FACTOR);
        if (flushListPages + lruPages > capPages) {
            // Keep the proportions: the cap limits how much one round may write, not what kind.
            double scale = (double) capPages / (flushListPages + lruPages);
            flushListPages = (long) (flushListPages * scale);
            lruPages = (long) (lruPages * scale);
            limits.add(HardLimit.PLAN_SIZE_CAP);
        }
        long floor = freeFrameFloor(state.poolPages());
        if (state.freePages() < floor && state.lruPages() > 0) {
            lruPages = Math.max(lruPages, floor - state.freePages());
            limits.add(HardLimit.FREE_FRAME_FLOOR);
        }
        if (state.redoAgeBytes() > state.syncFlushAgeBytes()) {
            // Not capped by any budget: past this point writers are about to wait for redo space.
            flushListPages = Long.MAX_VALUE;
            lsnLimit = Math.min(lsnLimit, Math.max(1, state.currentLsn() - state.asyncFlushAgeBytes()));
            urgency = FlushUrgency.SYNC;
            limits.add(HardLimit.REDO_SYNC_FLUSH);
        }
        long requested = engine.flushRequests().target();
        long oldest = pool.oldestModificationLsn();
        if (requested > 0 && oldest != 0 && oldest < requested) {
            pool.flushList(Long.MAX_VALUE, requested);
            limits.add(HardLimit.URGENT_WAITER);
        }
        if (flushListPages > 0) {
            pool.flushList(flushListPages, lsnLimit);
        }
        if (lruPages > 0) {
            pool.flushLru(lruPages);
        }
        engine.checkpointNow();
        engine.flushRequests().cleanerRoundDone();
        engine.waits().watchdogPass(config.watchdogThresholdMillis());
        lastPlan = new FlushPlan(Math.min(flushListPages, state.dirtyPages()), lruPages, lsnLimit, urgency,
                limits.isEmpty() ? plan.reason() : plan.reason() + "; hard limits " + limits);
        lastLimits = Set.copyOf(limits);
        for (HardLimit limit : limits) {
            roundsWithLimit.get(limit).increment();
        }
        rounds.increment();
        return switch (urgency) {
            case SYNC -> 0;
            case ELEVATED -> config.cleanerIntervalMillis() / 4;
            default -> config.cleanerIntervalMillis();
        };
    }

    /** The snapshot the policy plans from, with the rates measured since the previous round. */
    private FlushState state(BufferPool pool, RedoLog redo, RedoSpace space) {
        long nowMillis = System.currentTimeMillis();
        BufferPoolStats stats = pool.stats();
        long capacity = redo.capacityBytes();
        // Only what is on the flush list counts: a commit between its redo append and its flush-list
        // insertion is not yet a dirty page.
        long current = Math.min(redo.currentLsn(), engine.commits().oldestInFlight());
        long oldest = pool.oldestModificationLsn();
        if (oldest == 0 || oldest > current) {
            oldest = current;
        }
        roundNo++;
        long sinceMillis = roundNo == 1 ? 0 : Math.max(0, nowMillis - lastRoundMillis);
        double seconds = sinceMillis / 1000.0;
        double lsnRate = seconds > 0 ? Math.max(0, current - lastRoundLsn) / seconds : 0;
        double flushRate = seconds > 0 ? Math.max(0, stats.pagesWritten() - lastRoundPagesWritten) / seconds : 0;
        // InnoDB averages over innodb_flushing_avg_loops rounds; an exponential average over as many
        // rounds needs no window and weighs old rounds out the same way. The window is the bound
        // policy's answer of the previous round.
        lsnAvgRate = roundNo == 1 ? lsnRate : lsnAvgRate + (lsnRate - lsnAvgRate) / averagingRounds;
        pageAvgRate = roundNo == 1 ? flushRate : pageAvgRate + (flushRate - pageAvgRate) / averagingRounds;
        boolean active = roundNo > 1 && current != lastRoundLsn;
        lastRoundMillis = nowMillis;
        lastRoundLsn = current;
        lastRoundPagesWritten = stats.pagesWritten();
        return new FlushState(roundNo, sinceMillis, active, stats.totalFrames(), stats.dirtyPages(), stats.freeFrames(),
                stats.lruPages(), current, oldest, redo.checkpointLsn(), capacity, space.adaptiveAgeBytes(capacity),
                space.syncFlushAgeBytes(capacity), lsnRate, lsnAvgRate, flushRate, pageAvgRate,
                config.ioCapacityPagesPerSecond(), config.ioCapacityMaxPagesPerSecond(),
                pool.dirtyHistogram(HISTOGRAM_BUCKETS), POLICY_TIME_BUDGET_NANOS);
    }

    /** Free frames readers need at least: 1% of the pool, at least 16 (InnoDB's LRU scan keeps a similar reserve). */
    static long freeFrameFloor(long poolPages) {
        return Math.min(poolPages, Math.max(16, poolPages / 100));
    }

    /** Binds a flush policy (null for the built-in safe one); the next round uses it. */
    void bind(FlushPolicy policy) {
        policies.bind(policy);
    }

    /** The page cleaner's part of status. */
    FlushStatus status() {
        return new FlushStatus(policies.policyName(), lastPlan, lastLimits, policies.failures(), policies.lastFailure(),
                rounds.sum());
    }

    /** Rounds completed since start. */
    long rounds() {
        return rounds.sum();
    }

    /** How many rounds enforced {@code limit}. */
    long roundsWith(HardLimit limit) {
        return roundsWithLimit.get(limit).sum();
    }

    /** The hard limits the latest round enforced. */
    Set<HardLimit> lastLimits() {
        return lastLimits;
    }
}
