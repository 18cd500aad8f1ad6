package io.cairn.bench.bufferpool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link BufferPoolHitBenchmark} with a cache-resident (64 pages) and a memory-resident
 * (4096 pages, 64 MiB) key set at 1 and 2 threads, the pool's hit paths next to the
 * ConcurrentHashMap baselines in the same invocation, and prints a Markdown table. Before the
 * benchmarks it measures how long a cache line takes to move from one core to another (two threads
 * handing a counter back and forth), the machine fact that decides the two-thread rows.
 *
 * <pre>
 * java -cp benchmarks/target/cairn-benchmarks.jar io.cairn.bench.bufferpool.BufferPoolBenchmarkMain [--seconds S] [--out FILE]
 * </pre>
 */
public final class BufferPoolBenchmarkMain {

    private static final String BASELINE = "baselineMapLookup";
    private static final String PIN_BASELINE = "baselineMapLookupWithPinCount";
    private static final List<String> METHODS = List.of("poolHitShared", "poolHitSharedView", "poolHitOptimistic",
            "poolFixOnly", BASELINE, PIN_BASELINE);

    private record Row(int pages, String method, int threads, double nanos, double error) {
    }

    private BufferPoolBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(option(args, "--seconds", "5"));
        String out = option(args, "--out", null);
        double transferNanos = coreToCoreTransferNanos();
        System.err.printf(Locale.ROOT, "== one-way core-to-core cache line transfer: %.0f ns%n", transferNanos);
        List<Row> rows = new ArrayList<>();
        for (int pages : new int[] {64, 4096}) {
            for (int threads : new int[] {1, 2}) {
                for (String method : METHODS) {
                    System.err.printf("== %s, %d pages, %d thread(s)%n", method, pages, threads);
                    rows.add(run(pages, method, threads, seconds));
                }
            }
        }
        String table = table(rows, seconds, transferNanos);
        System.out.println(table);
        if (out != null) {
            Files.writeString(Path.of(out), table, StandardCharsets.UTF_8);
        }
    }

    private static Row run(int pages, String method, int threads, int seconds) throws RunnerException {
        int iterations = 5;
        var options = new OptionsBuilder()
                .include(BufferPoolHitBenchmark.class.getName() + "." + method + "$")
                .param("pages", String.valueOf(pages))
                .threads(threads)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(Math.max(1, seconds / iterations)))
                .timeUnit(TimeUnit.NANOSECONDS)
                .build();
        RunResult result = new Runner(options).runSingle();
        return new Row(pages, method, threads, result.getPrimaryResult().getScore(),
                result.getPrimaryResult().getScoreError());
    }

    private static String table(List<Row> rows, int seconds, double transferNanos) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Buffer pool hit path, 16 KiB pages, %d s per measurement, %s, %d CPUs,"
                + " one-way core-to-core cache line transfer %.0f ns%n%n",
                seconds, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), transferNanos));
        sb.append("| cached pages | path | threads | ns/op | map lookup ns/op | map lookup + pin count ns/op"
                + " | path / map lookup | path / map lookup + pin count |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            if (row.method().equals(BASELINE) || row.method().equals(PIN_BASELINE)) {
                continue;
            }
            Row base = find(rows, BASELINE, row);
            Row pin = find(rows, PIN_BASELINE, row);
            sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f | %.2f | %.2f |%n",
                    row.pages(), row.method(), row.threads(), row.nanos(), row.error(), base.nanos(), base.error(),
                    pin.nanos(), pin.error(), row.nanos() / base.nanos(), row.nanos() / pin.nanos()));
        }
        return sb.toString();
    }

    private static Row find(List<Row> rows, String method, Row like) {
        return rows.stream().filter(r -> r.method().equals(method) && r.threads() == like.threads()
                && r.pages() == like.pages()).findFirst().orElseThrow();
    }

    /**
     * Two threads hand a counter back and forth, each waiting for the other's increment: every
     * hand-over moves the counter's cache line to the other core. Returns the median of 5 rounds of
     * the time per hand-over.
     */
    static double coreToCoreTransferNanos() throws InterruptedException {
        int handOvers = 1_000_000;
        double[] rounds = new double[5];
        for (int round = 0; round < rounds.length; round++) {
            AtomicLong counter = new AtomicLong();
            Thread partner = new Thread(() -> {
                for (long odd = 1; odd < 2L * handOvers; odd += 2) {
                    while (counter.get() != odd) {
                        Thread.onSpinWait();
                    }
                    counter.set(odd + 1);
                }
            }, "cairn-bench-ping-pong");
            partner.setDaemon(true);
            partner.start();
            long start = System.nanoTime();
            for (long even = 0; even < 2L * handOvers; even += 2) {
                while (counter.get() != even) {
                    Thread.onSpinWait();
                }
                counter.set(even + 1);
            }
            while (counter.get() != 2L * handOvers) {
                Thread.onSpinWait();
            }
            rounds[round] = (System.nanoTime() - start) / (2.0 * handOvers);
            partner.join(TimeUnit.SECONDS.toMillis(30));
        }
        java.util.Arrays.sort(rounds);
        return rounds[rounds.length / 2];
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
