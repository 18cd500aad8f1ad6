package io.cairn.kv;

import java.util.Arrays;

/**
 * A range of keys: from {@code fromInclusive} (null: from the first key) up to but excluding
 * {@code toExclusive} (null: to the last key). The arrays are copied.
 */
public record KeyRange(byte[] fromInclusive, byte[] toExclusive) {

    private static final KeyRange ALL = new KeyRange(null, null);

    public KeyRange {
        fromInclusive = fromInclusive == null ? null : fromInclusive.clone();
        toExclusive = toExclusive == null ? null : toExclusive.clone();
    }

    /** Every key. */
    public static KeyRange all() {
        return ALL;
    }

    /** Keys at or after {@code fromInclusive}. */
    public static KeyRange from(byte[] fromInclusive) {
        return new KeyRange(fromInclusive, null);
    }

    /** Keys in {@code [fromInclusive, toExclusive)}. */
    public static KeyRange between(byte[] fromInclusive, byte[] toExclusive) {
        return new KeyRange(fromInclusive, toExclusive);
    }

    /** Keys that start with {@code prefix}. */
    public static KeyRange prefix(byte[] prefix) {
        byte[] upper = prefix.clone();
        for (int i = upper.length - 1; i >= 0; i--) {
            if (upper[i] != (byte) 0xFF) {
                upper[i]++;
                return new KeyRange(prefix, Arrays.copyOf(upper, i + 1));
            }
        }
        return new KeyRange(prefix, null);
    }

    /** Whether {@code key} lies in the range (unsigned lexicographic order). */
    public boolean contains(byte[] key) {
        return (fromInclusive == null || Arrays.compareUnsigned(key, fromInclusive) >= 0)
                && (toExclusive == null || Arrays.compareUnsigned(key, toExclusive) < 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRange r
                && Arrays.equals(fromInclusive, r.fromInclusive) && Arrays.equals(toExclusive, r.toExclusive);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(fromInclusive) + Arrays.hashCode(toExclusive);
    }

    @Override
    public String toString() {
        return "KeyRange[" + hex(fromInclusive) + ", " + hex(toExclusive) + ")";
    }

    private static String hex(byte[] bytes) {
        if (bytes == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
