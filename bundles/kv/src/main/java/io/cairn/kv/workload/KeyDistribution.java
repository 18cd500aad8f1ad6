package io.cairn.kv.workload;

import io.cairn.config.InvalidSettingException;
import java.util.Locale;
import java.util.SplittableRandom;

/** How a run picks existing keys among {@code 0 .. keys-1}. */
public enum KeyDistribution {
    /** Every key equally often. */
    UNIFORM,
    /**
     * Zipfian with exponent 0.99 (YCSB's default): a few keys are hot. Ranks are scattered over
     * the key space by a hash, so the hot keys do not all sit in one leaf.
     */
    ZIPFIAN;

    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyDistribution parse(String setting, String value) {
        for (KeyDistribution d : values()) {
            if (d.option().equals(value)) {
                return d;
            }
        }
        throw new InvalidSettingException(setting, value, "uniform, zipfian");
    }

    /** A generator of key numbers; one per thread (not thread-safe). */
    public KeyChooser chooser(long keys, long seed) {
        return this == UNIFORM ? new Uniform(keys, seed) : new Zipfian(keys, seed);
    }

    /** Picks key numbers. */
    public interface KeyChooser {
        long next();
    }

    private record Uniform(long keys, SplittableRandom random) implements KeyChooser {
        Uniform(long keys, long seed) {
            this(keys, new SplittableRandom(seed));
        }

        @Override
        public long next() {
            return random.nextLong(keys);
        }
    }

    /** Gray et al.'s method, as YCSB's ZipfianGenerator: constant time per pick after an O(n) setup. */
    private static final class Zipfian implements KeyChooser {
        private static final double THETA = 0.99;
        private final long keys;
        private final SplittableRandom random;
        private final double alpha;
        private final double zetaN;
        private final double eta;

        Zipfian(long keys, long seed) {
            this.keys = keys;
            this.random = new SplittableRandom(seed);
            this.zetaN = zeta(keys);
            this.alpha = 1.0 / (1.0 - THETA);
            this.eta = (1 - Math.pow(2.0 / keys, 1 - THETA)) / (1 - zeta(2) / zetaN);
        }

        private static double zeta(long n) {
            double sum = 0;
            for (long i = 1; i <= n; i++) {
                sum += 1 / Math.pow(i, THETA);
            }
            return sum;
        }

        @Override
        public long next() {
            double u = random.nextDouble();
            double uz = u * zetaN;
            long rank;
            if (uz < 1.0) {
                rank = 0;
            } else if (uz < 1.0 + Math.pow(0.5, THETA)) {
                rank = 1;
            } else {
                rank = (long) (keys * Math.pow(eta * u - eta + 1, alpha));
            }
            return Math.floorMod(mix(Math.min(rank, keys - 1)), keys);
        }

        private static long mix(long x) {
            x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            return x ^ (x >>> 31);
        }
    }
}
