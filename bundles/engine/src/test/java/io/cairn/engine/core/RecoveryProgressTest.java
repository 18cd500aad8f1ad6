package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Long recoveries report how far they are and how long they still need. */
class RecoveryProgressTest {

    @Test
    void progressLineMustGiveThePercentageAndAnEstimateFromTheRateSoFar() {
        assertEquals("recovery: 25.0% of the redo applied (LSN 3000 of 2000..6000), 10 groups, 40 page changes in 5 s,"
                + " about 15 s left", Recovery.progressLine(2000, 3000, 6000, 5000, 10, 40));
    }

    @Test
    void progressLineMustNotDivideByZeroAtTheStartOrOvershootAtTheEnd() {
        assertEquals("recovery: 0.0% of the redo applied (LSN 2000 of 2000..6000), 0 groups, 0 page changes in 5 s,"
                + " no estimate yet", Recovery.progressLine(2000, 2000, 6000, 5000, 0, 0));
        assertEquals("recovery: 100.0% of the redo applied (LSN 6000 of 2000..6000), 9 groups, 9 page changes in 7 s,"
                + " finishing", Recovery.progressLine(2000, 6000, 6000, 7000, 9, 9));
    }
}
