package io.cairn.bench.redo;

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
 * Runs the redo commit benchmark at 1, 8 and 32 committing threads and, in the same invocation
 * and directory, the raw single-thread write + fdatasync loop; prints a Markdown table with
 * commits per second, syncs per commit and the ratio to the raw fdatasync rate.
 *
 * <p>The raw loop runs before the first and after every redo run: on a shared virtual disk the
 * sync rate drifts and stalls, and a baseline measured once could flatter or wrong the log. Each
 * redo row is compared with the fastest raw run of the invocation (conservative: a stall can only
 * slow the raw loop down) and, for reference, with the mean of the raw runs just before and after.
 *
 * <pre>
 * java -cp benchmarks/target/cairn-benchmarks.jar io.cairn.bench.redo.RedoBenchmarkMain \
 *     [--dir DIR] [--seconds S] [--out FILE] [--log cairn|circular|cairn,circular]
 * </pre>
 */
public final class RedoBenchmarkMain {

    private record Row(String what, int threads, double opsPerSecond, double error, double syncsPerCommit,
            double baseline) {
    }

    private RedoBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(option(args, "--dir", "/var/tmp/cairn-redo-bench"));
        int seconds = Integer.parseInt(option(args, "--seconds", "9"));
        String out = option(args, "--out", null);
        List<String> logs = List.of(option(args, "--log", "cairn").split(","));
        for (String log : logs) {
            if (!log.equals("cairn") && !log.equals("circular")) {
                System.err.println("--log: unknown redo log '" + log + "'; allowed: cairn, circular, or both comma-separated");
                System.exit(2);
            }
        }
        Files.createDirectories(dir);

        List<Row> rows = new ArrayList<>();
        double[] before = raw(dir, seconds, rows);
        for (String log : logs) {
            for (int threads : new int[] {1, 8, 32}) {
                System.err.println("== redo commit (" + log + " log), SYNC_ON_COMMIT, " + threads + " thread(s)");
                Path stats = dir.resolve("redo-stats-" + threads + ".txt");
                double[] redo = run(RedoCommitBenchmark.class.getName() + ".commit$", threads, seconds,
                        "dir", dir.resolve("redo").toString(), "statsFile", stats.toString(), "log", log);
                String[] counters = Files.readString(stats, StandardCharsets.UTF_8).trim().split(" ");
                double syncsPerCommit = Double.parseDouble(counters[1]) / Double.parseDouble(counters[0]);
                int at = rows.size();
                double[] after = raw(dir, seconds, rows);
                String what = log.equals("cairn") ? "redo commit (WRITE 100 B, SYNC_ON_COMMIT)"
                        : "redo commit, " + log + " log (WRITE 100 B, SYNC_ON_COMMIT)";
                rows.add(at, new Row(what, threads, redo[0], redo[1], syncsPerCommit, (before[0] + after[0]) / 2));
                before = after;
            }
        }
        double fastestRaw = rows.stream().filter(r -> r.what().startsWith("raw")).mapToDouble(Row::opsPerSecond)
                .max().orElseThrow();
        String table = table(rows, fastestRaw, dir, seconds);
        System.out.println(table);
        if (out != null) {
            Files.writeString(Path.of(out), table, StandardCharsets.UTF_8);
        }
    }

    /** Runs the raw loop once and adds its row. */
    private static double[] raw(Path dir, int seconds, List<Row> rows) throws RunnerException {
        System.err.println("== raw write + fdatasync, 1 thread");
        double[] raw = run(RawFdatasyncBenchmark.class.getName() + ".writeAndFdatasync$", 1, seconds,
                "file", dir.resolve("raw-fdatasync.dat").toString());
        rows.add(new Row("raw write(512 B) + fdatasync", 1, raw[0], raw[1], 1.0, raw[0]));
        return raw;
    }

    private static double[] run(String include, int threads, int seconds, String... params) throws RunnerException {
        int iterations = 3;
        OptionsBuilder builder = new OptionsBuilder();
        builder.include(include)
                .threads(threads)
                .forks(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(Math.max(1, seconds / iterations)))
                .timeUnit(TimeUnit.SECONDS);
        for (int i = 0; i + 1 < params.length; i += 2) {
            builder.param(params[i], params[i + 1]);
        }
        RunResult result = new Runner(builder.build()).runSingle();
        return new double[] {result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()};
    }

    private static String table(List<Row> rows, double fastestRaw, Path dir, int seconds) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Directory %s (%s), %d s per measurement, %s, kernel %s, %d CPUs%n%n",
                dir, Files.getFileStore(dir).type(), seconds,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.version"), Runtime.getRuntime().availableProcessors()));
        sb.append("| workload | threads | ops/s | syncs per commit | ratio to the fastest raw run ("
                + String.format(Locale.ROOT, "%,.0f", fastestRaw) + "/s) | ratio to the mean of the raw runs"
                + " before and after |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            boolean raw = row.what().startsWith("raw");
            sb.append(String.format(Locale.ROOT, "| %s | %d | %,.0f ± %,.0f | %.3f | %s | %s |%n", row.what(),
                    row.threads(), row.opsPerSecond(), row.error(), row.syncsPerCommit(),
                    raw ? "" : String.format(Locale.ROOT, "%.2f", row.opsPerSecond() / fastestRaw),
                    raw ? "" : String.format(Locale.ROOT, "%.2f (%,.0f/s)", row.opsPerSecond() / row.baseline(),
                            row.baseline())));
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
