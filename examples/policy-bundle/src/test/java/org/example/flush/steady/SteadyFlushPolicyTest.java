package org.example.flush.steady;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushUrgency;
import io.cairn.testkit.FlushStateBuilder;
import org.junit.jupiter.api.Test;

class SteadyFlushPolicyTest {

    private static final long MIB = 1L << 20;

    /** 10% per round, at least 100 pages from half the redo capacity on. */
    private final SteadyFlushPolicy policy = new SteadyFlushPolicy();

    /** An active server, 100 MiB of redo capacity (async point 87.5 MiB, sync point 93.75 MiB), 8 MiB of age. */
    private static FlushStateBuilder state(long dirtyPages) {
        return FlushStateBuilder.typical().dirtyPages(dirtyPages);
    }

    @Test
    void planMustBeTheConfiguredShareOfTheDirtyPagesRoundedUp() {
        assertEquals(new FlushPlan(103, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "steady: 10% of 1024 dirty pages"),
                policy.plan(state(1024).build())); // 102.4
        assertEquals(100, policy.plan(state(1000).build()).flushListPages());
        assertEquals(1, policy.plan(state(3).build()).flushListPages()); // 0.3: a few pages are still written
        assertEquals(50, new SteadyFlushPolicy(50, 0, 50).plan(state(100).build()).flushListPages());
        assertEquals(100, new SteadyFlushPolicy(100, 0, 50).plan(state(100).build()).flushListPages());
    }

    @Test
    void planMustNotDependOnTheRoundIntervalOrTheRates() {
        FlushPlan expected = policy.plan(state(1024).build());
        assertEquals(expected, policy.plan(state(1024).sinceLastRoundMillis(10).build()));
        assertEquals(expected, policy.plan(state(1024).sinceLastRoundMillis(60_000).build()));
        assertEquals(expected, policy.plan(state(1024).lsnRatesBytesPerSecond(0).flushRatesPagesPerSecond(0).build()));
    }

    @Test
    void floorMustApplyFromTheConfiguredRedoAgeOn() {
        assertEquals(30, policy.plan(state(300).redoAgeBytes(50 * MIB - 1).build()).flushListPages());
        assertEquals(new FlushPlan(100, 0, Long.MAX_VALUE, FlushUrgency.NORMAL,
                "steady: floor of 100 pages, redo age past 50% of capacity"),
                policy.plan(state(300).redoAgeBytes(50 * MIB).build()));
        assertEquals(100, policy.plan(state(300).redoAgeBytes(80 * MIB).build()).flushListPages());
    }

    @Test
    void floorMustNeverAskForMorePagesThanAreDirty() {
        assertEquals(40, policy.plan(state(40).redoAgeBytes(60 * MIB).build()).flushListPages());
        assertEquals(FlushPlan.nothing("steady: 10% of 0 dirty pages"),
                policy.plan(state(0).redoAgeBytes(60 * MIB).build()));
    }

    @Test
    void floorMustNotLowerALargerDrain() {
        assertEquals(new FlushPlan(410, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "steady: 10% of 4096 dirty pages"),
                policy.plan(state(4096).redoAgeBytes(60 * MIB).build()));
    }

    @Test
    void zeroFloorMustTurnTheFloorOff() {
        assertEquals(30, new SteadyFlushPolicy(10, 0, 50).plan(state(300).redoAgeBytes(80 * MIB).build())
                .flushListPages());
    }

    @Test
    void urgencyMustRiseWithTheRedoAgeWhileTheShareStays() {
        assertEquals(new FlushPlan(410, 0, Long.MAX_VALUE, FlushUrgency.ELEVATED,
                "steady: 10% of 4096 dirty pages; redo age past the async point"),
                policy.plan(state(4096).redoAgeBytes(90 * MIB).build()));
        assertEquals(new FlushPlan(410, 0, Long.MAX_VALUE, FlushUrgency.SYNC,
                "steady: 10% of 4096 dirty pages; redo age past the sync point"),
                policy.plan(state(4096).redoAgeBytes(95 * MIB).build()));
    }

    @Test
    void idleServerMustFlushAtIdleUrgencyUntilTheFloorAge() {
        assertEquals(new FlushPlan(103, 0, Long.MAX_VALUE, FlushUrgency.IDLE, "steady: 10% of 1024 dirty pages"),
                policy.plan(state(1024).serverActive(false).build()));
        assertEquals(FlushUrgency.NORMAL,
                policy.plan(state(1024).serverActive(false).redoAgeBytes(60 * MIB).build()).urgency());
        assertEquals(FlushUrgency.IDLE, policy.plan(state(0).build()).urgency());
    }

    @Test
    void sharesMustBeExactAndNeverOverflow() {
        assertEquals(0, SteadyFlushPolicy.percentOfRoundedUp(0, 10));
        assertEquals(1, SteadyFlushPolicy.percentOfRoundedUp(1, 1));
        assertEquals(Long.MAX_VALUE, SteadyFlushPolicy.percentOfRoundedUp(Long.MAX_VALUE, 100));
        assertEquals(Long.MAX_VALUE / 2 + 1, SteadyFlushPolicy.percentOfRoundedUp(Long.MAX_VALUE, 50));
        assertEquals(Long.MAX_VALUE / 2, SteadyFlushPolicy.percentOf(Long.MAX_VALUE, 50));
        assertEquals(0, SteadyFlushPolicy.percentOf(-5, 50));
        assertEquals(52_428_800, SteadyFlushPolicy.percentOf(100 * MIB, 50));
    }

    @Test
    void settingsOutsideTheirRangesMustBeRejectedNamingKeyValueAndRange() {
        assertEquals("invalid setting drainPercent=0: allowed: an integer from 1 to 100",
                assertThrows(InvalidSettingException.class, () -> new SteadyFlushPolicy(0, 100, 50)).getMessage());
        assertEquals("invalid setting floorPages=-1: allowed: an integer from 0 to 2000000",
                assertThrows(InvalidSettingException.class, () -> new SteadyFlushPolicy(10, -1, 50)).getMessage());
        assertEquals("invalid setting floorAgePercent=101: allowed: an integer from 1 to 100",
                assertThrows(InvalidSettingException.class, () -> new SteadyFlushPolicy(10, 100, 101)).getMessage());
        assertEquals("steady: 10% of the dirty pages per round, at least 100 pages from a redo age of 50% of capacity",
                new SteadyFlushPolicy().describe());
    }
}
