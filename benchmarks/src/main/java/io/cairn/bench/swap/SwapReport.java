package io.cairn.bench.swap;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The figures of one run: per second, per swap, and the steady stretch before the first swap. */
final class SwapReport {

    /** One second of the run. */
    record Second(int second, long operations, double p999Millis, double maxMillis) {
    }

    /** The operations that started in a window. */
    record Window(long operations, double p999Millis, double maxMillis) {
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Half a second before and after a swap: "the second around the swap". */
    private static final long AROUND_NANOS = NANOS_PER_SECOND / 2;

    final Recorder.Operations operations;
    final List<SwapPauseMain.Swap> swaps;
    final int seconds;
    final int threads;
    final double fsyncMillis;
    final int dataFiles;
    final int redoFiles;
    final long poolBytes;
    final long dataBytes;
    final List<Second> perSecond = new ArrayList<>();

    SwapReport(Recorder.Operations operations, List<SwapPauseMain.Swap> swaps, int seconds, int threads,
            double fsyncMillis, int dataFiles, int redoFiles, long poolBytes, long dataBytes) {
        this.operations = operations;
        this.swaps = swaps;
        this.seconds = seconds;
        this.threads = threads;
        this.fsyncMillis = fsyncMillis;
        this.dataFiles = dataFiles;
        this.redoFiles = redoFiles;
        this.poolBytes = poolBytes;
        this.dataBytes = dataBytes;
        for (int s = 0; s < seconds; s++) {
            Window w = window((long) s * NANOS_PER_SECOND, (long) (s + 1) * NANOS_PER_SECOND);
            perSecond.add(new Second(s, w.operations(), w.p999Millis(), w.maxMillis()));
        }
    }

    /** Operations that started in [from, to) — and for the max, also those still running into it. */
    Window window(long fromNanos, long toNanos) {
        long[] starts = operations.starts();
        int first = lowerBound(starts, fromNanos);
        int last = Math.max(first, lowerBound(starts, toNanos));
        long[] latencies = Arrays.copyOfRange(operations.latencies(), first, last);
        long max = 0;
        for (long l : latencies) {
            max = Math.max(max, l);
        }
        // An operation that started before the window and was still running in it stalled in it too.
        for (int i = first - 1; i >= 0 && i >= first - 10_000; i--) {
            if (starts[i] + operations.latencies()[i] > fromNanos) {
                max = Math.max(max, operations.latencies()[i]);
            }
        }
        Arrays.sort(latencies);
        double p999 = latencies.length == 0 ? 0 : latencies[Math.min(latencies.length - 1,
                (int) Math.ceil(latencies.length * 0.999) - 1)] / 1e6;
        return new Window(latencies.length, p999, max / 1e6);
    }

    private static int lowerBound(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i;
    }

    Window around(SwapPauseMain.Swap swap) {
        return window(swap.startNanos() - AROUND_NANOS, swap.endNanos() + AROUND_NANOS);
    }

    /** The steady stretch: from 5 s to 1 s before the first swap. */
    Window steady() {
        long end = swaps.isEmpty() ? (long) seconds * NANOS_PER_SECOND : swaps.get(0).startNanos() - NANOS_PER_SECOND;
        return window(5 * NANOS_PER_SECOND, end);
    }

    /**
     * The target for a backend swap's longest stall; none (NaN) for the replacement of a buffer
     * pool or redo log implementation, for which issue 7 sets none.
     */
    double targetMillis(SwapPauseMain.Swap swap) {
        if (swap.label().startsWith("buffer pool") || swap.label().startsWith("redo log")) {
            return Double.NaN;
        }
        return 50 + (swap.label().startsWith("data") ? dataFiles : redoFiles) * fsyncMillis;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Swap pause: %d threads, each operation a get or a durable put"
                + " (SYNC_ON_COMMIT) of a random key, %d s; data %d MiB in a %d MiB buffer pool; %s %s, %d CPUs;"
                + " fdatasync of 4 KiB on this disk: median %.2f ms; open files: %d data (tablespaces and doublewrite),"
                + " %d redo\n\n", threads, seconds, dataBytes >> 20, poolBytes >> 20,
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), fsyncMillis, dataFiles, redoFiles));
        sb.append("| stretch | swap took (ms) | engine-reported pause (ms) | operations | ops/s | p99.9 (ms) | max (ms) |"
                + " target for max (ms) | met |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        Window steady = steady();
        long steadyEnd = swaps.isEmpty() ? (long) seconds * NANOS_PER_SECOND : swaps.get(0).startNanos() - NANOS_PER_SECOND;
        double steadySeconds = (steadyEnd - 5 * NANOS_PER_SECOND) / 1e9;
        sb.append(String.format(Locale.ROOT, "| steady, before any swap | | | %d | %.0f | %.2f | %.2f | | |\n",
                steady.operations(), steady.operations() / steadySeconds, steady.p999Millis(), steady.maxMillis()));
        for (SwapPauseMain.Swap swap : swaps) {
            Window w = around(swap);
            double windowSeconds = (swap.endNanos() - swap.startNanos() + 2 * AROUND_NANOS) / 1e9;
            double target = targetMillis(swap);
            sb.append(String.format(Locale.ROOT, "| %s, the second around it | %.1f | %d | %d | %.0f | %.2f | %.2f | %s | %s |\n",
                    swap.label(), (swap.endNanos() - swap.startNanos()) / 1e6, swap.enginePauseMillis(), w.operations(),
                    w.operations() / windowSeconds, w.p999Millis(), w.maxMillis(),
                    Double.isNaN(target) ? "(none)" : String.format(Locale.ROOT, "%.1f", target),
                    Double.isNaN(target) ? "" : w.maxMillis() <= target ? "yes" : "**no**"));
        }
        sb.append('\n');
        sb.append("JVM arguments: ").append(ManagementFactory.getRuntimeMXBean().getInputArguments()).append('\n');
        return sb.toString();
    }

    String perSecondCsv() {
        StringBuilder sb = new StringBuilder("second,operations,p999_ms,max_ms\n");
        for (Second s : perSecond) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%.3f,%.3f\n", s.second(), s.operations(), s.p999Millis(),
                    s.maxMillis()));
        }
        return sb.toString();
    }
}
