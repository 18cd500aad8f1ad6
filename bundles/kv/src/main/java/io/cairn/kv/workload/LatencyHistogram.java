package io.cairn.kv.workload;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Operation latencies in log-linear buckets (16 per power of two, so a percentile is within about
 * 6% of the true value), written by one thread and read by the reporter at any time.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 16;
    private static final int BUCKETS = 64 * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        int bucket = bucket(Math.max(1, nanos));
        // One writer per histogram: a plain increment published with a release store is enough.
        counts.lazySet(bucket, counts.get(bucket) + 1);
    }

    static int bucket(long nanos) {
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent < 4) {
            return (int) nanos;
        }
        int sub = (int) ((nanos >>> (exponent - 4)) & (SUB_BUCKETS - 1));
        return exponent * SUB_BUCKETS + sub;
    }

    /** The smallest latency a bucket holds. */
    static long lowerBound(int bucket) {
        if (bucket < 4 * SUB_BUCKETS) {
            return bucket;
        }
        int exponent = bucket / SUB_BUCKETS;
        int sub = bucket % SUB_BUCKETS;
        return (1L << exponent) | ((long) sub << (exponent - 4));
    }

    /** Adds this histogram's counts into {@code into}. */
    void addTo(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] += counts.get(i);
        }
    }

    static long[] empty() {
        return new long[BUCKETS];
    }

    /** The latency at quantile {@code q} (0..1) of a snapshot, or 0 if it is empty. */
    static long percentile(long[] snapshot, double q) {
        long total = 0;
        for (long c : snapshot) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < snapshot.length; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return lowerBound(i);
            }
        }
        return lowerBound(snapshot.length - 1);
    }
}
