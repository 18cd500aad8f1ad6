package io.cairn.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FlushPlanTest {

    @Test
    void negativePageCountsMustBeRejected() {
        assertThrows(IllegalArgumentException.class, () -> new FlushPlan(-1, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "x"));
        assertThrows(IllegalArgumentException.class, () -> new FlushPlan(0, -5, Long.MAX_VALUE, FlushUrgency.NORMAL, "x"));
    }

    @Test
    void missingUrgencyOrReasonMustBeRejected() {
        assertThrows(NullPointerException.class, () -> new FlushPlan(1, 1, Long.MAX_VALUE, null, "x"));
        assertThrows(NullPointerException.class, () -> new FlushPlan(1, 1, Long.MAX_VALUE, FlushUrgency.IDLE, null));
    }

    @Test
    void urgencyOrderMustRiseWithPressure() {
        assertEquals(java.util.List.of(FlushUrgency.IDLE, FlushUrgency.NORMAL, FlushUrgency.ELEVATED, FlushUrgency.SYNC),
                java.util.List.of(FlushUrgency.values()));
    }

    @Test
    void stateMustComputeInnoDbDirtyPercentage() {
        FlushState state = new FlushState(1, 0, true, 1000, 90, 9, 990, 500, 400, 300, 1000, 875, 937,
                0, 0, 0, 0, 200, 2000, DirtyPageHistogram.empty(), 1_000_000);
        // 90 * 100 / (1 + 990 + 9) = 9.0
        assertEquals(9.0, state.dirtyPct(), 1e-9);
        assertEquals(100, state.redoAgeBytes());
    }
}
