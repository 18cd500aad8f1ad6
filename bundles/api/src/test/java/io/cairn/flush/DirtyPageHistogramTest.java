package io.cairn.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DirtyPageHistogramTest {

    private final DirtyPageHistogram histogram =
            DirtyPageHistogram.of(new long[] {100, 200, 300}, new long[] {5, 5, 12});

    @Test
    void countsMustRoundDownToTheNearestBucketBound() {
        assertEquals(0, histogram.pagesAtOrBelow(99));
        assertEquals(5, histogram.pagesAtOrBelow(100));
        assertEquals(5, histogram.pagesAtOrBelow(299));
        assertEquals(12, histogram.pagesAtOrBelow(300));
        assertEquals(12, histogram.pagesAtOrBelow(Long.MAX_VALUE));
        assertEquals(12, histogram.totalPages());
    }

    @Test
    void emptyHistogramMustCountNothing() {
        assertEquals(0, DirtyPageHistogram.empty().pagesAtOrBelow(Long.MAX_VALUE));
    }

    @Test
    void decreasingCountsOrBoundsMustBeRejected() {
        assertThrows(IllegalArgumentException.class, () -> DirtyPageHistogram.of(new long[] {1, 2}, new long[] {3, 2}));
        assertThrows(IllegalArgumentException.class, () -> DirtyPageHistogram.of(new long[] {2, 2}, new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> DirtyPageHistogram.of(new long[] {1}, new long[] {1, 2}));
    }

    @Test
    void histogramMustNotChangeWhenTheCallersArraysDo() {
        long[] bounds = {10};
        long[] counts = {4};
        DirtyPageHistogram h = DirtyPageHistogram.of(bounds, counts);
        counts[0] = 99;
        assertEquals(4, h.totalPages());
    }
}
