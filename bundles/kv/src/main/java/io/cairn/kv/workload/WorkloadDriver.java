package io.cairn.kv.workload;

import io.cairn.config.InvalidSettingException;
import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.ScanDirection;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a workload on a table with N threads for a duration or an operation count, reporting a
 * progress line every second (operations, ops/s, p50 and p99 latency of that second) and a
 * summary at the end, optionally writing the per-second figures as CSV.
 *
 * <p>Keys are 8-byte big-endian numbers from 0 to {@code keys - 1} ({@link #load} writes them);
 * inserts use numbers from {@code keys} up. The calling thread reports progress and waits; the
 * workers are named {@code cairn-bench-N}, stop at the end or at the first failure, and are always
 * joined before a run returns.
 */
public final class WorkloadDriver {

    /** What to run. */
    public record Settings(Workload workload, KeyDistribution distribution, int threads, long durationMillis,
            long operations, long keys, int valueBytes, int scanLength, int readPercent, long seed) {

        public Settings {
            InvalidSettingException.requireRange("threads", threads, 1, 1024);
            InvalidSettingException.requireRange("keys", keys, 1, Long.MAX_VALUE / 2);
            InvalidSettingException.requireRange("valueBytes", valueBytes, 0, KeyValueStore.MAX_VALUE_BYTES);
            InvalidSettingException.requireRange("scanLength", scanLength, 1, 1_000_000);
            InvalidSettingException.requireRange("readPercent", readPercent, 0, 100);
            if (durationMillis <= 0 && operations <= 0) {
                throw new InvalidSettingException("durationMillis", durationMillis,
                        "above 0, or an operation count above 0 instead");
            }
        }

        /** A 10-second uniform run of {@code workload} with 100-byte values over {@code keys} keys. */
        public static Settings of(Workload workload, int threads, long keys) {
            return new Settings(workload, KeyDistribution.UNIFORM, threads, 10_000, 0, keys, 100, 100, 90, 42);
        }

        public Settings withDurationMillis(long millis) {
            return new Settings(workload, distribution, threads, millis, operations, keys, valueBytes, scanLength,
                    readPercent, seed);
        }

        public Settings withOperations(long count) {
            return new Settings(workload, distribution, threads, 0, count, keys, valueBytes, scanLength, readPercent,
                    seed);
        }

        public Settings withDistribution(KeyDistribution d) {
            return new Settings(workload, d, threads, durationMillis, operations, keys, valueBytes, scanLength,
                    readPercent, seed);
        }
    }

    /** The figures of one second of a run. */
    public record Second(long second, long operations, double opsPerSecond, long p50Nanos, long p99Nanos) {
    }

    /** The whole run. */
    public record Summary(Settings settings, long operations, long elapsedMillis, double opsPerSecond, long p50Nanos,
            long p99Nanos, long p999Nanos, long maxBucketNanos, List<Second> seconds) {

        public String line() {
            return String.format(Locale.ROOT, "%s, %d thread(s), %s keys: %,d operations in %.1f s, %,.0f ops/s,"
                    + " latency p50 %s p99 %s p99.9 %s", settings.workload().option(), settings.threads(),
                    settings.distribution().option(), operations, elapsedMillis / 1000.0, opsPerSecond, micros(p50Nanos),
                    micros(p99Nanos), micros(p999Nanos));
        }
    }

    private WorkloadDriver() {
    }

    /** An 8-byte big-endian key. */
    public static byte[] key(long number) {
        return ByteBuffer.allocate(8).putLong(number).array();
    }

    /**
     * Writes keys {@code 0 .. keys-1} in key order, {@code perCommit} to a batch, reporting a
     * progress bar with an estimate of the time left about every second.
     */
    public static void load(KeyValueStore store, Table table, long keys, int valueBytes, int perCommit,
            Consumer<String> progress) {
        InvalidSettingException.requireRange("perCommit", perCommit, 1, 1_000_000);
        SplittableRandom random = new SplittableRandom(7);
        byte[] value = new byte[valueBytes];
        WriteBatch batch = store.newBatch();
        long start = System.nanoTime();
        long lastReport = start;
        for (long k = 0; k < keys; k++) {
            random.nextBytes(value);
            batch.put(table, key(k), value);
            if (batch.size() == perCommit || k == keys - 1) {
                store.write(batch);
                batch.clear();
                long now = System.nanoTime();
                if (now - lastReport >= TimeUnit.SECONDS.toNanos(1) || k == keys - 1) {
                    lastReport = now;
                    progress.accept(bar(k + 1, keys, now - start));
                }
            }
        }
    }

    static String bar(long done, long total, long elapsedNanos) {
        int width = 30;
        int filled = (int) (width * done / total);
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long etaSeconds = rate > 0 ? (long) ((total - done) / rate) : -1;
        return String.format(Locale.ROOT, "load [%s%s] %3d%% %,d/%,d keys, %,.0f keys/s, ETA %s", "#".repeat(filled),
                ".".repeat(width - filled), 100 * done / total, done, total, rate,
                etaSeconds < 0 ? "?" : etaSeconds / 60 + "m" + String.format(Locale.ROOT, "%02d", etaSeconds % 60) + "s");
    }

    /**
     * Runs the workload; the calling thread reports each second's line to {@code progress}.
     *
     * @param csv where to write {@code second,operations,ops_per_s,p50_us,p99_us} lines, or null
     * @throws RuntimeException the first failure of a worker (the others stop)
     */
    public static Summary run(KeyValueStore store, Table table, Settings s, Consumer<String> progress, Writer csv)
            throws IOException, InterruptedException {
        List<LatencyHistogram> histograms = new ArrayList<>();
        AtomicLong operations = new AtomicLong();
        AtomicLong insertNext = new AtomicLong(s.keys());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long startNanos = System.nanoTime();
        long deadline = s.durationMillis() > 0 ? startNanos + TimeUnit.MILLISECONDS.toNanos(s.durationMillis())
                : Long.MAX_VALUE;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < s.threads(); t++) {
            LatencyHistogram histogram = new LatencyHistogram();
            histograms.add(histogram);
            long seed = s.seed() * 31 + t;
            Thread worker = new Thread(() -> {
                try {
                    work(store, table, s, histogram, operations, insertNext, deadline, failure, seed);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "cairn-bench-" + (t + 1));
            worker.setDaemon(true);
            workers.add(worker);
        }
        if (csv != null) {
            csv.write("second,operations,ops_per_s,p50_us,p99_us\n");
        }
        workers.forEach(Thread::start);
        List<Second> seconds = new ArrayList<>();
        long[] previous = LatencyHistogram.empty();
        long previousOps = 0;
        try {
            for (long second = 1;; second++) {
                long reportAt = startNanos + TimeUnit.SECONDS.toNanos(second);
                boolean alive = true;
                // The second that reaches the deadline waits for every worker's last operation,
                // so the run ends with that second instead of a stub of stragglers.
                boolean last = reportAt >= deadline;
                for (Thread w : workers) {
                    long waitNanos = reportAt - System.nanoTime();
                    if (last) {
                        TimeUnit.NANOSECONDS.timedJoin(w, Math.max(waitNanos, 0) + TimeUnit.SECONDS.toNanos(30));
                    } else if (waitNanos > 0) {
                        TimeUnit.NANOSECONDS.timedJoin(w, waitNanos);
                    }
                }
                for (Thread w : workers) {
                    alive &= w.isAlive();
                }
                long[] now = LatencyHistogram.empty();
                histograms.forEach(h -> h.addTo(now));
                long[] delta = new long[now.length];
                for (int i = 0; i < now.length; i++) {
                    delta[i] = now[i] - previous[i];
                }
                long ops = operations.get();
                double elapsed = Math.min(1.0, (System.nanoTime() - (reportAt - TimeUnit.SECONDS.toNanos(1))) / 1e9);
                Second figures = new Second(second, ops, (ops - previousOps) / Math.max(elapsed, 1e-3),
                        LatencyHistogram.percentile(delta, 0.5), LatencyHistogram.percentile(delta, 0.99));
                seconds.add(figures);
                progress.accept(String.format(Locale.ROOT, "t=%3ds  %,12d ops  %,10.0f ops/s  p50 %s  p99 %s",
                        second, ops, figures.opsPerSecond(), micros(figures.p50Nanos()), micros(figures.p99Nanos())));
                if (csv != null) {
                    csv.write(String.format(Locale.ROOT, "%d,%d,%.0f,%.1f,%.1f%n", second, ops, figures.opsPerSecond(),
                            figures.p50Nanos() / 1e3, figures.p99Nanos() / 1e3));
                }
                previous = now;
                previousOps = ops;
                if (!alive) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            // The caller gave up (Ctrl-C in the shell): stop the workers before leaving.
            failure.compareAndSet(null, e);
            for (Thread w : workers) {
                w.join(TimeUnit.SECONDS.toMillis(30));
            }
            throw e;
        }
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        Throwable failed = failure.get();
        if (failed != null) {
            if (failed instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException("a benchmark thread failed: " + failed, failed);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        long[] all = LatencyHistogram.empty();
        histograms.forEach(h -> h.addTo(all));
        long total = operations.get();
        return new Summary(s, total, elapsedMillis, total * 1000.0 / Math.max(1, elapsedMillis),
                LatencyHistogram.percentile(all, 0.5), LatencyHistogram.percentile(all, 0.99),
                LatencyHistogram.percentile(all, 0.999), LatencyHistogram.percentile(all, 1.0), List.copyOf(seconds));
    }

    private static void work(KeyValueStore store, Table table, Settings s, LatencyHistogram histogram,
            AtomicLong operations, AtomicLong insertNext, long deadline, AtomicReference<Throwable> failure, long seed) {
        KeyDistribution.KeyChooser keys = s.distribution().chooser(s.keys(), seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        byte[] value = new byte[s.valueBytes()];
        random.nextBytes(value);
        while (failure.get() == null && !Thread.currentThread().isInterrupted()) {
            if (s.operations() > 0 && operations.get() >= s.operations()) {
                return;
            }
            long start = System.nanoTime();
            if (start >= deadline) {
                return;
            }
            switch (s.workload()) {
                case POINT_GET -> table.get(key(keys.next()));
                case POINT_UPDATE -> {
                    value[0]++;
                    table.put(key(keys.next()), value);
                }
                case INSERT -> table.put(key(insertNext.getAndIncrement()), value);
                case RANGE_SCAN -> {
                    try (Cursor c = table.cursor(KeyRange.from(key(keys.next())), ScanDirection.FORWARD)) {
                        for (int i = 0; i < s.scanLength() && c.next(); i++) {
                            c.value();
                        }
                    }
                }
                case MIX -> {
                    if (random.nextInt(100) < s.readPercent()) {
                        table.get(key(keys.next()));
                    } else {
                        value[0]++;
                        table.put(key(keys.next()), value);
                    }
                }
            }
            histogram.record(System.nanoTime() - start);
            operations.incrementAndGet();
        }
    }

    static String micros(long nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
}
