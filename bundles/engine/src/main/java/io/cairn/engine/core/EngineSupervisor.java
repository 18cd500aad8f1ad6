package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.engine.ComponentKind;
import io.cairn.engine.SwapFailedException;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.redo.RedoLogProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keeps a running engine in line with its configuration and with the parts on offer, one change at
 * a time, on its own thread ({@code cairn-engine-supervisor}). Whoever hosts the engine (the DS
 * component inside Felix) reports what it learns — a new configuration, a backend or policy that
 * came, went or changed its properties — and the supervisor works out what to do: open the engine
 * once the parts it needs are there, switch a backend, use another policy or durability, resize.
 *
 * <p>Why a thread of its own: a swap can take a while (a sync per file), and the calls that report
 * changes come from the framework, which must not be held up; and one thread applying everything
 * in order is what serialises configuration changes (SCR itself may deliver them out of order or
 * coalesce them, so the host re-reports the configuration it sees now and then, see
 * {@link Host#recheck()}).
 *
 * <p>What cannot be applied is reported, never silently dropped: a swap the new backend refused, a
 * setting that needs a restart, a filter nothing matches. {@link #problem()} says which, and the
 * engine's status shows it.
 */
public final class EngineSupervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.cairn.engine");
    private static final long RECHECK_MILLIS = 2000;

    /** A target filter from the configuration: its text (for messages) and its test. */
    public record Selector(String filter, Predicate<Map<String, Object>> matches) {
        public Selector {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(matches, "matches");
        }
    }

    /**
     * A configuration to apply.
     *
     * @param config the engine settings
     * @param dataBackend which backend serves data files
     * @param redoBackend which backend serves redo files
     * @param flushPolicy which policy plans the page cleaner's rounds (the built-in safe one when none matches)
     * @param problem why the configuration as given could not be used (then the other fields are the
     *     last usable ones), or null
     * @param noBackendWaitMillis how long I/O waits for a storage backend while none is available
     *     before it fails with "no storage backend available"
     * @param bufferPool which offered buffer pool implementation to use, or null for the host's
     */
    public record Wanted(EngineConfig config, Selector dataBackend, Selector redoBackend, Selector flushPolicy,
            String problem, long noBackendWaitMillis, Selector bufferPool, Selector redoLog) {

        /** With the host's redo log implementation ({@link Host#redoLog()}). */
        public Wanted(EngineConfig config, Selector dataBackend, Selector redoBackend, Selector flushPolicy,
                String problem, long noBackendWaitMillis, Selector bufferPool) {
            this(config, dataBackend, redoBackend, flushPolicy, problem, noBackendWaitMillis, bufferPool, null);
        }

        /** How long I/O waits for a backend when none is available, unless configured. */
        public static final long DEFAULT_NO_BACKEND_WAIT_MILLIS = 30_000;

        /** With the host's buffer pool ({@link Host#bufferPool()}) and the default wait. */
        public Wanted(EngineConfig config, Selector dataBackend, Selector redoBackend, Selector flushPolicy,
                String problem) {
            this(config, dataBackend, redoBackend, flushPolicy, problem, DEFAULT_NO_BACKEND_WAIT_MILLIS);
        }

        /** With the host's buffer pool ({@link Host#bufferPool()}). */
        public Wanted(EngineConfig config, Selector dataBackend, Selector redoBackend, Selector flushPolicy,
                String problem, long noBackendWaitMillis) {
            this(config, dataBackend, redoBackend, flushPolicy, problem, noBackendWaitMillis, null);
        }
    }

    /** What the host does for the supervisor; called on the supervisor's thread. */
    public interface Host {
        /** The buffer pool implementation when the configuration names none to choose from offers. */
        BufferPoolProvider bufferPool();

        /** The redo log implementation when the configuration names none to choose from offers. */
        RedoLogProvider redoLog();

        /** The engine opened: publish it. */
        void opened(CairnEngine engine);

        /** Opening failed; the message says why. The supervisor tries again when something changes. */
        void openFailed(String problem);

        /** What is applied now changed: for example update the published service properties. */
        void applied(Map<String, String> applied);

        /** Called every couple of seconds: re-report the configuration if it differs from the last one. */
        void recheck();
    }

    /** A part on offer: the service and its properties. */
    private record Offer<S>(long id, S service, Map<String, Object> properties, int ranking) {
    }

    private final Host host;
    private final Object lock = new Object();
    private final Map<Long, Offer<StorageBackend>> backends = new LinkedHashMap<>(); // guarded by lock
    private final Map<Long, Offer<FlushPolicy>> policies = new LinkedHashMap<>(); // guarded by lock
    private final Map<Long, Offer<BufferPoolProvider>> pools = new LinkedHashMap<>(); // guarded by lock
    private final Map<Long, Offer<RedoLogProvider>> redoLogs = new LinkedHashMap<>(); // guarded by lock
    private Wanted wanted; // guarded by lock
    private long generation; // guarded by lock: bumped by every report
    private long settledGeneration = -1; // guarded by lock: the last generation acted on
    private boolean closed; // guarded by lock
    private Thread thread;

    // Supervisor thread only:
    private CairnEngine engine;
    private long openFailedAtGeneration = -1;
    private Offer<StorageBackend> appliedData;
    private Offer<StorageBackend> appliedRedo;
    private Offer<FlushPolicy> appliedPolicy;
    private long appliedPoolBytes;
    private long appliedRedoBytes;
    private volatile String problem;
    private volatile Map<String, String> applied = Map.of();

    public EngineSupervisor(Host host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Starts the supervisor thread. */
    public void start() {
        synchronized (lock) {
            if (thread != null) {
                throw new IllegalStateException("the supervisor was already started");
            }
            thread = new Thread(this::run, "cairn-engine-supervisor");
            thread.setDaemon(true);
            thread.start();
        }
    }

    // ---------------------------------------------------------------------------- reports

    public void configure(Wanted next) {
        Objects.requireNonNull(next, "next");
        change(() -> wanted = next);
    }

    public void offerBackend(long id, StorageBackend backend, Map<String, Object> properties) {
        change(() -> backends.put(id, new Offer<>(id, backend, Map.copyOf(properties), ranking(properties))));
    }

    public void withdrawBackend(long id) {
        change(() -> backends.remove(id));
    }

    public void offerPolicy(long id, FlushPolicy policy, Map<String, Object> properties) {
        change(() -> policies.put(id, new Offer<>(id, policy, Map.copyOf(properties), ranking(properties))));
    }

    public void withdrawPolicy(long id) {
        change(() -> policies.remove(id));
    }

    public void offerPool(long id, BufferPoolProvider provider, Map<String, Object> properties) {
        change(() -> pools.put(id, new Offer<>(id, provider, Map.copyOf(properties), ranking(properties))));
    }

    public void withdrawPool(long id) {
        change(() -> pools.remove(id));
    }

    public void offerRedoLog(long id, RedoLogProvider provider, Map<String, Object> properties) {
        change(() -> redoLogs.put(id, new Offer<>(id, provider, Map.copyOf(properties), ranking(properties))));
    }

    public void withdrawRedoLog(long id) {
        change(() -> redoLogs.remove(id));
    }

    private void change(Runnable update) {
        synchronized (lock) {
            update.run();
            generation++;
            lock.notifyAll();
        }
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get("service.ranking") instanceof Integer ranking ? ranking : 0;
    }

    // ---------------------------------------------------------------------------- queries

    /** What could not be applied, or null. */
    public String problem() {
        return problem;
    }

    /** What is applied now: backend names per role, policy, durability. */
    public Map<String, String> applied() {
        return applied;
    }

    /** Waits (bounded) until every report so far has been acted on; for tests and commands. */
    public boolean awaitSettled(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (settledGeneration < generation && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    // ---------------------------------------------------------------------------- the thread

    private void run() {
        long seen = -1;
        long nextRecheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS);
        try {
            for (;;) {
                long current;
                synchronized (lock) {
                    while (!closed && generation == seen && System.nanoTime() < nextRecheck) {
                        long left = nextRecheck - System.nanoTime();
                        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, left));
                    }
                    if (closed) {
                        return;
                    }
                    current = generation;
                }
                if (System.nanoTime() >= nextRecheck) {
                    nextRecheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS);
                    try {
                        host.recheck();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "configuration recheck failed: " + e);
                    }
                }
                if (current != seen) {
                    try {
                        reconcile(current);
                    } catch (RuntimeException e) {
                        // A plug-in threw something unexpected: report it and keep supervising.
                        LOG.log(System.Logger.Level.ERROR, "applying the engine configuration failed: " + e);
                        problem = "applying the configuration failed: " + e;
                        report();
                    }
                    seen = current;
                    synchronized (lock) {
                        settledGeneration = current;
                        lock.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeEngine();
        }
    }

    private void reconcile(long current) {
        Wanted want;
        List<Offer<StorageBackend>> backendOffers;
        List<Offer<FlushPolicy>> policyOffers;
        List<Offer<BufferPoolProvider>> poolOffers;
        List<Offer<RedoLogProvider>> redoLogOffers;
        synchronized (lock) {
            want = wanted;
            backendOffers = new ArrayList<>(backends.values());
            policyOffers = new ArrayList<>(policies.values());
            poolOffers = new ArrayList<>(pools.values());
            redoLogOffers = new ArrayList<>(redoLogs.values());
        }
        if (want == null) {
            return; // no configuration yet
        }
        if (engine == null) {
            open(want, backendOffers, policyOffers, poolOffers, redoLogOffers, current);
            return;
        }
        List<String> problems = new ArrayList<>();
        if (want.problem() != null) {
            problems.add(want.problem());
        }
        // Runs only after a change, so a swap that failed before is tried again once something changed.
        appliedData = applyBackend(ComponentKind.DATA_BACKEND, "dataBackend.target", want.dataBackend(), backendOffers,
                appliedData, problems, want.noBackendWaitMillis());
        appliedRedo = applyBackend(ComponentKind.REDO_BACKEND, "redoBackend.target", want.redoBackend(), backendOffers,
                appliedRedo, problems, want.noBackendWaitMillis());
        Offer<FlushPolicy> policy = best(policyOffers, want.flushPolicy());
        if (!sameService(policy, appliedPolicy)) {
            engine.switchFlushPolicy(policy == null ? null : policy.service());
            appliedPolicy = policy;
        }
        if (policy == null && !policyOffers.isEmpty()) {
            problems.add("no flush policy matches flushPolicy.target=" + want.flushPolicy().filter()
                    + "; the built-in safe policy plans the rounds");
        }
        applyPool(want, poolOffers, problems);
        applyRedoLog(want, redoLogOffers, problems);
        EngineConfig config = want.config();
        if (engine.commitDurability() != config.commitDurability()) {
            engine.setCommitDurability(config.commitDurability());
        }
        if (config.bufferPoolSizeBytes() != appliedPoolBytes) {
            try {
                engine.resizeBufferPool(config.bufferPoolSizeBytes());
                appliedPoolBytes = config.bufferPoolSizeBytes();
            } catch (IOException | RuntimeException e) {
                problems.add("bufferPoolSizeMebibytes: " + e.getMessage());
            }
        }
        if (config.redoCapacityBytes() != appliedRedoBytes) {
            try {
                engine.resizeRedo(config.redoCapacityBytes());
                appliedRedoBytes = config.redoCapacityBytes();
            } catch (IOException | RuntimeException e) {
                problems.add("redoCapacityMebibytes: " + e.getMessage());
            }
        }
        List<String> needRestart = restartOnlyChanges(engine.config(), config);
        if (!needRestart.isEmpty()) {
            problems.add(String.join(", ", needRestart) + " changed; "
                    + (needRestart.size() == 1 ? "it takes" : "they take") + " effect at the next start");
        }
        problem = problems.isEmpty() ? null : String.join("; ", problems);
        engine.reportConfigurationProblem(problem);
        report();
    }

    private void open(Wanted want, List<Offer<StorageBackend>> backendOffers, List<Offer<FlushPolicy>> policyOffers,
            List<Offer<BufferPoolProvider>> poolOffers, List<Offer<RedoLogProvider>> redoLogOffers, long current) {
        if (openFailedAtGeneration == current) {
            return;
        }
        Offer<StorageBackend> data = best(backendOffers, want.dataBackend());
        Offer<StorageBackend> redo = best(backendOffers, want.redoBackend());
        if (data == null || redo == null) {
            problem = "waiting for a storage backend matching "
                    + (data == null ? "dataBackend.target=" + want.dataBackend().filter() : "")
                    + (data == null && redo == null ? " and " : "")
                    + (redo == null ? "redoBackend.target=" + want.redoBackend().filter() : "");
            LOG.log(System.Logger.Level.INFO, "the engine does not open yet: " + problem);
            return;
        }
        BufferPoolProvider poolProvider = want.bufferPool() == null ? host.bufferPool()
                : offeredForOpen(poolOffers, want.bufferPool(), "a buffer pool", "bufferPool.target");
        if (poolProvider == null) {
            return;
        }
        RedoLogProvider redoLogProvider = want.redoLog() == null ? host.redoLog()
                : offeredForOpen(redoLogOffers, want.redoLog(), "a redo log implementation", "redoLog.target");
        if (redoLogProvider == null) {
            return;
        }
        RedoLogProvider wantedRedoLog = redoLogProvider;
        // A home whose log another installed implementation holds is recovered with that one.
        java.util.function.Function<String, RedoLogProvider> redoLogByName = name -> {
            if (name.equals(wantedRedoLog.name())) {
                return wantedRedoLog;
            }
            return sorted(redoLogOffers).stream().map(Offer::service).filter(p -> name.equals(p.name())).findFirst()
                    .orElse(null);
        };
        Offer<FlushPolicy> policy = best(policyOffers, want.flushPolicy());
        CairnEngine opened;
        try {
            opened = CairnEngine.open(want.config(), new CairnEngine.Parts(data.service(), redo.service(),
                    poolProvider, redoLogProvider, policy == null ? null : policy.service(), redoLogByName));
        } catch (Exception e) {
            openFailedAtGeneration = current;
            problem = "the engine in " + want.config().home() + " did not start: " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, problem);
            host.openFailed(problem);
            return;
        }
        engine = opened;
        appliedData = data;
        appliedRedo = redo;
        appliedPolicy = policy;
        appliedPoolBytes = want.config().bufferPoolSizeBytes();
        appliedRedoBytes = want.config().redoCapacityBytes();
        problem = want.problem();
        opened.reportConfigurationProblem(problem);
        report();
        host.opened(opened);
    }

    /**
     * Moves a role's files to the best backend the filter matches, or when none does to the best
     * other one that takes them (a backend whose bundle stopped), reporting either way.
     */
    private Offer<StorageBackend> applyBackend(ComponentKind kind, String key, Selector selector,
            List<Offer<StorageBackend>> offers, Offer<StorageBackend> current, List<String> problems, long waitMillis) {
        Offer<StorageBackend> wantedOffer = best(offers, selector);
        List<Offer<StorageBackend>> candidates = new ArrayList<>();
        if (wantedOffer != null) {
            candidates.add(wantedOffer);
        } else {
            boolean currentStillOffered = current != null && offers.stream().anyMatch(o -> o.id() == current.id());
            if (currentStillOffered) {
                problems.add("no storage backend matches " + key + "=" + selector.filter() + "; "
                        + current.service().name() + " stays in use");
                return current;
            }
            candidates.addAll(sorted(offers));
            if (candidates.isEmpty()) {
                return standIn(kind, current, problems, waitMillis);
            }
        }
        if (current != null && sameService(candidates.get(0), current) && candidates.get(0).properties().equals(current.properties())) {
            return current; // nothing to do
        }
        for (Offer<StorageBackend> candidate : candidates) {
            if (current != null && current.service() instanceof AwaitedBackend awaited) {
                awaited.arrive(candidate.service()); // operations waiting for a backend go on through it
            }
            try {
                engine.switchBackend(kind, candidate.service());
                if (wantedOffer == null) {
                    LOG.log(System.Logger.Level.WARNING, "no storage backend matches " + key + "=" + selector.filter()
                            + " any more; " + role(kind) + " files moved to " + candidate.service().name());
                    problems.add("no storage backend matches " + key + "=" + selector.filter() + "; using "
                            + candidate.service().name() + " instead");
                }
                return candidate;
            } catch (SwapFailedException e) {
                if (wantedOffer != null) {
                    problems.add(key + "=" + selector.filter() + " is not applied: " + e.getMessage());
                    return current;
                }
            }
        }
        problems.add("no remaining storage backend takes the " + role(kind) + " files; "
                + (current == null ? "none" : current.service().name()) + " stays in use");
        return current;
    }

    /**
     * No backend at all: the files switch to a stand-in whose I/O waits for one to arrive (and
     * fails after {@code waitMillis}), so that the engine stays up and nothing is acknowledged
     * that is not on disk.
     */
    private Offer<StorageBackend> standIn(ComponentKind kind, Offer<StorageBackend> current, List<String> problems,
            long waitMillis) {
        String notice = "no storage backend available for " + role(kind) + " files; their I/O waits up to "
                + waitMillis + " ms for one to be installed, then fails";
        problems.add(notice);
        if (current != null && current.service() instanceof AwaitedBackend) {
            return current;
        }
        String gone = current == null ? "no backend" : "the service of backend '" + current.service().name() + "' went away";
        AwaitedBackend awaited = new AwaitedBackend(role(kind), gone, waitMillis);
        try {
            engine.switchBackend(kind, awaited);
        } catch (SwapFailedException e) {
            problems.add("the " + role(kind) + " files could not be detached from the departed backend: " + e.getMessage());
            return current;
        }
        LOG.log(System.Logger.Level.WARNING, gone + " and no other storage backend is installed: " + notice);
        return new Offer<>(-1, awaited, Map.of(), Integer.MIN_VALUE);
    }

    /**
     * Replaces the buffer pool implementation when the filter picks another provider than the one
     * in use (or the one in use went away and another is offered). Without any, the engine keeps
     * the pool it has.
     */
    private void applyPool(Wanted want, List<Offer<BufferPoolProvider>> offers, List<String> problems) {
        if (want.bufferPool() == null) {
            return;
        }
        String inUse = engine.active(ComponentKind.BUFFER_POOL);
        Offer<BufferPoolProvider> chosen = best(offers, want.bufferPool());
        if (chosen == null) {
            List<Offer<BufferPoolProvider>> others = sorted(offers);
            boolean currentOffered = offers.stream().anyMatch(o -> o.service().name().equals(inUse));
            if (currentOffered || others.isEmpty()) {
                problems.add("no buffer pool matches bufferPool.target=" + want.bufferPool().filter() + "; "
                        + inUse + " stays in use");
                return;
            }
            chosen = others.get(0);
            problems.add("no buffer pool matches bufferPool.target=" + want.bufferPool().filter() + "; using "
                    + chosen.service().name() + " instead");
        }
        if (chosen.service().name().equals(inUse)) {
            return;
        }
        try {
            engine.replaceBufferPool(chosen.service());
        } catch (IOException | RuntimeException e) {
            problems.add("bufferPool.target=" + want.bufferPool().filter() + " is not applied: " + e.getMessage());
        }
    }

    /** The best offer {@code selector} matches, or null with the wait reported as the problem. */
    private <S> S offeredForOpen(List<Offer<S>> offers, Selector selector, String what, String key) {
        Offer<S> offered = best(offers, selector);
        if (offered == null) {
            problem = "waiting for " + what + " matching " + key + "=" + selector.filter();
            LOG.log(System.Logger.Level.INFO, "the engine does not open yet: " + problem);
            return null;
        }
        return offered.service();
    }

    /**
     * Hands the log over to the implementation {@code redoLog.target} selects. One that does not
     * match stays in use: unlike a buffer pool, the log is not handed to whatever else is installed.
     */
    private void applyRedoLog(Wanted want, List<Offer<RedoLogProvider>> offers, List<String> problems) {
        if (want.redoLog() == null) {
            return;
        }
        String inUse = engine.active(ComponentKind.REDO_LOG);
        Offer<RedoLogProvider> chosen = best(offers, want.redoLog());
        if (chosen == null) {
            problems.add("no redo log implementation matches redoLog.target=" + want.redoLog().filter() + "; " + inUse
                    + " stays in use");
            return;
        }
        if (chosen.service().name().equals(inUse)) {
            return;
        }
        try {
            engine.replaceRedoLog(chosen.service());
        } catch (IOException | RuntimeException e) {
            problems.add("redoLog.target=" + want.redoLog().filter() + " is not applied: " + e.getMessage());
        }
    }

    private static String role(ComponentKind kind) {
        return kind == ComponentKind.DATA_BACKEND ? "data" : "redo";
    }

    private static <S> Offer<S> best(List<Offer<S>> offers, Selector selector) {
        for (Offer<S> offer : sorted(offers)) {
            if (selector.matches().test(offer.properties())) {
                return offer;
            }
        }
        return null;
    }

    /** By service ranking, highest first, then oldest first (as the framework orders services). */
    private static <S> List<Offer<S>> sorted(List<Offer<S>> offers) {
        List<Offer<S>> sorted = new ArrayList<>(offers);
        sorted.sort(Comparator.comparingInt((Offer<S> o) -> -o.ranking()).thenComparingLong(Offer::id));
        return sorted;
    }

    private static boolean sameService(Offer<?> a, Offer<?> b) {
        return a == null ? b == null : b != null && a.service() == b.service();
    }

    /** Settings that only take effect when the engine opens. */
    static List<String> restartOnlyChanges(EngineConfig opened, EngineConfig now) {
        List<String> changed = new ArrayList<>();
        if (!opened.home().equals(now.home())) {
            changed.add("home");
        }
        if (now.pageSizeBytes() != 0 && now.pageSizeBytes() != opened.pageSizeBytes()) {
            changed.add("pageSizeKibibytes");
        }
        if (opened.doublewrite() != now.doublewrite()) {
            changed.add("doublewrite");
        }
        if (opened.cleanerIntervalMillis() != now.cleanerIntervalMillis()) {
            changed.add("cleanerIntervalMillis");
        }
        if (opened.ioCapacityPagesPerSecond() != now.ioCapacityPagesPerSecond()) {
            changed.add("ioCapacityPagesPerSecond");
        }
        if (opened.ioCapacityMaxPagesPerSecond() != now.ioCapacityMaxPagesPerSecond()) {
            changed.add("ioCapacityMaxPagesPerSecond");
        }
        if (opened.watchdogThresholdMillis() != now.watchdogThresholdMillis()) {
            changed.add("watchdogThresholdMillis");
        }
        if (opened.bufferPoolInstances() != now.bufferPoolInstances()) {
            changed.add("bufferPoolInstances");
        }
        if (opened.pageCleanerThreads() != now.pageCleanerThreads()) {
            changed.add("pageCleanerThreads");
        }
        return changed;
    }

    private void report() {
        Map<String, String> now = new LinkedHashMap<>();
        if (engine != null) {
            now.put("dataBackend", appliedData == null ? "none" : appliedData.service().name());
            now.put("redoBackend", appliedRedo == null ? "none" : appliedRedo.service().name());
            now.put("flushPolicy", appliedPolicy == null ? SafeFlushPolicy.NAME : appliedPolicy.service().name());
            now.put("commitDurability", engine.commitDurability().name());
            now.put("bufferPool", engine.active(ComponentKind.BUFFER_POOL));
            now.put("redoLog", engine.active(ComponentKind.REDO_LOG));
        }
        applied = Map.copyOf(now);
        host.applied(applied);
    }

    // ---------------------------------------------------------------------------- close

    /** Stops the thread and closes the engine (flushing everything); waits for an open in progress. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            running = thread;
        }
        if (running == null) {
            return;
        }
        long startedMillis = System.currentTimeMillis();
        boolean interrupted = false;
        while (running.isAlive()) {
            try {
                running.join(5000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (running.isAlive()) {
                // Recovery cannot be abandoned halfway; say what the stop waits for.
                LOG.log(System.Logger.Level.INFO, "stopping: waiting for the engine to finish opening or a swap to end ("
                        + (System.currentTimeMillis() - startedMillis) / 1000 + " s so far)");
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeEngine() {
        CairnEngine running = engine;
        engine = null;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "the engine in " + running.home() + " did not close cleanly: "
                        + e.getMessage() + "; the next start recovers from redo");
            }
        }
    }
}
