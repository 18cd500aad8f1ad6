package io.cairn.shell.internal;

import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import io.cairn.kv.TableExistsException;
import io.cairn.kv.workload.KeyDistribution;
import io.cairn.kv.workload.Workload;
import io.cairn.kv.workload.WorkloadDriver;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code cairn:bench}: parses the options, loads the table if asked, runs the workload driver
 * and prints its progress line in place each second. In its own class so that the shell bundle
 * only needs the kv bundle's workload package when the command is actually used.
 */
final class BenchCommand {

    static final String USAGE = "cairn:bench [--table T] [--workload point-get|point-update|insert|range-scan|mix]"
            + " [--threads N] [--seconds S | --ops N] [--keys N] [--distribution uniform|zipfian]"
            + " [--value-bytes N] [--read-percent P] [--load N] [--csv FILE]";

    private BenchCommand() {
    }

    static String run(KeyValueStore store, String[] args, PrintStream out) throws Exception {
        String table = "bench";
        Workload workload = Workload.POINT_GET;
        KeyDistribution distribution = KeyDistribution.UNIFORM;
        long threads = 2;
        long seconds = 10;
        long ops = 0;
        long keys = 100_000;
        long valueBytes = 100;
        long readPercent = 90;
        long load = 0;
        String csv = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help")) {
                return "usage: " + USAGE;
            }
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + option + "'; usage: " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; usage: " + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--table" -> table = value;
                case "--workload" -> workload = Workload.parse("--workload", value);
                case "--distribution" -> distribution = KeyDistribution.parse("--distribution", value);
                case "--threads" -> threads = KvCommands.number(option, value, 1, 1024, USAGE);
                case "--seconds" -> seconds = KvCommands.number(option, value, 1, 86_400, USAGE);
                case "--ops" -> ops = KvCommands.number(option, value, 1, Long.MAX_VALUE, USAGE);
                case "--keys" -> keys = KvCommands.number(option, value, 1, 1L << 40, USAGE);
                case "--value-bytes" -> valueBytes = KvCommands.number(option, value, 0, KeyValueStore.MAX_VALUE_BYTES, USAGE);
                case "--read-percent" -> readPercent = KvCommands.number(option, value, 0, 100, USAGE);
                case "--load" -> load = KvCommands.number(option, value, 1, 1L << 40, USAGE);
                case "--csv" -> csv = value;
                default -> throw new IllegalArgumentException("unknown option " + option + "; usage: " + USAGE);
            }
        }
        Table t;
        try {
            t = store.createTable(table);
        } catch (TableExistsException e) {
            t = store.table(table);
        }
        if (load > 0) {
            keys = load;
            WorkloadDriver.load(store, t, load, (int) valueBytes, 1000, line -> inPlace(out, line));
            out.println();
        }
        WorkloadDriver.Settings settings = new WorkloadDriver.Settings(workload, distribution, (int) threads,
                ops > 0 ? 0 : seconds * 1000, ops, keys, (int) valueBytes, 100, (int) readPercent, 42);
        WorkloadDriver.Summary summary;
        if (csv == null) {
            summary = WorkloadDriver.run(store, t, settings, line -> inPlace(out, line), null);
        } else {
            try (Writer w = Files.newBufferedWriter(Path.of(csv), StandardCharsets.UTF_8)) {
                summary = WorkloadDriver.run(store, t, settings, line -> inPlace(out, line), w);
            }
        }
        out.println();
        return summary.line() + (csv == null ? "" : "; per second in " + Path.of(csv).toAbsolutePath());
    }

    /** Rewrites the current terminal line (carriage return, then the line and a clear-to-end). */
    private static void inPlace(PrintStream out, String line) {
        out.print("\r" + line + "\u001B[K");
        out.flush();
    }
}
