package io.cairn.flush.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushUrgency;
import io.cairn.testkit.FlushStateBuilder;
import org.junit.jupiter.api.Test;

class FixedFlushPolicyTest {

    private final FixedFlushPolicy policy = new FixedFlushPolicy(200);

    private static FlushStateBuilder state(long sinceLastRoundMillis) {
        // 4096 dirty pages, far more than any budget below; redo age 8 MiB of 100 MiB
        return FlushStateBuilder.typical().dirtyPages(4096).sinceLastRoundMillis(sinceLastRoundMillis);
    }

    @Test
    void budgetMustScaleWithTheTimeSinceTheLastRound() {
        assertEquals(new FlushPlan(200, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "fixed: 200 pages/s for 1000 ms"),
                policy.plan(state(1000).build()));
        assertEquals(100, policy.plan(state(500).build()).flushListPages()); // 200 * 500 / 1000
        assertEquals(500, policy.plan(state(2500).build()).flushListPages()); // 200 * 2500 / 1000
    }

    @Test
    void shortRoundsMustRoundUpSoThatTheyStillFlush() {
        assertEquals(1, policy.plan(state(1).build()).flushListPages()); // ceil(200 * 1 / 1000) = ceil(0.2)
        assertEquals(3, policy.plan(state(11).build()).flushListPages()); // ceil(2.2)
    }

    @Test
    void firstRoundMustPlanOneNominalSecond() {
        assertEquals(200, policy.plan(state(0).firstRound().build()).flushListPages());
        assertEquals(200, policy.plan(state(-5).build()).flushListPages());
    }

    @Test
    void longStallMustBeCappedAtTenSeconds() {
        assertEquals(2000, policy.plan(state(60_000).build()).flushListPages()); // 200 * 10,000 / 1000
    }

    @Test
    void planMustNotAskForMorePagesThanAreDirty() {
        assertEquals(30, policy.plan(state(1000).dirtyPages(30).build()).flushListPages());
        assertEquals(FlushPlan.nothing("fixed: 200 pages/s for 1000 ms"), policy.plan(state(1000).dirtyPages(0).build()));
    }

    @Test
    void urgencyMustFollowTheRedoAgeAndTheSizeMustNot() {
        // 100 MiB capacity: async point 87.5 MiB, sync point 93.75 MiB
        FlushPlan elevated = policy.plan(state(1000).redoAgeBytes(90L << 20).build());
        assertEquals(new FlushPlan(200, 0, Long.MAX_VALUE, FlushUrgency.ELEVATED,
                "fixed: 200 pages/s for 1000 ms; redo age past the adaptive point"), elevated);
        FlushPlan sync = policy.plan(state(1000).redoAgeBytes(95L << 20).build());
        assertEquals(new FlushPlan(200, 0, Long.MAX_VALUE, FlushUrgency.SYNC,
                "fixed: 200 pages/s for 1000 ms; redo age past the sync point"), sync);
        assertEquals(FlushUrgency.ELEVATED,
                policy.plan(state(1000).serverActive(false).redoAgeBytes(90L << 20).build()).urgency());
    }

    @Test
    void idleServerMustKeepTheBudgetAtIdleUrgency() {
        assertEquals(new FlushPlan(200, 0, Long.MAX_VALUE, FlushUrgency.IDLE, "fixed: 200 pages/s for 1000 ms"),
                policy.plan(state(1000).serverActive(false).build()));
    }

    @Test
    void budgetOutsideItsRangeMustBeRejectedNamingKeyValueAndRange() {
        assertEquals("invalid setting pagesPerSecond=0: allowed: an integer from 1 to 2000000",
                assertThrows(InvalidSettingException.class, () -> new FixedFlushPolicy(0)).getMessage());
        assertEquals("invalid setting pagesPerSecond=2000001: allowed: an integer from 1 to 2000000",
                assertThrows(InvalidSettingException.class, () -> new FixedFlushPolicy(2_000_001)).getMessage());
        assertEquals(200, new FixedFlushPolicy().pagesPerSecond());
        assertEquals("fixed: 200 pages/s", new FixedFlushPolicy().describe());
    }
}
