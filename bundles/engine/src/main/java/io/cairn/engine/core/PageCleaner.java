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
import java.io.IOException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The background flusher, in rounds: ask the bound flush policy for a plan, apply the hard limits
 * over it (plan size cap, free-frame floor, sync flushing past the redo sync point, urgent
 * flushing for waiters), write the pages, advance the checkpoint, run the wait watchdog. A named
 * coordinator thread, stoppable; an exception in a round is logged (at most once a minute) and
 * the next round runs, so nothing stops the cleaner.
 *
 * <p>The writes of a round go to {@link FlushWorkers}: when the buffer pool divides into flush
 * partitions (instances), each partition is flushed by one thread at a time, the coordinator
 * among them, with the round's page budget split over the partitions.
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
    /** Passes over the partitions that still have pages below the limit, before a round gives up its budget's rest. */
    private static final int MAX_FLUSH_PASSES = 4;

    private final LongAdder rounds = new LongAdder();
    private final Map<HardLimit, LongAdder> roundsWithLimit = new EnumMap<>(HardLimit.class);
    private final PolicyRunner policies;
    private final FlushWorkers workers;
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
        // The coordinator is one of the threads, as in InnoDB; more threads than partitions would idle.
        int threads = Math.min(config.pageCleanerThreads(), engine.pool().flushPartitions());
        this.workers = new FlushWorkers(Math.max(0, threads - 1), engine.waits());
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
        workers.close();
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
            flushList(pool, Long.MAX_VALUE, requested);
            limits.add(HardLimit.URGENT_WAITER);
        }
        if (flushListPages > 0) {
            flushList(pool, flushListPages, lsnLimit);
        }
        if (lruPages > 0) {
            flushLru(pool, lruPages);
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

    /**
     * Writes up to {@code maxPages} pages below {@code lsnLimit}, oldest first within each
     * partition, the partitions in parallel. The budget is split evenly (as InnoDB splits it over
     * instances); what a partition with fewer such pages leaves unused goes to the others in a
     * further pass.
     *
     * @return pages written
     */
    private long flushList(BufferPool pool, long maxPages, long lsnLimit) throws IOException {
        int partitions = pool.flushPartitions();
        if (partitions == 1 || workers.workerThreads() == 0) {
            return pool.flushList(maxPages, lsnLimit);
        }
        int[] active = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            active[p] = p;
        }
        int activeCount = partitions;
        long remaining = maxPages;
        long written = 0;
        for (int pass = 0; pass < MAX_FLUSH_PASSES && remaining > 0 && activeCount > 0; pass++) {
            // An exact split: the first (remaining % active) partitions take one page more.
            int count = (int) Math.min(activeCount, remaining);
            long[] quota = new long[count];
            for (int i = 0; i < count; i++) {
                quota[i] = remaining == Long.MAX_VALUE ? Long.MAX_VALUE
                        : remaining / count + (i < remaining % count ? 1 : 0);
            }
            long[] wrote = new long[count];
            int[] these = java.util.Arrays.copyOf(active, count);
            long sum = workers.run(count, i -> wrote[i] = pool.flushList(these[i], quota[i], lsnLimit));
            written += sum;
            if (remaining == Long.MAX_VALUE) {
                break; // every partition was flushed down to the limit
            }
            remaining -= Math.min(remaining, sum);
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (wrote[i] >= quota[i]) {
                    active[kept++] = these[i]; // may have more pages below the limit
                }
            }
            for (int i = count; i < activeCount; i++) {
                active[kept++] = active[i]; // had no share this pass
            }
            activeCount = kept;
        }
        return written;
    }

    /** Frees up to {@code maxPages} frames from the LRU tails, the budget split evenly over the partitions. */
    private long flushLru(BufferPool pool, long maxPages) throws IOException {
        int partitions = pool.flushPartitions();
        if (partitions == 1 || workers.workerThreads() == 0) {
            return pool.flushLru(maxPages);
        }
        int count = (int) Math.min(partitions, maxPages);
        // With fewer pages than partitions, the partitions take turns round by round.
        int first = (int) (roundNo % partitions);
        return workers.run(count, i -> pool.flushLru((first + i) % partitions,
                maxPages / count + (i < maxPages % count ? 1 : 0)));
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
