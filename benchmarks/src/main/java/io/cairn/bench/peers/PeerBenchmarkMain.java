package io.cairn.bench.peers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * The key-value workloads of issue #6, run in one JVM against Cairn's embedded API and its peers
 * (RocksDB, LMDB, H2 MVStore, Berkeley DB JE, SQLite), each configured so that every durable
 * commit is synced to disk before it returns. Prints a Markdown table to stdout and progress to
 * stderr.
 *
 * <p>Per engine, one after another, on its own emptied directory:
 * <ol>
 *   <li>load: keys 0..N-1 in key order, {@value #BATCH_KEYS} puts per durable commit;</li>
 *   <li>a verify pass (not a result): every key read once in key order and its value compared, which
 *       also brings the data set into the engine's cache;</li>
 *   <li>cached point gets of uniform random keys at 1 and 2 threads, each after a warm-up;</li>
 *   <li>a raw write + fdatasync loop on the same disk, the baseline for the next phase;</li>
 *   <li>durable single-put commits of random existing keys at 1 and 8 threads, each after a warm-up,
 *       each put with a value never written before, and a read-back of the last keys each thread
 *       wrote.</li>
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/cairn-benchmarks.jar io.cairn.bench.peers.PeerBenchmarkMain \
 *     [--keys N] [--seconds S] [--warmup-seconds S] [--dir DIR] [--engines cairn,rocksdb,lmdb,h2,je,sqlite]
 *     [--cache-mib M] [--seed N] [--out FILE]
 * </pre>
 */
public final class PeerBenchmarkMain {

    static final List<String> ALL_ENGINES = List.of("cairn", "rocksdb", "lmdb", "h2", "je", "sqlite");
    static final int BATCH_KEYS = 1000;
    static final int VALUE_BYTES = 100;
    static final int[] GET_THREADS = {1, 2};
    static final int[] PUT_THREADS = {1, 8};
    /** Measured gets whose value is compared with the expected one: one in this many (the verify pass checks all). */
    static final int GET_CHECK_INTERVAL = 1024;
    /** The last keys each put thread wrote, read back after the phase. */
    static final int RECENT_PUTS_CHECKED = 16;
    /** How often a long phase prints its progress. */
    static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;
    /** Keeps worker counters on separate cache lines (8 longs = 64 bytes). */
    private static final int COUNTER_STRIDE = 8;

    private static final PrintStream LOG = System.err;

    private final long keyCount;
    private final double durationSeconds;
    private final double warmupSeconds;
    private final long cacheBytes;
    private final long seed;
    private final Path dir;

    private PeerBenchmarkMain(long keyCount, double durationSeconds, double warmupSeconds, long cacheBytes, long seed,
            Path dir) {
        this.keyCount = keyCount;
        this.durationSeconds = durationSeconds;
        this.warmupSeconds = warmupSeconds;
        this.cacheBytes = cacheBytes;
        this.seed = seed;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        long keyCount = Long.parseLong(option(args, "--keys", "1000000"));
        double durationSeconds = Double.parseDouble(option(args, "--seconds", "10"));
        double warmupSeconds = Double.parseDouble(option(args, "--warmup-seconds", "2"));
        long cacheBytes = Long.parseLong(option(args, "--cache-mib", "512")) << 20;
        long seed = Long.parseLong(option(args, "--seed", "6"));
        Path dir = Path.of(option(args, "--dir", "/var/tmp/cairn-peers"));
        List<String> engineIds = List.of(option(args, "--engines", String.join(",", ALL_ENGINES)).split(","));
        String out = option(args, "--out", null);
        for (String id : engineIds) {
            if (!ALL_ENGINES.contains(id)) {
                LOG.println("unknown engine " + id + "; known: " + String.join(",", ALL_ENGINES));
                System.exit(2);
            }
        }
        int maxThreads = Arrays.stream(PUT_THREADS).max().getAsInt();
        if (keyCount < maxThreads || durationSeconds <= 0 || warmupSeconds < 0) {
            LOG.println("--keys must be at least " + maxThreads + ", --seconds above 0, --warmup-seconds at least 0");
            System.exit(2);
        }

        Files.createDirectories(dir);
        PeerBenchmarkMain bench = new PeerBenchmarkMain(keyCount, durationSeconds, warmupSeconds, cacheBytes, seed, dir);
        String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        long runStartNanos = System.nanoTime();
        List<EngineResult> results = new ArrayList<>();
        for (String id : engineIds) {
            results.add(bench.runEngine(bench.create(id)));
        }
        double runMinutes = (System.nanoTime() - runStartNanos) / 60e9;

        String report = MarkdownReport.render(bench.header(started, runMinutes), results);
        System.out.println(report);
        if (out != null) {
            Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
        }
        // The exit code tells a script whether every engine ran every phase.
        System.exit(results.stream().anyMatch(r -> r.failure != null) ? 1 : 0);
    }

    private KvEngine create(String id) {
        return switch (id) {
            case "cairn" -> new CairnKvEngine(cacheBytes);
            case "rocksdb" -> new RocksDbKvEngine(cacheBytes);
            case "lmdb" -> new LmdbKvEngine(VALUE_BYTES);
            case "h2" -> new H2MvStoreKvEngine(cacheBytes);
            case "je" -> new BerkeleyJeKvEngine(cacheBytes);
            case "sqlite" -> new SqliteKvEngine(cacheBytes);
            default -> throw new IllegalArgumentException(id);
        };
    }

    /** Runs every phase on one engine; a failure ends that engine's run and is reported, the others go on. */
    private EngineResult runEngine(KvEngine engine) {
        EngineResult result = new EngineResult(engine.id(), engine.displayName());
        String phase = "open";
        Path engineDir = dir.resolve(engine.id());
        Workers workers = null;
        boolean opened = false;
        CpuAccounting wholeRun = CpuAccounting.start();
        try {
            deleteRecursively(engineDir);
            Files.createDirectories(engineDir);
            LOG.printf(Locale.ROOT, "== %s in %s%n", engine.displayName(), engineDir);
            engine.open(engineDir);
            opened = true;
            workers = new Workers(engine, Arrays.stream(PUT_THREADS).max().getAsInt());
            result.version = engine.version();

            phase = "load";
            load(engine, workers, result);
            result.sizeAfterLoadBytes = directoryBytes(engineDir);

            phase = "verify";
            verifyAll(engine, workers, result);

            for (int threads : GET_THREADS) {
                phase = "gets at " + threads + " thread(s)";
                double perSecond = timedPhase(engine, workers, result, "gets", threads, getOps(threads));
                if (threads == 1) {
                    result.getsPerSecond1Thread = perSecond;
                } else {
                    result.getsPerSecond2Threads = perSecond;
                }
            }

            phase = "raw fdatasync baseline";
            result.rawFdatasyncPerSecond = rawFdatasyncPerSecond(engine);

            int putPhase = 0;
            for (int threads : PUT_THREADS) {
                phase = "durable puts at " + threads + " thread(s)";
                putPhase++;
                RecentKeys[] recent = new RecentKeys[threads];
                double perSecond = timedPhase(engine, workers, result, "durable puts", threads,
                        putOps(threads, putPhase, recent));
                checkRecentPuts(workers, recent);
                if (threads == 1) {
                    result.commitsPerSecond1Thread = perSecond;
                } else {
                    result.commitsPerSecond8Threads = perSecond;
                }
            }
            // Read after the run: some settings are only known once the engine is open.
            result.settings = engine.settings();
        } catch (Throwable t) {
            result.failure = phase + ": " + t;
            result.settings = engine.settings();
            if (result.version.equals("?")) {
                try {
                    result.version = engine.version();
                } catch (Throwable ignored) {
                    // the library that failed to open may not even say its version
                }
            }
            LOG.printf(Locale.ROOT, "!! %s failed in %s: %s%n", engine.displayName(), phase, t);
            t.printStackTrace(LOG);
        } finally {
            if (wholeRun != null) {
                result.otherCpusWholeRun = wholeRun.otherProcessesCpus();
            }
            try {
                if (workers != null) {
                    workers.close();
                }
                if (opened) {
                    engine.close();
                }
            } catch (Throwable t) {
                LOG.printf(Locale.ROOT, "!! %s: close failed: %s%n", engine.displayName(), t);
                if (result.failure == null) {
                    result.failure = "close: " + t;
                }
            }
            // Drop this engine's heap caches (H2's and JE's) before the next engine runs.
            System.gc();
        }
        return result;
    }

    private void load(KvEngine engine, Workers workers, EngineResult result) throws Exception {
        LOG.printf(Locale.ROOT, "[load] %s: %,d keys, %d per durable commit%n", engine.id(), keyCount, BATCH_KEYS);
        CpuAccounting cpu = CpuAccounting.start();
        long elapsedNanos = workers.runOnFirst((worker, session) -> {
            long startNanos = System.nanoTime();
            long nextReportNanos = startNanos + PROGRESS_INTERVAL_NANOS;
            for (long first = 0; first < keyCount; first += BATCH_KEYS) {
                int size = (int) Math.min(BATCH_KEYS, keyCount - first);
                byte[][] keys = new byte[size][];
                byte[][] values = new byte[size][];
                for (int i = 0; i < size; i++) {
                    keys[i] = KeyValues.key(first + i);
                    values[i] = KeyValues.value(seed, first + i, 0, VALUE_BYTES);
                }
                session.loadBatch(keys, values);
                long now = System.nanoTime();
                if (now >= nextReportNanos) {
                    long done = first + size;
                    LOG.printf(Locale.ROOT, "[load] %s: %,d/%,d keys, %.0f s, %,.0f keys/s%n", engine.id(), done,
                            keyCount, (now - startNanos) / 1e9, done / ((now - startNanos) / 1e9));
                    nextReportNanos = now + PROGRESS_INTERVAL_NANOS;
                }
            }
            return System.nanoTime() - startNanos;
        });
        result.loadSeconds = elapsedNanos / 1e9;
        result.loadKeysPerSecond = keyCount / result.loadSeconds;
        LOG.printf(Locale.ROOT, "[load] %s: done in %.1f s, %,.0f keys/s; this JVM used %.2f CPUs, other processes"
                + " %.2f%n", engine.id(), result.loadSeconds, result.loadKeysPerSecond,
                cpu == null ? Double.NaN : cpu.ownCpus(), cpu == null ? Double.NaN : cpu.otherProcessesCpus());
    }

    /** Reads every key once in key order and compares its value; warms every engine's cache as well. */
    private void verifyAll(KvEngine engine, Workers workers, EngineResult result) throws Exception {
        LOG.printf(Locale.ROOT, "[verify] %s: reading all %,d keys%n", engine.id(), keyCount);
        long elapsedNanos = workers.runOnFirst((worker, session) -> {
            long startNanos = System.nanoTime();
            for (long k = 0; k < keyCount; k++) {
                check(k, session.get(KeyValues.key(k)), 0);
            }
            return System.nanoTime() - startNanos;
        });
        result.verifySeconds = elapsedNanos / 1e9;
        LOG.printf(Locale.ROOT, "[verify] %s: all values as written, %.1f s%n", engine.id(), result.verifySeconds);
    }

    private void check(long k, byte[] actual, long version) {
        if (actual == null) {
            throw new IllegalStateException("key " + k + " not found");
        }
        if (!Arrays.equals(actual, KeyValues.value(seed, k, version, VALUE_BYTES))) {
            throw new IllegalStateException("key " + k + ": value is not the one of version " + version);
        }
    }

    /** One operation of a timed phase, bound to one worker. */
    private interface Op {
        void run() throws Exception;
    }

    /** Makes the operation of one worker; called on that worker's thread. */
    private interface OpFactory {
        Op create(int worker, KvEngine.Session session);
    }

    /**
     * Uniform random gets. The warm-up and the measured run of a phase share each worker's random
     * stream (the factory keeps it), so the measured run goes on where the warm-up stopped.
     */
    private OpFactory getOps(int threads) {
        SplittableRandom[] randoms = new SplittableRandom[threads];
        long[] done = new long[threads];
        return (worker, session) -> {
            // Slot "worker" is only touched by that worker's thread, the same one in every run.
            if (randoms[worker] == null) {
                randoms[worker] = new SplittableRandom(seed * 1_000_003L + threads * 100L + worker);
            }
            SplittableRandom random = randoms[worker];
            return () -> {
                long k = random.nextLong(keyCount);
                byte[] value = session.get(KeyValues.key(k));
                if (value == null) {
                    throw new IllegalStateException("key " + k + " not found");
                }
                if (++done[worker] % GET_CHECK_INTERVAL == 0) {
                    check(k, value, 0);
                }
            };
        };
    }

    /**
     * Durable single puts. Worker w of n writes only keys k with k mod n = w, uniformly among them,
     * so each worker alone knows the last value of its keys and can check it afterwards; with a
     * million keys two workers would rarely meet on one key anyway.
     */
    private OpFactory putOps(int threads, int phase, RecentKeys[] recent) {
        // Kept across the warm-up and the measured run, so that no put repeats an earlier one.
        SplittableRandom[] randoms = new SplittableRandom[threads];
        long[] sequences = new long[threads];
        return (worker, session) -> {
            if (randoms[worker] == null) {
                randoms[worker] = new SplittableRandom(seed * 2_000_003L + threads * 100L + worker);
                recent[worker] = new RecentKeys(RECENT_PUTS_CHECKED);
            }
            SplittableRandom random = randoms[worker];
            RecentKeys mine = recent[worker];
            long keysOfWorker = (keyCount - worker + threads - 1) / threads;
            return () -> {
                long k = random.nextLong(keysOfWorker) * threads + worker;
                long version = KeyValues.putVersion(phase, worker, sequences[worker]++);
                session.putDurable(KeyValues.key(k), KeyValues.value(seed, k, version, VALUE_BYTES));
                mine.add(k, version);
            };
        };
    }

    /** After a put phase: the last keys every worker wrote read back with the last values it wrote. */
    private void checkRecentPuts(Workers workers, RecentKeys[] recent) throws Exception {
        workers.runOnFirst((worker, session) -> {
            for (RecentKeys written : recent) {
                for (Map.Entry<Long, Long> keyVersion : written.lastVersions().entrySet()) {
                    long k = keyVersion.getKey();
                    check(k, session.get(KeyValues.key(k)), keyVersion.getValue());
                }
            }
            return null;
        });
    }

    /** A warm-up of {@link #warmupSeconds}, then the measured run; returns operations per second. */
    private double timedPhase(KvEngine engine, Workers workers, EngineResult result, String phase, int threads,
            OpFactory ops) throws Exception {
        if (warmupSeconds > 0) {
            Measured warmup = timedRun(engine, workers, phase + " (warm-up)", threads, warmupSeconds, ops);
            LOG.printf(Locale.ROOT, "[%s (warm-up)] %s, %d thread(s): %,d ops in %.2f s%n", phase, engine.id(),
                    threads, warmup.operations(), warmup.elapsedSeconds());
        }
        CpuAccounting cpu = CpuAccounting.start();
        Measured measured = timedRun(engine, workers, phase, threads, durationSeconds, ops);
        double otherCpus = cpu == null ? Double.NaN : cpu.otherProcessesCpus();
        double ownCpus = cpu == null ? Double.NaN : cpu.ownCpus();
        // The comparison is false while the busiest figure is still NaN, so the first phase sets it.
        if (!Double.isNaN(otherCpus) && !(otherCpus <= result.otherCpusBusiestPhase)) {
            result.otherCpusBusiestPhase = otherCpus;
        }
        LOG.printf(Locale.ROOT, "[%s] %s, %d thread(s): %,d ops in %.2f s, %,.0f/s; this JVM used %.2f CPUs, other"
                + " processes %.2f%n", phase, engine.id(), threads, measured.operations(), measured.elapsedSeconds(),
                measured.perSecond(), ownCpus, otherCpus);
        return measured.perSecond();
    }

    /** Operations done in a timed run and the time they took. */
    private record Measured(long operations, double elapsedSeconds) {
        double perSecond() {
            return operations / elapsedSeconds;
        }
    }

    /**
     * Runs {@code ops} on {@code threads} workers from one common start until the deadline. The rate
     * is all operations over the time from the start to the end of the last operation to finish
     * (the operation in flight at the deadline is counted and waited for).
     */
    private Measured timedRun(KvEngine engine, Workers workers, String phase, int threads, double seconds, OpFactory ops)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLongArray counters = new AtomicLongArray(threads * COUNTER_STRIDE);
        long durationNanos = (long) (seconds * 1e9);
        long[] startNanos = new long[1]; // written before go opens, so every worker sees it
        List<Future<long[]>> futures = workers.start(threads, (worker, session) -> {
            Op op;
            try {
                op = ops.create(worker, session);
            } finally {
                ready.countDown();
            }
            go.await();
            long deadline = startNanos[0] + durationNanos;
            long done = 0;
            while (System.nanoTime() < deadline) {
                op.run();
                done++;
                counters.lazySet(worker * COUNTER_STRIDE, done);
            }
            return new long[] {done, System.nanoTime()};
        });
        ready.await();
        startNanos[0] = System.nanoTime();
        go.countDown();

        long nextReportNanos = startNanos[0] + PROGRESS_INTERVAL_NANOS;
        while (!futures.stream().allMatch(Future::isDone)) {
            Thread.sleep(50);
            long now = System.nanoTime();
            if (now >= nextReportNanos) {
                long done = 0;
                for (int i = 0; i < threads; i++) {
                    done += counters.get(i * COUNTER_STRIDE);
                }
                double elapsed = (now - startNanos[0]) / 1e9;
                LOG.printf(Locale.ROOT, "[%s] %s, %d thread(s): %.0f/%.0f s, %,d ops, %,.0f/s%n", phase, engine.id(),
                        threads, elapsed, seconds, done, done / elapsed);
                nextReportNanos = now + PROGRESS_INTERVAL_NANOS;
            }
        }
        long operations = 0;
        long endNanos = startNanos[0];
        for (Future<long[]> future : futures) {
            long[] outcome;
            try {
                outcome = future.get();
            } catch (ExecutionException e) {
                throw Workers.unwrap(e);
            }
            operations += outcome[0];
            endNanos = Math.max(endNanos, outcome[1]);
        }
        return new Measured(operations, (endNanos - startNanos[0]) / 1e9);
    }

    /**
     * One thread writing 512 bytes and calling {@code force(false)} (fdatasync) in a loop, through a
     * file written and synced in full first, so each sync is a pure data sync: how fast this disk
     * syncs right now, next to the engine's commit rates.
     */
    private double rawFdatasyncPerSecond(KvEngine engine) throws IOException {
        final int writeBytes = 512;
        final long fileBytes = 64L << 20;
        Path file = dir.resolve("raw-fdatasync.dat");
        double seconds = Math.min(durationSeconds, 3);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < fileBytes; at += zeros.capacity()) {
                zeros.clear();
                channel.write(zeros, at);
            }
            channel.force(true);
            ByteBuffer block = ByteBuffer.allocateDirect(writeBytes);
            long offset = 0;
            long syncs = 0;
            long startNanos = System.nanoTime();
            long deadline = startNanos + (long) (seconds * 1e9);
            long now;
            do {
                block.clear();
                channel.write(block, offset);
                channel.force(false);
                offset = (offset + writeBytes) % fileBytes;
                syncs++;
                now = System.nanoTime();
            } while (now < deadline);
            double perSecond = syncs / ((now - startNanos) / 1e9);
            LOG.printf(Locale.ROOT, "[raw fdatasync] before %s's commit phases: %,d syncs, %,.0f/s%n", engine.id(),
                    syncs, perSecond);
            return perSecond;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The last few puts of one worker. Used by that worker only, read after it finished. */
    private static final class RecentKeys {
        private final long[] keys;
        private final long[] versions;
        private long added;

        RecentKeys(int capacity) {
            keys = new long[capacity];
            versions = new long[capacity];
        }

        void add(long k, long version) {
            int slot = (int) (added++ % keys.length);
            keys[slot] = k;
            versions[slot] = version;
        }

        /** Each key among the last puts with the version of its latest put. */
        Map<Long, Long> lastVersions() {
            Map<Long, Long> last = new HashMap<>();
            int count = (int) Math.min(added, keys.length);
            for (long i = added - count; i < added; i++) {
                int slot = (int) (i % keys.length);
                last.put(keys[slot], versions[slot]); // later puts overwrite earlier ones
            }
            return last;
        }
    }

    private String header(String started, double runMinutes) throws IOException {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT,
                "Run of %s, %.1f min in all. %,d keys (8-byte big-endian), %d-byte random values (seed %d), load in"
                        + " key order with %d puts per durable commit; gets of uniform random keys and durable"
                        + " single-put commits of random existing keys, %.0f s per measurement after a %.0f s"
                        + " warm-up; engines run one after another in this JVM, each on its own emptied directory."
                        + "%n%nMachine: %d CPUs (%s), %s, kernel %s, %s %s, max heap %,d MiB; directory %s (%s)%n%n",
                started, runMinutes, keyCount, VALUE_BYTES, seed, BATCH_KEYS, durationSeconds, warmupSeconds,
                runtime.availableProcessors(), cpuModel(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), runtime.maxMemory() >> 20, dir,
                Files.getFileStore(dir).type());
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown model");
        } catch (IOException | RuntimeException e) {
            return "unknown model";
        }
    }

    private static long directoryBytes(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file removed while walking (a compaction, a WAL switch)
                }
            }).sum();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
