package io.cairn.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs each backend benchmark and, in the same invocation and on the same file, fio with the
 * equivalent job, then prints a Markdown table with both figures and their ratio.
 *
 * <pre>
 * java -jar benchmarks/target/cairn-benchmarks.jar io [--dir DIR] [--size-mib N] [--seconds S] [--rounds N]
 *     [--only WORKLOAD/THREADS/BACKEND[,...]] [--out FILE]
 * </pre>
 *
 * <p>{@code --only} reruns chosen rows, e.g. {@code --only randomWrite16k/1/direct}, so a row whose
 * rounds spread widely can be given many more rounds without rerunning the whole table.
 */
public final class BenchmarkMain {

    private record Workload(String method, String fioRw, int blockBytes, int threads, boolean bandwidth) {
    }

    /** Medians over the rounds, with the lowest and highest round for each side. */
    private record Row(Workload workload, String backend, double[] cairn, double[] fio) {
    }

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("io")) {
            System.err.println("usage: java -jar cairn-benchmarks.jar io [--dir DIR] [--size-mib N] [--seconds S]"
                    + " [--rounds N] [--only WORKLOAD/THREADS/BACKEND[,...]] [--out FILE]");
            System.exit(2);
        }
        Path dir = Path.of(option(args, "--dir", "/var/tmp/cairn-bench"));
        long sizeBytes = Long.parseLong(option(args, "--size-mib", "2048")) << 20;
        int seconds = Integer.parseInt(option(args, "--seconds", "9"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        String out = option(args, "--out", null);
        List<String> only = List.of(option(args, "--only", "").split(","));

        Files.createDirectories(dir);
        Path file = dir.resolve("bench.dat");
        fill(file, sizeBytes);

        List<Workload> workloads = List.of(
                new Workload("randomRead16k", "randread", BackendIoBenchmark.RANDOM_BLOCK_BYTES, 1, false),
                new Workload("randomRead16k", "randread", BackendIoBenchmark.RANDOM_BLOCK_BYTES, 4, false),
                new Workload("randomWrite16k", "randwrite", BackendIoBenchmark.RANDOM_BLOCK_BYTES, 1, false),
                new Workload("randomWrite16k", "randwrite", BackendIoBenchmark.RANDOM_BLOCK_BYTES, 4, false),
                new Workload("sequentialWrite1m", "write", BackendIoBenchmark.SEQUENTIAL_BLOCK_BYTES, 1, true));
        List<Row> rows = new ArrayList<>();
        for (Workload workload : workloads) {
            for (String backend : List.of("buffered", "direct")) {
                String key = workload.method() + "/" + workload.threads() + "/" + backend;
                if (!only.equals(List.of("")) && !only.contains(key)) {
                    continue;
                }
                // Alternate the two sides round by round, so drift in the machine (other tenants of
                // the host, the device's cache) hits both alike; report medians.
                double[] cairn = new double[rounds];
                double[] fio = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    System.err.printf("== %s, %d thread(s), %s, round %d of %d: JMH, then fio%n",
                            workload.method(), workload.threads(), backend, round + 1, rounds);
                    cairn[round] = runJmh(workload, backend, file, seconds)[0];
                    fio[round] = runFio(workload, backend.equals("direct"), file, sizeBytes, seconds);
                }
                rows.add(new Row(workload, backend, cairn, fio));
            }
        }
        if (rows.isEmpty()) {
            System.err.println("--only " + String.join(",", only) + " names no row; allowed: WORKLOAD/THREADS/BACKEND"
                    + " with WORKLOAD one of randomRead16k, randomWrite16k (threads 1 or 4), sequentialWrite1m"
                    + " (threads 1), BACKEND buffered or direct");
            System.exit(2);
        }
        String table = table(rows, file, sizeBytes, seconds, rounds);
        System.out.println(table);
        if (out != null) {
            Files.writeString(Path.of(out), table, StandardCharsets.UTF_8);
        }
    }

    private static double[] runJmh(Workload workload, String backend, Path file, int seconds) throws RunnerException {
        int iterations = 3;
        var options = new OptionsBuilder()
                .include(BackendIoBenchmark.class.getName() + "." + workload.method() + "$")
                .param("backend", backend)
                .param("file", file.toString())
                .threads(workload.threads())
                .forks(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(Math.max(1, seconds / iterations)))
                .timeUnit(TimeUnit.SECONDS)
                .build();
        RunResult result = new Runner(options).runSingle();
        return new double[] {result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()};
    }

    /** Runs fio's equivalent job and returns its operations per second. */
    private static double runFio(Workload workload, boolean direct, Path file, long sizeBytes, int seconds)
            throws IOException, InterruptedException {
        List<String> command = List.of("fio", "--name=cairn-baseline", "--filename=" + file,
                "--rw=" + workload.fioRw(), "--bs=" + workload.blockBytes(), "--size=" + sizeBytes,
                "--ioengine=psync", "--direct=" + (direct ? 1 : 0), "--numjobs=" + workload.threads(), "--thread",
                "--group_reporting", "--invalidate=0", "--time_based", "--runtime=" + seconds, "--ramp_time=2",
                "--output-format=json");
        Path output = Files.createTempFile("fio-", ".json");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("fio failed or overran: " + String.join(" ", command));
            }
            String json = Files.readString(output);
            // The section object, not the job option "rw" : "write", which also contains the word.
            String section = workload.fioRw().contains("read") ? "read" : "write";
            Matcher sectionStart = Pattern.compile("\"" + section + "\"\\s*:\\s*\\{").matcher(json);
            Matcher matcher = Pattern.compile("\"iops\"\\s*:\\s*([0-9.eE+-]+)").matcher(json);
            int start = sectionStart.find() ? sectionStart.end() : -1;
            if (start < 0 || !matcher.find(start)) {
                throw new IOException("no iops for " + section + " in fio output " + output);
            }
            return Double.parseDouble(matcher.group(1));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(output);
        }
    }

    /** Creates the shared file filled with random bytes (so no file system can compress or skip it). */
    private static void fill(Path file, long sizeBytes) throws IOException {
        if (Files.exists(file) && Files.size(file) == sizeBytes) {
            return;
        }
        SplittableRandom random = new SplittableRandom(1);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long offset = 0; offset < sizeBytes; offset += chunk.length) {
                random.nextBytes(chunk);
                channel.write(ByteBuffer.wrap(chunk), offset);
            }
            channel.force(true);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String spread(double[] values, double factor) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", median(values) * factor, sorted[0] * factor,
                sorted[sorted.length - 1] * factor);
    }

    private static String table(List<Row> rows, Path file, long sizeBytes, int seconds, int rounds) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "File %s (%d MiB, %s), %d rounds of %d s per side, medians (lowest–highest"
                + " round), %s, kernel %s, %s%n%n",
                file, sizeBytes >> 20, Files.getFileStore(file).type(), rounds, seconds,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.version"), fioVersion()));
        sb.append("| workload | threads | backend | Cairn | fio (psync) | Cairn / fio |\n");
        sb.append("|---|---:|---|---:|---:|---:|\n");
        for (Row row : rows) {
            Workload w = row.workload();
            double factor = w.bandwidth() ? w.blockBytes() / 1048576.0 : 1;
            String unit = w.bandwidth() ? " MiB/s" : " IOPS";
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s%s | %s%s | %.2f |%n",
                    w.method(), w.threads(), row.backend(), spread(row.cairn(), factor), unit,
                    spread(row.fio(), factor), unit, median(row.cairn()) / median(row.fio())));
        }
        return sb.toString();
    }

    private static String fioVersion() {
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return version;
        } catch (IOException | InterruptedException e) {
            return "fio (version unknown)";
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
