package io.cairn.bench.flush;

import io.cairn.status.RedoPressure;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/** Markdown for one or more runs, side by side: settings, min/avg/max per metric, blocking, per-10-second table. */
final class FlushReport {

    private static final int WINDOW_SECONDS = 10;
    private static final double MIB = 1 << 20;

    private FlushReport() {
    }

    private record Metric(String name, ToDoubleFunction<SecondSample> value, String format) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("commits/s", SecondSample::commitsPerSecond, "%,.0f"),
            new Metric("pages changed/s", SecondSample::pagesChangedPerSecond, "%,.0f"),
            new Metric("redo MiB/s", s -> s.redoBytesPerSecond() / MIB, "%.2f"),
            new Metric("dirty pages, % of pool", SecondSample::dirtyPct, "%.1f"),
            new Metric("redo age, % of capacity (end of second)", SecondSample::checkpointAgePct, "%.1f"),
            new Metric("redo age, % of capacity (highest poll in the second)", SecondSample::checkpointAgeMaxPct, "%.1f"),
            new Metric("pages written/s", SecondSample::pagesWrittenPerSecond, "%,.0f"),
            new Metric("pages read/s", SecondSample::pagesReadPerSecond, "%,.0f"),
            new Metric("longest beginMiniTransaction, ms", s -> s.beginMaxMicros() / 1000.0, "%.1f"));

    static String markdown(List<RunRecord> runs) {
        StringBuilder sb = new StringBuilder();
        settings(sb, runs);
        summary(sb, runs);
        blocking(sb, runs);
        windows(sb, runs);
        return sb.toString();
    }

    private static void settings(StringBuilder sb, List<RunRecord> runs) {
        RunRecord first = runs.get(0);
        var m = first.meta();
        sb.append(String.format(Locale.ROOT, "Buffer pool %d MiB, tablespace %d MiB (%s pages of %d KiB, pre-allocated),"
                        + " redo capacity %d MiB, durability %s, doublewrite %s, backend %s; %s writer threads, %s;"
                        + " mini-transactions change %s pages, %s bytes each; hot set %s pages taking %s%% of the picks,"
                        + " the rest uniform over the tablespace; engine ioCapacity/ioCapacityMax %s pages/s;"
                        + " buffer pool instances %s, page cleaner threads %s;"
                        + " %s s measured after %s s warm-up. Directory %s; %s.%n%n",
                first.longMeta("pool_bytes") >> 20, first.longMeta("space_bytes") >> 20, m.get("tablespace_pages"),
                first.longMeta("page_size_bytes") >> 10, first.longMeta("redo_capacity_bytes") >> 20,
                m.get("durability"), m.get("doublewrite"), m.get("backend"), m.get("threads"),
                m.get("rate_commits_per_s").equals("unthrottled") ? "unthrottled"
                        : "target " + m.get("rate_commits_per_s") + " commits/s in all",
                m.get("pages_per_mtr"), m.get("bytes_per_page"), m.get("hot_pages"), m.get("hot_access_pct"),
                m.get("io_capacity"), m.getOrDefault("pool_instances", "auto (1)"),
                m.getOrDefault("cleaner_threads", "1"), m.get("seconds"), m.get("warmup_seconds"), m.get("dir"), m.get("machine")));
        RedoLimits limits = RedoLimits.of(first);
        sb.append(String.format(Locale.ROOT, "Redo pressure stages by checkpoint age: ADAPTIVE above %.1f%% of the"
                        + " capacity (%.1f MiB), SYNC_FLUSH above %.1f%% (%.1f MiB), writers block (BLOCKING) at %.1f%%"
                        + " (%.1f MiB).%n%n",
                limits.pct(limits.adaptiveAgeBytes()), limits.adaptiveAgeBytes() / MIB,
                limits.pct(limits.syncFlushAgeBytes()), limits.syncFlushAgeBytes() / MIB,
                limits.pct(limits.freeCheckLimitBytes()), limits.freeCheckLimitBytes() / MIB));
        for (RunRecord run : runs) {
            sb.append(String.format(Locale.ROOT, "- **%s** (%s): started %s, load average %s at start and %s at end%n",
                    run.policy(), run.meta().get("policy_settings"), run.meta().get("started"),
                    run.meta().get("load_average_at_start"), run.meta().get("load_average_at_end")));
        }
        sb.append('\n');
    }

    private static void summary(StringBuilder sb, List<RunRecord> runs) {
        sb.append("| per second |");
        for (RunRecord run : runs) {
            sb.append(' ').append(run.policy()).append(" min | avg | max |");
        }
        sb.append("\n|---|");
        sb.append("---:|---:|---:|".repeat(runs.size()));
        sb.append('\n');
        for (Metric metric : METRICS) {
            sb.append("| ").append(metric.name()).append(" |");
            for (RunRecord run : runs) {
                DoubleSummaryStatistics stats = run.measured().stream().mapToDouble(metric.value()).summaryStatistics();
                sb.append(' ').append(fmt(metric.format(), stats.getMin())).append(" | ")
                        .append(fmt(metric.format(), stats.getAverage())).append(" | ")
                        .append(fmt(metric.format(), stats.getMax())).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    private static void blocking(StringBuilder sb, List<RunRecord> runs) {
        sb.append("| measured run |");
        runs.forEach(r -> sb.append(' ').append(r.policy()).append(" |"));
        sb.append("\n|---|").append("---:|".repeat(runs.size())).append('\n');
        row(sb, runs, "seconds", r -> r.measured().size());
        row(sb, runs, "commits", r -> Math.round(r.measured().stream().mapToDouble(SecondSample::commitsPerSecond).sum()));
        row(sb, runs, "seconds at ADAPTIVE or above", r -> atLeast(r, RedoPressure.ADAPTIVE));
        row(sb, runs, "seconds at SYNC_FLUSH or above", r -> atLeast(r, RedoPressure.SYNC_FLUSH));
        row(sb, runs, "**seconds with writers blocked at the redo limit**",
                r -> r.measured().stream().filter(SecondSample::blocked).count());
        row(sb, runs, "status polls that saw writers blocked",
                r -> r.measured().stream().mapToLong(SecondSample::blockingPolls).sum());
        row(sb, runs, "distinct \"redo space\" waits seen (whole run, warm-up included)",
                r -> r.longMeta("redo_space_waits_seen_total"));
        row(sb, runs, "warm-up seconds with writers blocked", r -> r.longMeta("warmup_seconds_blocked"));
        row(sb, runs, "status polls with the redo sync flush enforced",
                r -> r.measured().stream().mapToLong(SecondSample::syncFlushPolls).sum());
        row(sb, runs, "beginMiniTransaction calls of 1 ms or more",
                r -> r.measured().stream().mapToLong(SecondSample::slowBegins).sum());
        row(sb, runs, "flush policy failures (safe policy used instead)", r -> r.longMeta("policy_failures"));
        row(sb, runs, "engine close after the run, ms", r -> r.longMeta("close_ms"));
        sb.append('\n');
    }

    private static long atLeast(RunRecord run, RedoPressure stage) {
        return run.measured().stream().filter(s -> s.pressureWorst().compareTo(stage) >= 0).count();
    }

    private static void row(StringBuilder sb, List<RunRecord> runs, String name, ToLongFunction<RunRecord> value) {
        sb.append("| ").append(name).append(" |");
        for (RunRecord run : runs) {
            sb.append(String.format(Locale.ROOT, " %,d |", value.applyAsLong(run)));
        }
        sb.append('\n');
    }

    private static void windows(StringBuilder sb, List<RunRecord> runs) {
        sb.append("Every ").append(WINDOW_SECONDS).append(" seconds: mean commits/s, mean dirty share, mean redo age"
                + " (highest poll in parentheses), mean pages written/s, highest pressure stage.\n\n");
        sb.append("| seconds |");
        for (RunRecord run : runs) {
            String p = run.policy();
            sb.append(String.format(" %s commits/s | %s dirty %% | %s redo age %% | %s written/s | %s stage |", p, p, p,
                    p, p));
        }
        sb.append("\n|---|").append("---:|---:|---:|---:|---|".repeat(runs.size())).append('\n');
        int seconds = runs.stream().mapToInt(r -> r.measured().size()).max().orElse(0);
        for (int start = 0; start < seconds; start += WINDOW_SECONDS) {
            int from = start;
            sb.append(String.format(Locale.ROOT, "| %d–%d |", from, Math.min(seconds, from + WINDOW_SECONDS)));
            for (RunRecord run : runs) {
                List<SecondSample> window = run.measured().stream()
                        .filter(s -> s.second() >= from && s.second() < from + WINDOW_SECONDS).toList();
                if (window.isEmpty()) {
                    sb.append(" | | | | |");
                    continue;
                }
                RedoPressure worst = window.stream().map(SecondSample::pressureWorst).max(Enum::compareTo).orElseThrow();
                sb.append(String.format(Locale.ROOT, " %,.0f | %.1f | %.1f (%.1f) | %,.0f | %s |",
                        mean(window, SecondSample::commitsPerSecond), mean(window, SecondSample::dirtyPct),
                        mean(window, SecondSample::checkpointAgePct),
                        window.stream().mapToDouble(SecondSample::checkpointAgeMaxPct).max().orElse(0),
                        mean(window, SecondSample::pagesWrittenPerSecond),
                        window.stream().anyMatch(SecondSample::blocked) ? "**BLOCKING**" : worst.name()));
            }
            sb.append('\n');
        }
    }

    private static double mean(List<SecondSample> samples, ToDoubleFunction<SecondSample> value) {
        return samples.stream().mapToDouble(value).average().orElse(0);
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
