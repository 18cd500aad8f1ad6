package io.cairn.bench.peers;

import java.util.SplittableRandom;

/**
 * The data of the workloads: 8-byte big-endian keys 0..N-1 and values of random bytes. A value is
 * a function of (seed, key, version), so any value read back can be checked without keeping the
 * data set in memory: version 0 is what the load wrote, and every durable put writes a version of
 * its own, so no put ever rewrites the bytes a key already holds (SQLite, for one, skips the write
 * and the sync of a commit that changes no byte).
 */
final class KeyValues {

    private KeyValues() {
    }

    /** The key of ordinal {@code k}: big-endian, so key order is numeric order. */
    static byte[] key(long k) {
        byte[] key = new byte[8];
        for (int i = 7; i >= 0; i--) {
            key[i] = (byte) k;
            k >>>= 8;
        }
        return key;
    }

    /** The value of key {@code k} in {@code version}. */
    static byte[] value(long seed, long k, long version, int valueBytes) {
        byte[] value = new byte[valueBytes];
        // SplittableRandom mixes its seed, so neighbouring keys and versions get unrelated values.
        new SplittableRandom(seed ^ (k * 0x9E3779B97F4A7C15L) ^ (version * 0xC2B2AE3D27D4EB4FL)).nextBytes(value);
        return value;
    }

    /** The version of the {@code sequence}-th put (from 0) of worker {@code worker} in put phase {@code phase} (from 1). */
    static long putVersion(int phase, int worker, long sequence) {
        return ((long) phase << 48) | ((long) worker << 40) | (sequence + 1);
    }
}
