package io.cairn.flush;

import java.util.Arrays;

/**
 * How many dirty pages have their oldest modification at or below each of a few LSNs: the part of
 * the flush list a policy needs to size a flush towards an LSN target (InnoDB counts flush-list
 * pages below {@code oldest_lsn + 3 * lsn_avg_rate}), without access to the list itself.
 *
 * <p>Immutable. {@code upToLsn} is strictly increasing and {@code pagesAtOrBelow} is
 * non-decreasing with the same length; the last entry counts every dirty page.
 */
public final class DirtyPageHistogram {

    private static final DirtyPageHistogram EMPTY = new DirtyPageHistogram(new long[0], new long[0]);

    private final long[] upToLsn;
    private final long[] pagesAtOrBelow;

    private DirtyPageHistogram(long[] upToLsn, long[] pagesAtOrBelow) {
        this.upToLsn = upToLsn;
        this.pagesAtOrBelow = pagesAtOrBelow;
    }

    /** A histogram of a pool without dirty pages. */
    public static DirtyPageHistogram empty() {
        return EMPTY;
    }

    /**
     * @param upToLsn strictly increasing bucket bounds
     * @param pagesAtOrBelow for each bound, the number of dirty pages whose oldest modification LSN
     *     is at or below it; non-decreasing
     * @throws IllegalArgumentException if the arrays break those rules
     */
    public static DirtyPageHistogram of(long[] upToLsn, long[] pagesAtOrBelow) {
        if (upToLsn.length != pagesAtOrBelow.length) {
            throw new IllegalArgumentException("bounds and counts differ in length: "
                    + upToLsn.length + " != " + pagesAtOrBelow.length);
        }
        for (int i = 0; i < upToLsn.length; i++) {
            if (pagesAtOrBelow[i] < 0) {
                throw new IllegalArgumentException("negative page count at bucket " + i);
            }
            if (i > 0 && (upToLsn[i] <= upToLsn[i - 1] || pagesAtOrBelow[i] < pagesAtOrBelow[i - 1])) {
                throw new IllegalArgumentException("bucket " + i + " breaks the ordering rules");
            }
        }
        return new DirtyPageHistogram(upToLsn.clone(), pagesAtOrBelow.clone());
    }

    /**
     * The number of dirty pages whose oldest modification is at or below {@code lsn}, rounded down
     * to the nearest bucket bound (an underestimate, never an overestimate).
     */
    public long pagesAtOrBelow(long lsn) {
        int index = Arrays.binarySearch(upToLsn, lsn);
        if (index >= 0) {
            return pagesAtOrBelow[index];
        }
        int insertion = -index - 1;
        return insertion == 0 ? 0 : pagesAtOrBelow[insertion - 1];
    }

    /** The total number of dirty pages the histogram counts. */
    public long totalPages() {
        return pagesAtOrBelow.length == 0 ? 0 : pagesAtOrBelow[pagesAtOrBelow.length - 1];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DirtyPageHistogram h
                && Arrays.equals(upToLsn, h.upToLsn) && Arrays.equals(pagesAtOrBelow, h.pagesAtOrBelow);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(upToLsn) + Arrays.hashCode(pagesAtOrBelow);
    }

    @Override
    public String toString() {
        return "DirtyPageHistogram" + Arrays.toString(upToLsn) + "->" + Arrays.toString(pagesAtOrBelow);
    }
}
