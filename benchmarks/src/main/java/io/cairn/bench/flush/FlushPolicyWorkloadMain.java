package io.cairn.bench.flush;

import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.engine.core.CairnEngine;
import io.cairn.engine.core.DoublewriteMode;
import io.cairn.engine.core.EngineConfig;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.adaptive.AdaptiveFlushPolicy;
import io.cairn.flush.fixed.FixedFlushPolicy;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.log.CairnRedoLogProvider;
import io.cairn.status.EngineStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A sustained update workload on an embedded engine whose tablespace is several times its buffer
 * pool, under one flush policy, recorded second by second (issue #5): commits, dirty share, redo
 * (checkpoint) age, redo pressure stage, writers blocked at the redo limit, pages written.
 *
 * <p>Two modes:
 * <pre>
 * # one run: CSV per second, Markdown summary on stdout (and --md), optional single-run plot
 * java -Djava.awt.headless=true -cp benchmarks/target/cairn-benchmarks.jar io.cairn.bench.flush.FlushPolicyWorkloadMain \
 *     --policy adaptive|fixed [--seconds 600] [--warmup-seconds 60] [--threads 4] [--rate COMMITS_PER_S]
 *     [--dir /var/tmp/cairn-flush-bench] [--csv FILE] [--md FILE] [--png FILE] [more, see usage()]
 *
 * # runs side by side: one plot with every run's lines, Markdown with both runs' tables
 * java -Djava.awt.headless=true -cp ... FlushPolicyWorkloadMain --compare adaptive.csv fixed.csv --png out.png [--md out.md]
 * </pre>
 *
 * <p>The access pattern has a hot set (by default half the pool, 90% of the page picks) and a
 * uniform rest over the whole tablespace. With uniform picks alone, LRU eviction writes each dirty
 * page soon after it is changed and keeps the redo age small whatever the policy does; the hot
 * pages stay young in the LRU list, are re-dirtied again and again and never evicted, so only the
 * page cleaner's flush-list flushing can move the checkpoint past them, and that is the part a flush
 * policy decides. The cold picks keep the load larger than the pool (misses, evictions, reads).
 */
public final class FlushPolicyWorkloadMain {

    private static final int PAGE_SIZE_BYTES = 16 << 10;
    private static final String TABLESPACE = "flushbench";
    /** Allocations per mini-transaction while pre-allocating: few redo groups, few latches held. */
    private static final int ALLOCATE_PAGES_PER_MTR = 64;

    private FlushPolicyWorkloadMain() {
    }

    /** Everything a run is configured with. */
    record Settings(Path dir, String policy, int seconds, int warmupSeconds, int threads, double rateCommitsPerSecond,
            long poolBytes, long spaceBytes, long redoCapacityBytes, CommitDurability durability, int maxPagesPerMtr,
            int bytesPerPage, long hotPages, int hotAccessPct, long ioCapacityPagesPerSecond,
            long ioCapacityMaxPagesPerSecond, long fixedPagesPerSecond, int poolInstances, int cleanerThreads) {

        long spacePages() {
            return spaceBytes / PAGE_SIZE_BYTES;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || has(args, "--help")) {
            System.err.println(usage());
            System.exit(args.length == 0 ? 2 : 0);
        }
        int compareAt = Arrays.asList(args).indexOf("--compare");
        if (compareAt >= 0) {
            compare(args, compareAt);
            return;
        }
        Settings settings = settings(args);
        RunRecord run = run(settings);
        Path csv = Path.of(option(args, "--csv", "/tmp/cairn-flush-" + settings.policy() + ".csv"));
        run.write(csv);
        System.err.println("== wrote " + csv);
        String markdown = FlushReport.markdown(List.of(run));
        System.out.println(markdown);
        String md = option(args, "--md", null);
        if (md != null) {
            Files.writeString(Path.of(md), markdown, StandardCharsets.UTF_8);
        }
        String png = option(args, "--png", null);
        if (png != null) {
            FlushPlot.write(List.of(run), Path.of(png));
        }
    }

    private static void compare(String[] args, int compareAt) throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = compareAt + 1; i < args.length && !args[i].startsWith("--"); i++) {
            runs.add(RunRecord.read(Path.of(args[i])));
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("--compare needs at least one CSV file written by a run");
        }
        String markdown = FlushReport.markdown(runs);
        System.out.println(markdown);
        String md = option(args, "--md", null);
        if (md != null) {
            Files.writeString(Path.of(md), markdown, StandardCharsets.UTF_8);
        }
        String png = option(args, "--png", null);
        if (png != null) {
            FlushPlot.write(runs, Path.of(png));
            System.err.println("== wrote " + png);
        }
    }

    static Settings settings(String[] args) {
        long poolBytes = Long.parseLong(option(args, "--pool-mib", "64")) << 20;
        long poolPages = poolBytes / PAGE_SIZE_BYTES;
        long ioCapacity = Long.parseLong(option(args, "--io-capacity", "200"));
        Settings s = new Settings(
                Path.of(option(args, "--dir", "/var/tmp/cairn-flush-bench")),
                option(args, "--policy", "adaptive"),
                Integer.parseInt(option(args, "--seconds", "600")),
                Integer.parseInt(option(args, "--warmup-seconds", "60")),
                Integer.parseInt(option(args, "--threads", "4")),
                Double.parseDouble(option(args, "--rate", "0")),
                poolBytes,
                Long.parseLong(option(args, "--space-mib", "256")) << 20,
                Long.parseLong(option(args, "--redo-mib", "64")) << 20,
                CommitDurability.parse("--durability", option(args, "--durability", "1")),
                Integer.parseInt(option(args, "--pages-per-mtr", "4")),
                Integer.parseInt(option(args, "--bytes-per-page", "200")),
                Long.parseLong(option(args, "--hot-pages", String.valueOf(poolPages / 2))),
                Integer.parseInt(option(args, "--hot-access-pct", "90")),
                ioCapacity,
                Long.parseLong(option(args, "--io-capacity-max", "2000")),
                Long.parseLong(option(args, "--fixed-pages-per-second", String.valueOf(ioCapacity))),
                Integer.parseInt(option(args, "--pool-instances", "0")),
                Integer.parseInt(option(args, "--cleaner-threads", String.valueOf(EngineConfig.DEFAULT_PAGE_CLEANER_THREADS))));
        if (!s.policy().equals(AdaptiveFlushPolicy.NAME) && !s.policy().equals(FixedFlushPolicy.NAME)) {
            throw new IllegalArgumentException("--policy must be adaptive or fixed, was " + s.policy());
        }
        if (s.spacePages() < 2 * s.maxPagesPerMtr() || s.hotPages() < s.maxPagesPerMtr()
                || s.hotPages() >= s.spacePages() || s.maxPagesPerMtr() < 1 || s.threads() < 1) {
            throw new IllegalArgumentException("inconsistent sizes: " + s);
        }
        return s;
    }

    // ------------------------------------------------------------------ one run

    static RunRecord run(Settings s) throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("policy", s.policy());
        meta.put("started", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19));
        meta.put("load_average_at_start", loadAverage());
        deleteRecursively(s.dir());
        Files.createDirectories(s.dir());
        meta.put("dir", s.dir() + " (" + Files.getFileStore(s.dir()).type() + ")");
        meta.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs, kernel " + System.getProperty("os.version")
                + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));

        FlushPolicy policy = s.policy().equals(AdaptiveFlushPolicy.NAME) ? new AdaptiveFlushPolicy()
                : new FixedFlushPolicy(s.fixedPagesPerSecond());
        meta.put("policy_settings", policy.describe());
        EngineConfig defaults = EngineConfig.defaults(s.dir());
        // Doublewrite ON rather than AUTO: the write path must cost the same on every file system.
        EngineConfig config = new EngineConfig(s.dir(), PAGE_SIZE_BYTES, s.poolBytes(), s.redoCapacityBytes(),
                s.durability(), DoublewriteMode.ON, defaults.cleanerIntervalMillis(), s.ioCapacityPagesPerSecond(),
                s.ioCapacityMaxPagesPerSecond(), defaults.watchdogThresholdMillis(), s.poolInstances(), s.cleanerThreads());
        BufferedStorageBackend backend = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        CairnEngine.Parts parts = new CairnEngine.Parts(backend, backend, new LruBufferPoolProvider(), new CairnRedoLogProvider(), policy);
        putSettings(meta, s, config);

        WriterCounters counters = new WriterCounters();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        WorkloadSampler sampler;
        long closeMillis;
        try (CairnEngine engine = CairnEngine.open(config, parts)) {
            Tablespace space = preallocate(engine, s.spacePages());
            meta.put("tablespace_pages", String.valueOf(space.sizePages()));
            EngineStatus before = engine.engineStatus();
            meta.put("policy_in_status", before.flush().policyName());
            if (!before.flush().policyName().equals(s.policy())) {
                throw new IllegalStateException("the engine runs policy " + before.flush().policyName() + ", not "
                        + s.policy());
            }

            Workload workload = new Workload(engine, space, s, counters, failure);
            for (int i = 0; i < s.threads(); i++) {
                Thread t = new Thread(workload.writer(i), "flush-bench-writer-" + i);
                t.setDaemon(true);
                writers.add(t);
            }
            sampler = new WorkloadSampler(engine, counters, -s.warmupSeconds(), s.seconds() - 1);
            Thread samplerThread = new Thread(sampler, "flush-bench-sampler");
            System.err.printf(Locale.ROOT, "== %s: %d writer(s), %s, %d s warm-up, %d s measured%n", policy.describe(),
                    s.threads(), s.rateCommitsPerSecond() > 0 ? s.rateCommitsPerSecond() + " commits/s" : "unthrottled",
                    s.warmupSeconds(), s.seconds());
            writers.forEach(Thread::start);
            samplerThread.start();
            Thread progress = progressPrinter(sampler, samplerThread);
            while (samplerThread.isAlive()) {
                samplerThread.join(1000);
                if (failure.get() != null) {
                    samplerThread.interrupt(); // no point measuring a workload that stopped
                }
            }
            progress.interrupt();
            workload.stop();
            for (Thread t : writers) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            EngineStatus after = engine.engineStatus();
            meta.put("policy_failures", String.valueOf(after.flush().policyFailures()));
            meta.put("cleaner_rounds", String.valueOf(after.flush().rounds()));
            long closeStart = System.nanoTime();
            engine.close();
            closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed", failure.get());
        }
        meta.put("close_ms", String.valueOf(closeMillis));
        meta.put("load_average_at_end", loadAverage());
        List<SecondSample> samples = sampler.samples();
        meta.put("warmup_seconds_blocked", String.valueOf(samples.stream().filter(x -> x.second() < 0)
                .filter(SecondSample::blocked).count()));
        meta.put("redo_space_waits_seen_total", String.valueOf(sampler.redoSpaceWaitsTotal()));
        return new RunRecord(meta, samples);
    }

    private static void putSettings(Map<String, String> meta, Settings s, EngineConfig config) {
        meta.put("seconds", String.valueOf(s.seconds()));
        meta.put("warmup_seconds", String.valueOf(s.warmupSeconds()));
        meta.put("threads", String.valueOf(s.threads()));
        meta.put("rate_commits_per_s", s.rateCommitsPerSecond() > 0 ? String.valueOf(s.rateCommitsPerSecond())
                : "unthrottled");
        meta.put("pool_bytes", String.valueOf(s.poolBytes()));
        meta.put("space_bytes", String.valueOf(s.spaceBytes()));
        meta.put("page_size_bytes", String.valueOf(PAGE_SIZE_BYTES));
        meta.put("redo_capacity_bytes", String.valueOf(s.redoCapacityBytes()));
        meta.put("durability", s.durability().name());
        meta.put("doublewrite", config.doublewrite().name());
        meta.put("backend", "buffered (fdatasync)");
        meta.put("pages_per_mtr", "1-" + s.maxPagesPerMtr());
        meta.put("bytes_per_page", String.valueOf(s.bytesPerPage()));
        meta.put("hot_pages", String.valueOf(s.hotPages()));
        meta.put("hot_access_pct", String.valueOf(s.hotAccessPct()));
        meta.put("io_capacity", s.ioCapacityPagesPerSecond() + "/" + s.ioCapacityMaxPagesPerSecond());
        meta.put("pool_instances", s.poolInstances() == 0 ? "auto" : String.valueOf(s.poolInstances()));
        meta.put("cleaner_threads", String.valueOf(s.cleanerThreads()));
        RedoLimits limits = RedoLimits.of(s.redoCapacityBytes(), PAGE_SIZE_BYTES);
        meta.put("adaptive_age_bytes", String.valueOf(limits.adaptiveAgeBytes()));
        meta.put("sync_flush_age_bytes", String.valueOf(limits.syncFlushAgeBytes()));
        meta.put("free_check_limit_bytes", String.valueOf(limits.freeCheckLimitBytes()));
    }


    /**
     * Creates the tablespace and allocates every page, so that the measured part never extends a
     * file; checkpoints every quarter pool, so that the allocation is flushed in cleaner batches
     * rather than one page at a time by evictions.
     */
    private static Tablespace preallocate(CairnEngine engine, long spacePages) throws IOException {
        long startNanos = System.nanoTime();
        Tablespace space = engine.createTablespace(TABLESPACE);
        long poolPages = engine.engineStatus().bufferPool().totalFrames();
        long allocated = space.firstUserPageNo();
        long sinceCheckpoint = 0;
        while (allocated < spacePages) {
            int batch = (int) Math.min(ALLOCATE_PAGES_PER_MTR, spacePages - allocated);
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < batch; i++) {
                    mtr.allocatePage(space);
                }
                mtr.commit(CommitDurability.PERIODIC);
            }
            allocated += batch;
            sinceCheckpoint += batch;
            if (sinceCheckpoint >= poolPages / 4) {
                engine.checkpoint();
                sinceCheckpoint = 0;
            }
        }
        engine.checkpoint();
        System.err.printf(Locale.ROOT, "== pre-allocated %d pages (%d MiB) in %.1f s%n", space.sizePages(),
                space.sizePages() * PAGE_SIZE_BYTES >> 20, (System.nanoTime() - startNanos) / 1e9);
        return space;
    }

    /** Prints a line every 10 s, so a long run shows it is alive and how it is doing. */
    private static Thread progressPrinter(WorkloadSampler sampler, Thread samplerThread) {
        Thread t = new Thread(() -> {
            int printed = 0;
            while (samplerThread.isAlive() && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
                List<SecondSample> copy = List.copyOf(sampler.samples());
                if (copy.size() > printed) {
                    SecondSample last = copy.get(copy.size() - 1);
                    long blockedSeconds = copy.stream().filter(SecondSample::blocked).count();
                    System.err.printf(Locale.ROOT, "   t=%4d s  %,8.0f commits/s  dirty %5.1f%%  redo age %5.1f%% (max %5.1f%%)"
                            + "  %-10s  written %,6.0f pages/s  seconds blocked so far %d%n", last.second(),
                            last.commitsPerSecond(), last.dirtyPct(), last.checkpointAgePct(), last.checkpointAgeMaxPct(),
                            last.pressureWorst(), last.pagesWrittenPerSecond(), blockedSeconds);
                    printed = copy.size();
                }
            }
        }, "flush-bench-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------ the writers

    /** The update workload: mini-transactions changing 1 to N random pages each. */
    private static final class Workload {
        private final CairnEngine engine;
        private final Tablespace space;
        private final Settings s;
        private final WriterCounters counters;
        private final AtomicReference<Throwable> failure;
        private final long firstPage;
        private final long userPages;
        /** Hot pages spread over the whole file rather than packed at its start. */
        private final long hotStridePages;
        private volatile boolean running = true;

        Workload(CairnEngine engine, Tablespace space, Settings s, WriterCounters counters,
                AtomicReference<Throwable> failure) {
            this.engine = engine;
            this.space = space;
            this.s = s;
            this.counters = counters;
            this.failure = failure;
            this.firstPage = space.firstUserPageNo();
            this.userPages = space.sizePages() - firstPage;
            this.hotStridePages = Math.max(1, userPages / s.hotPages());
        }

        void stop() {
            running = false;
        }

        Runnable writer(int index) {
            return () -> {
                try {
                    write(new SplittableRandom(0x5eedL * (index + 1)));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    running = false;
                    t.printStackTrace();
                }
            };
        }

        private void write(SplittableRandom random) throws IOException {
            byte[] payload = new byte[s.bytesPerPage()];
            random.nextBytes(payload);
            long[] pages = new long[s.maxPagesPerMtr()];
            // Open loop: each writer owns an equal share of the target rate and keeps to its own
            // schedule, so a stall shows as lost throughput instead of being averaged away.
            long intervalNanos = s.rateCommitsPerSecond() > 0
                    ? (long) (s.threads() * 1e9 / s.rateCommitsPerSecond()) : 0;
            long nextNanos = System.nanoTime();
            long sequence = 0;
            while (running) {
                if (intervalNanos > 0) {
                    long now = System.nanoTime();
                    if (now < nextNanos) {
                        LockSupport.parkNanos(nextNanos - now);
                        continue;
                    }
                    // Catch up after a stall for at most a second; a longer backlog would turn the
                    // recovery into a burst the target rate never asked for.
                    nextNanos = Math.max(nextNanos + intervalNanos, now - TimeUnit.SECONDS.toNanos(1));
                }
                int count = pickPages(random, pages);
                long beginStart = System.nanoTime();
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    counters.begun(System.nanoTime() - beginStart);
                    for (int i = 0; i < count; i++) {
                        PageRef page = mtr.writePage(space, pages[i]);
                        int room = page.bodyEndOffset() - page.bodyStartOffset() - payload.length;
                        int offset = page.bodyStartOffset() + random.nextInt(room + 1);
                        // Different bytes each time, so no layer below can skip a write as unchanged.
                        payload[0] = (byte) sequence++;
                        page.put(offset, payload, 0, payload.length);
                    }
                    mtr.commit();
                }
                counters.committed(count);
            }
        }

        /** Fills {@code pages} with 1 to N distinct page numbers in ascending order (the latch order). */
        private int pickPages(SplittableRandom random, long[] pages) {
            int wanted = 1 + random.nextInt(pages.length);
            int count = 0;
            while (count < wanted) {
                long page = random.nextInt(100) < s.hotAccessPct()
                        ? firstPage + random.nextLong(s.hotPages()) * hotStridePages
                        : firstPage + random.nextLong(userPages);
                boolean duplicate = false;
                for (int i = 0; i < count; i++) {
                    duplicate |= pages[i] == page;
                }
                if (!duplicate) {
                    pages[count++] = page;
                }
            }
            Arrays.sort(pages, 0, count);
            return count;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean has(String[] args, String name) {
        return Arrays.asList(args).contains(name);
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static String usage() {
        return String.join("\n",
                "usage: FlushPolicyWorkloadMain --policy adaptive|fixed [options]",
                "       FlushPolicyWorkloadMain --compare RUN.csv [RUN.csv ...] --png OUT.png [--md OUT.md]",
                "options (defaults in brackets):",
                "  --dir DIR                   engine home, wiped at start [/var/tmp/cairn-flush-bench]",
                "  --seconds S                 measured seconds [600]",
                "  --warmup-seconds S          seconds before measuring [60]",
                "  --threads N                 writer threads [4]",
                "  --rate R                    target commits/s over all writers, 0 for unthrottled [0]",
                "  --pool-mib M                buffer pool [64]",
                "  --space-mib M               tablespace, pre-allocated [256]",
                "  --redo-mib M                redo capacity [64]",
                "  --durability 0|1|2          commit durability [1]",
                "  --pages-per-mtr N           pages changed per mini-transaction, 1 to N [4]",
                "  --bytes-per-page B          bytes changed per page [200]",
                "  --hot-pages P               pages in the hot set [half the pool]",
                "  --hot-access-pct P          share of page picks from the hot set [90]",
                "  --io-capacity P             engine ioCapacity, pages/s [200]",
                "  --io-capacity-max P         engine ioCapacityMax, pages/s [2000]",
                "  --pool-instances N          buffer pool instances, 0 for the engine's rule [0]",
                "  --cleaner-threads N         page cleaner threads, the cleaner included [4]",
                "  --fixed-pages-per-second P  the fixed policy's budget [--io-capacity]",
                "  --csv FILE                  per-second CSV [/tmp/cairn-flush-POLICY.csv]",
                "  --md FILE, --png FILE       Markdown summary, single-run plot");
    }
}
