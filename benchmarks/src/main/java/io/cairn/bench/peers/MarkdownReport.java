package io.cairn.bench.peers;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Prints the results as Markdown: the figures, Cairn's ratio to each peer, the targets, the settings. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(String header, List<EngineResult> results) {
        StringBuilder sb = new StringBuilder(header);
        sb.append("| engine | version | load s | load keys/s | size after load MiB | gets/s 1 thread | gets/s 2 threads"
                + " | commits/s 1 thread | commits/s 8 threads | raw fdatasync/s before the commit phases"
                + " | CPUs used by other processes (whole run / busiest measured phase) |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EngineResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |%n",
                    r.displayName, r.version, number(r.loadSeconds, "%.1f"), number(r.loadKeysPerSecond, "%,.0f"),
                    r.sizeAfterLoadBytes < 0 ? "–" : String.format(Locale.ROOT, "%,.0f", r.sizeAfterLoadBytes / 1048576.0),
                    number(r.getsPerSecond1Thread, "%,.0f"), number(r.getsPerSecond2Threads, "%,.0f"),
                    number(r.commitsPerSecond1Thread, "%,.0f"), number(r.commitsPerSecond8Threads, "%,.0f"),
                    number(r.rawFdatasyncPerSecond, "%,.0f"), number(r.otherCpusWholeRun, "%.2f"),
                    number(r.otherCpusBusiestPhase, "%.2f")));
        }

        EngineResult cairn = results.stream().filter(r -> r.id.equals("cairn")).findFirst().orElse(null);
        if (cairn != null && results.size() > 1) {
            sb.append("\nCairn ÷ peer (above 1: Cairn is faster; for load, the ratio of keys/s):\n\n");
            sb.append("| peer | load | gets 1 thread | gets 2 threads | commits 1 thread | commits 8 threads |\n");
            sb.append("|---|---:|---:|---:|---:|---:|\n");
            for (EngineResult peer : results) {
                if (peer == cairn) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", peer.displayName,
                        ratio(cairn, peer, r -> r.loadKeysPerSecond), ratio(cairn, peer, r -> r.getsPerSecond1Thread),
                        ratio(cairn, peer, r -> r.getsPerSecond2Threads),
                        ratio(cairn, peer, r -> r.commitsPerSecond1Thread),
                        ratio(cairn, peer, r -> r.commitsPerSecond8Threads)));
            }
            targets(sb, cairn, results);
        }

        sb.append("\nSettings (every durable commit is synced to disk before it returns):\n\n");
        for (EngineResult r : results) {
            sb.append("- **").append(r.displayName).append("** (").append(r.version).append("): ").append(r.settings)
                    .append('\n');
        }
        boolean anyFailure = results.stream().anyMatch(r -> r.failure != null);
        if (anyFailure) {
            sb.append("\nFailures:\n\n");
            for (EngineResult r : results) {
                if (r.failure != null) {
                    sb.append("- **").append(r.displayName).append("**: ").append(r.failure).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** The targets of issue #6, each met or missed and by how much. */
    private static void targets(StringBuilder sb, EngineResult cairn, List<EngineResult> results) {
        EngineResult lmdb = find(results, "lmdb");
        EngineResult rocksdb = find(results, "rocksdb");
        if (lmdb == null && rocksdb == null) {
            return;
        }
        sb.append("\nTargets:\n\n");
        if (lmdb != null) {
            target(sb, "cached gets, 1 thread: Cairn ≥ LMDB", cairn.getsPerSecond1Thread, lmdb.getsPerSecond1Thread, 1.0);
            target(sb, "cached gets, 2 threads: Cairn ≥ LMDB", cairn.getsPerSecond2Threads, lmdb.getsPerSecond2Threads,
                    1.0);
        }
        if (rocksdb != null) {
            target(sb, "durable commits, 8 threads: Cairn ≥ 1.5 × RocksDB", cairn.commitsPerSecond8Threads,
                    rocksdb.commitsPerSecond8Threads, 1.5);
            target(sb, "load: Cairn ≥ RocksDB", cairn.loadKeysPerSecond, rocksdb.loadKeysPerSecond, 1.0);
        }
    }

    private static void target(StringBuilder sb, String what, double cairn, double peer, double factor) {
        if (Double.isNaN(cairn) || Double.isNaN(peer) || peer == 0) {
            sb.append("- ").append(what).append(": not measured\n");
            return;
        }
        double ratio = cairn / peer;
        if (ratio >= factor) {
            sb.append(String.format(Locale.ROOT, "- %s: **met**, ratio %.2f (target %.2f)%n", what, ratio, factor));
        } else {
            // "Missed by" is how far Cairn falls short of the target figure, as a share of it.
            sb.append(String.format(Locale.ROOT, "- %s: **missed**, ratio %.2f (target %.2f): Cairn is at %.0f%% of"
                    + " the target figure, %.0f%% short (%,.0f/s against %,.0f/s needed)%n", what, ratio, factor,
                    100 * ratio / factor, 100 * (1 - ratio / factor), cairn, peer * factor));
        }
    }

    private static EngineResult find(List<EngineResult> results, String id) {
        return results.stream().filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    private static String ratio(EngineResult cairn, EngineResult peer, ToDoubleFunction<EngineResult> figure) {
        double c = figure.applyAsDouble(cairn);
        double p = figure.applyAsDouble(peer);
        if (Double.isNaN(c) || Double.isNaN(p) || p == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", c / p);
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }
}
