package io.cairn.bench.swap;

import java.util.Arrays;

/**
 * Every operation's start and latency, one lane per thread (no sharing while recording), merged
 * and sorted by start time at the end.
 */
final class Recorder {

    /** One thread's operations: start (nanos since the run began, set at merge) and latency, interleaved. */
    static final class Lane {
        private long[] entries = new long[1 << 20];
        private int size;

        void record(long startNanos, long latencyNanos) {
            if (size + 2 > entries.length) {
                entries = Arrays.copyOf(entries, entries.length * 2);
            }
            entries[size++] = startNanos;
            entries[size++] = latencyNanos;
        }
    }

    /** Operations of all threads: {@code starts[i]} relative to the run's start, {@code latencies[i]}. */
    record Operations(long[] starts, long[] latencies) {
        int size() {
            return starts.length;
        }
    }

    private final Lane[] lanes;
    volatile RuntimeException failure;

    Recorder(int threads) {
        lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane();
        }
    }

    Lane lane(int thread) {
        return lanes[thread];
    }

    /** Call after every thread stopped. */
    Operations merge(long runStartNanos) {
        int total = 0;
        for (Lane lane : lanes) {
            total += lane.size / 2;
        }
        long[][] pairs = new long[total][];
        int n = 0;
        for (Lane lane : lanes) {
            for (int i = 0; i < lane.size; i += 2) {
                pairs[n++] = new long[] {lane.entries[i] - runStartNanos, lane.entries[i + 1]};
            }
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        long[] starts = new long[total];
        long[] latencies = new long[total];
        for (int i = 0; i < total; i++) {
            starts[i] = pairs[i][0];
            latencies[i] = pairs[i][1];
        }
        return new Operations(starts, latencies);
    }
}
