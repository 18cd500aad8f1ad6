package io.cairn.bench.bufferpool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link BufferPoolHitBenchmark} with a cache-resident (64 pages) and a memory-resident
 * (4096 pages, 64 MiB) key set at 1 and 2 threads, the pool's hit paths next to the
 * ConcurrentHashMap baseline in the same invocation, and prints a Markdown table.
 *
 * <pre>
 * java -cp benchmarks/target/cairn-benchmarks.jar io.cairn.bench.bufferpool.BufferPoolBenchmarkMain [--seconds S] [--out FILE]
 * </pre>
 */
public final class BufferPoolBenchmarkMain {

    private static final String BASELINE = "baselineMapLookup";
    private static final List<String> METHODS = List.of("poolHitShared", "poolHitSharedView", "poolHitOptimistic", "poolFixOnly", BASELINE);

    private record Row(int pages, String method, int threads, double nanos, double error) {
    }

    private BufferPoolBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(option(args, "--seconds", "5"));
        String out = option(args, "--out", null);
        List<Row> rows = new ArrayList<>();
        for (int pages : new int[] {64, 4096}) {
            for (int threads : new int[] {1, 2}) {
                for (String method : METHODS) {
                    System.err.printf("== %s, %d pages, %d thread(s)%n", method, pages, threads);
                    rows.add(run(pages, method, threads, seconds));
                }
            }
        }
        String table = table(rows, seconds);
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

    private static String table(List<Row> rows, int seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Buffer pool hit path, 16 KiB pages, %d s per measurement, %s, %d CPUs%n%n",
                seconds, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        sb.append("| cached pages | path | threads | ns/op | baseline (ConcurrentHashMap) ns/op | path / baseline |\n");
        sb.append("|---:|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            if (row.method().equals(BASELINE)) {
                continue;
            }
            Row base = rows.stream().filter(r -> r.method().equals(BASELINE) && r.threads() == row.threads()
                    && r.pages() == row.pages()).findFirst().orElseThrow();
            sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %.1f ± %.1f | %.1f ± %.1f | %.2f |%n", row.pages(),
                    row.method(), row.threads(), row.nanos(), row.error(), base.nanos(), base.error(),
                    row.nanos() / base.nanos()));
        }
        return sb.toString();
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
