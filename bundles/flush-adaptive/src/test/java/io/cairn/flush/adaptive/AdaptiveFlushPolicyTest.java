package io.cairn.flush.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.flush.DirtyPageHistogram;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;
import io.cairn.testkit.FlushStateBuilder;
import org.junit.jupiter.api.Test;

/**
 * The policy's plans against values worked out by hand from the formulas in
 * {@link AdaptiveFlushPolicy}.
 *
 * <p>Every state has 10000 pool pages, 1000 of them free (so 9000 on the LRU and a dirty share of
 * {@code dirty * 100 / 10001}), 100,000,000 bytes of redo capacity (async point 87,500,000, sync
 * point 93,750,000, adaptiveFlushingLwm 10% = 10,000,000), the oldest dirty page at LSN
 * {@code O = 1e9}, the current LSN at {@code O + age}, and the engine's I/O capacity 200 / 2000
 * (ratio 10). Settings are the defaults unless a test says otherwise.
 */
class AdaptiveFlushPolicyTest {

    private static final long O = 1_000_000_000L;
    private static final double PCT_DELTA = 0.001;

    private final AdaptiveFlushPolicy policy = new AdaptiveFlushPolicy();

    private static FlushStateBuilder state(long dirtyPages, long ageBytes, double pageAvgRate, double lsnAvgRate,
            DirtyPageHistogram histogram) {
        return FlushStateBuilder.typical().poolPages(10_000).freePages(1_000).dirtyPages(dirtyPages)
                .currentLsn(O + ageBytes).oldestModificationLsn(O).redoCapacityBytes(100_000_000)
                .flushRatesPagesPerSecond(pageAvgRate).lsnRatesBytesPerSecond(lsnAvgRate)
                .ioCapacityPagesPerSecond(200).ioCapacityMaxPagesPerSecond(2000).dirtyHistogram(histogram);
    }

    /** Pairs of (LSN offset from O, dirty pages at or below it). */
    private static DirtyPageHistogram histogram(long... offsetAndPages) {
        long[] lsns = new long[offsetAndPages.length / 2];
        long[] pages = new long[lsns.length];
        for (int i = 0; i < lsns.length; i++) {
            lsns[i] = O + offsetAndPages[2 * i];
            pages[i] = offsetAndPages[2 * i + 1];
        }
        return DirtyPageHistogram.of(lsns, pages);
    }

    private static void assertPlan(long pages, long lsnLimit, FlushUrgency urgency, FlushPlan plan) {
        assertEquals(pages, plan.flushListPages(), plan::toString);
        assertEquals(0, plan.lruPages(), plan::toString);
        assertEquals(lsnLimit, plan.lsnLimit(), plan::toString);
        assertEquals(urgency, plan.urgency(), plan::toString);
    }

    @Test
    void quietServerMustFlushOnlyItsShareOfThePagesBelowTheLsnTarget() {
        // dirtyPct = 500 * 100 / 10001 = 5.0 < lwm 10        -> pctForDirty 0
        // age 5,000,000 < 10,000,000                          -> pctForLsn 0
        // target = O + 3 * 0 = O: 10 pages -> 10 / 3 = 3      -> pagesForLsn 3
        // n = floor((200 * 0 / 100 + 0 + 3) / 3) = 1
        FlushState s = state(500, 5_000_000, 0, 0, histogram(0, 10, 2_500_000, 250, 5_000_000, 500)).build();
        assertPlan(1, Long.MAX_VALUE, FlushUrgency.NORMAL, policy.plan(s));
    }

    @Test
    void dirtyShareAtTheLowWaterMarkMustStartFlushingForDirtyPages() {
        // dirtyPct = 1001 * 100 / 10001 = 10.009 >= lwm 10
        // pctForDirty = 10.009 * 100 / (90 + 1) = 10.999      -> PCT_IO = 200 * 10.999 / 100 = 21.998
        // age 5,000,000 < 10,000,000                          -> pctForLsn 0
        // target = O + 3 * 1,000,000 = O + 3e6: 400 pages     -> pagesForLsn 400 / 3 = 133
        // n = floor((21.998 + 100 + 133) / 3) = floor(84.9993) = 84
        FlushState s = state(1001, 5_000_000, 100, 1_000_000,
                histogram(1_000_000, 100, 3_000_000, 400, 5_000_000, 1001)).build();
        assertEquals(10.999, policy.pctForDirty(AdaptiveFlushPolicy.dirtyPct(s)), PCT_DELTA);
        assertPlan(84, Long.MAX_VALUE, FlushUrgency.NORMAL, policy.plan(s));
    }

    @Test
    void dirtyShareMustDecideWhenItAsksForMoreThanTheRedoAge() {
        // dirtyPct = 7000 * 100 / 10001 = 69.993             -> pctForDirty = 69.993 * 100 / 91 = 76.915
        // age 12,000,000 >= 10,000,000: factor = 12e6 * 100 / 87.5e6 = 13.714
        //   pctForLsn = 10 * 13.714^1.5 / 7.5 = 10 * 50.788 / 7.5 = 67.717
        // pct = max(76.915, 67.717) = 76.915                  -> PCT_IO = 153.831
        // target = O + 0: 90 pages                            -> pagesForLsn 30
        // n = floor((153.831 + 50 + 30) / 3) = floor(77.944) = 77
        FlushState s = state(7000, 12_000_000, 50, 0, histogram(0, 90, 6_000_000, 3000, 12_000_000, 7000)).build();
        assertEquals(76.915, policy.pctForDirty(AdaptiveFlushPolicy.dirtyPct(s)), PCT_DELTA);
        assertEquals(67.717, policy.pctForLsn(12_000_000, 100_000_000, 87_500_000, 200, 2000), PCT_DELTA);
        assertPlan(77, Long.MAX_VALUE, FlushUrgency.NORMAL, policy.plan(s));
    }

    @Test
    void redoAgeAboveItsLowWaterMarkMustGrowWithThePowerOneAndAHalf() {
        // dirtyPct = 5000 * 100 / 10001 = 49.995              -> pctForDirty = 54.940
        // factor = 25e6 * 100 / 87.5e6 = 28.571
        //   pctForLsn = 10 * 28.571^1.5 / 7.5 = 10 * 152.721 / 7.5 = 203.628
        // pct = 203.628                                       -> PCT_IO = 200 * 2.03628 = 407.255
        // target = O + 3e6: 900 pages                         -> pagesForLsn 300
        // n = floor((407.255 + 300 + 300) / 3) = floor(335.752) = 335
        FlushState s = state(5000, 25_000_000, 300, 1_000_000,
                histogram(1_000_000, 300, 3_000_000, 900, 25_000_000, 5000)).build();
        assertEquals(203.628, policy.pctForLsn(25_000_000, 100_000_000, 87_500_000, 200, 2000), PCT_DELTA);
        FlushPlan plan = policy.plan(s);
        assertPlan(335, Long.MAX_VALUE, FlushUrgency.NORMAL, plan);
        assertEquals("adaptive: max(dirty 55%, redo 204%) of 200 pages/s, avg 300, lsn target 300 -> 335", plan.reason());
    }

    @Test
    void redoAgeBelowItsLowWaterMarkMustNotCount() {
        // 9,999,999 < 10% of 100,000,000; one byte more reaches it: factor = 1e7 * 100 / 87.5e6 = 11.429,
        // 10 * 11.429^1.5 / 7.5 = 10 * (11.429 * 3.381) / 7.5 = 10 * 38.636 / 7.5 = 51.514
        assertEquals(0, policy.pctForLsn(9_999_999, 100_000_000, 87_500_000, 200, 2000));
        assertEquals(51.514, policy.pctForLsn(10_000_000, 100_000_000, 87_500_000, 200, 2000), PCT_DELTA);
    }

    @Test
    void budgetMustBeCappedAtIoCapacityMax() {
        // dirtyPct 79.992 -> pctForDirty 87.903; factor = 80e6 * 100 / 87.5e6 = 91.429
        //   pctForLsn = 10 * 91.429^1.5 / 7.5 = 10 * 874.224 / 7.5 = 1165.633 -> PCT_IO = 2331.265
        // target = O + 3 * 2e6 = O + 6e6: 6000 pages          -> pagesForLsn 2000 (below 2 * 2000)
        // n = floor((2331.265 + 3000 + 2000) / 3) = 2443 -> capped at ioCapacityMax 2000
        FlushState s = state(8000, 80_000_000, 3000, 2_000_000,
                histogram(3_000_000, 3000, 6_000_000, 6000, 80_000_000, 8000)).build();
        assertPlan(2000, Long.MAX_VALUE, FlushUrgency.NORMAL, policy.plan(s));
    }

    @Test
    void redoAgePastTheAsyncPointMustRaiseUrgencyToElevated() {
        // 90,000,000 > 87,500,000: ELEVATED. factor = 102.857
        //   pctForLsn = 10 * 102.857^1.5 / 7.5 = 10 * 1043.162 / 7.5 = 1390.882 -> PCT_IO = 2781.765
        // target = O + 3e6: 1200 pages                        -> pagesForLsn 400
        // n = floor((2781.765 + 500 + 400) / 3) = floor(1227.255) = 1227
        FlushState s = state(8000, 90_000_000, 500, 1_000_000,
                histogram(3_000_000, 1200, 6_000_000, 6000, 90_000_000, 8000)).build();
        assertPlan(1227, Long.MAX_VALUE, FlushUrgency.ELEVATED, policy.plan(s));
    }

    @Test
    void redoAgePastTheSyncPointMustFlushEverythingBelowTheSyncTargetBeyondTheCap() {
        // 95,000,000 > 93,750,000: SYNC.
        // sync target = min(current, current - 93,750,000 + 3 * 1e6) = O + 95e6 - 93.75e6 + 3e6 = O + 4,250,000
        //   pages at or below it: bucket O + 4e6 -> 2500
        // n: dirtyPct 89.991 -> 98.891%; factor 108.571 -> 10 * 1131.288 / 7.5 = 1508.384% -> PCT_IO 3016.769
        //   target O + 3e6: bucket O + 1e6 -> 500 -> pagesForLsn 166
        //   n = floor((3016.769 + 500 + 166) / 3) = 1227
        // pages = min(9000 dirty, max(1227, 200, 2500)) = 2500, lsnLimit = O + 4,250,000
        FlushState s = state(9000, 95_000_000, 500, 1_000_000,
                histogram(1_000_000, 500, 4_000_000, 2500, 5_000_000, 3000, 95_000_000, 9000)).build();
        assertPlan(2500, O + 4_250_000, FlushUrgency.SYNC, policy.plan(s));
    }

    @Test
    void syncFlushingMustAskForAtLeastIoCapacity() {
        // As above without rates: sync target = O + 95e6 - 93.75e6 + 0 = O + 1,250,000, no page at or below it;
        //   LSN target O: no page -> pagesForLsn max(1, 0 / 3) = 1
        //   n = floor((3016.769 + 0 + 1) / 3) = floor(1005.923) = 1005
        //   pages = min(9000, max(1005, 200, 0)) = 1005
        // and with ioCapacityMax = ioCapacity = 200 (ratio 1, cap 200):
        //   pctForLsn = 1 * 1131.288 / 7.5 = 150.838 -> PCT_IO 301.677; n = min(floor(302.677 / 3), 200) = 100
        //   pages = max(100, 200, 0) = 200: never below ioCapacity
        FlushState s = state(9000, 95_000_000, 0, 0, histogram(4_000_000, 10, 95_000_000, 9000)).build();
        assertPlan(1005, O + 1_250_000, FlushUrgency.SYNC, policy.plan(s));
        FlushState capped = FlushStateBuilder.from(s).ioCapacityMaxPagesPerSecond(200).build();
        assertPlan(200, O + 1_250_000, FlushUrgency.SYNC, policy.plan(capped));
    }

    @Test
    void idleServerMustFlushIdleFlushPctOfIoCapacity() {
        // idle, age 40e6 below the async point: 100% of 200 = 200; with idleFlushPct 50: 100;
        // with only 60 dirty pages: min(60, 200) = 60
        FlushState s = state(3000, 40_000_000, 300, 1_000_000, histogram(40_000_000, 3000)).serverActive(false).build();
        assertPlan(200, Long.MAX_VALUE, FlushUrgency.IDLE, policy.plan(s));
        AdaptiveFlushPolicy half = new AdaptiveFlushPolicy(new AdaptiveFlushSettings(200, 2000, false, 90, 10, 10, 30, 50));
        assertPlan(100, Long.MAX_VALUE, FlushUrgency.IDLE, half.plan(s));
        FlushState few = state(60, 40_000_000, 300, 1_000_000, histogram(40_000_000, 60)).serverActive(false).build();
        assertPlan(60, Long.MAX_VALUE, FlushUrgency.IDLE, policy.plan(few));
    }

    @Test
    void idleServerPastTheAsyncPointMustKeepTheIdleBudgetButRaiseUrgency() {
        FlushState s = state(3000, 90_000_000, 0, 0, histogram(90_000_000, 3000)).serverActive(false).build();
        assertPlan(200, Long.MAX_VALUE, FlushUrgency.ELEVATED, policy.plan(s));
    }

    @Test
    void dirtyLowWaterMarkZeroMustFlushFullIoCapacityOnlyFromMaxDirtyPagesPct() {
        AdaptiveFlushPolicy noLwm = new AdaptiveFlushPolicy(new AdaptiveFlushSettings(200, 2000, false, 90, 0, 10, 30, 100));
        // 9500 dirty, no free frame (lru 10000): dirtyPct = 950000 / 10001 = 94.99 >= 90 -> 100%, PCT_IO 200
        //   target O: 30 pages -> 10; n = floor((200 + 0 + 10) / 3) = 70; ELEVATED at maxDirtyPagesPct
        FlushState high = state(9500, 5_000_000, 0, 0, histogram(0, 30, 5_000_000, 9500)).freePages(0).build();
        assertPlan(70, Long.MAX_VALUE, FlushUrgency.ELEVATED, noLwm.plan(high));
        // 8000 dirty: 79.99 < 90 -> 0%; n = floor((0 + 0 + 10) / 3) = 3
        FlushState low = state(8000, 5_000_000, 0, 0, histogram(0, 30, 5_000_000, 8000)).build();
        assertPlan(3, Long.MAX_VALUE, FlushUrgency.NORMAL, noLwm.plan(low));
    }

    @Test
    void engineIoCapacityMustBeUsedUnlessTheSettingsOverrideIt() {
        // The redo-age state above with the engine at 1000 / 4000 (ratio 4):
        //   pctForLsn = 4 * 152.721 / 7.5 = 81.451 > 54.940 -> PCT_IO = 1000 * 0.81451 = 814.511
        //   n = floor((814.511 + 300 + 300) / 3) = floor(471.504) = 471
        FlushState s = state(5000, 25_000_000, 300, 1_000_000,
                histogram(1_000_000, 300, 3_000_000, 900, 25_000_000, 5000))
                .ioCapacityPagesPerSecond(1000).ioCapacityMaxPagesPerSecond(4000).build();
        assertPlan(471, Long.MAX_VALUE, FlushUrgency.NORMAL, policy.plan(s));
        // Overriding with 200 / 2000 gives the redo-age test's 335 again.
        AdaptiveFlushPolicy own = new AdaptiveFlushPolicy(new AdaptiveFlushSettings(200, 2000, true, 90, 10, 10, 30, 100));
        assertPlan(335, Long.MAX_VALUE, FlushUrgency.NORMAL, own.plan(s));
        // A state without a capacity falls back to the settings, whatever the flag says.
        FlushState none = FlushStateBuilder.from(s).ioCapacityPagesPerSecond(0).ioCapacityMaxPagesPerSecond(0).build();
        assertPlan(335, Long.MAX_VALUE, FlushUrgency.NORMAL, policy.plan(none));
    }

    @Test
    void activeServerWithoutDirtyPagesMustPlanNothing() {
        FlushState s = state(0, 0, 100, 1_000_000, DirtyPageHistogram.empty()).build();
        assertEquals(FlushPlan.nothing("no dirty pages"), policy.plan(s));
    }

    @Test
    void describeMustNameWhereTheIoCapacityComesFrom() {
        assertEquals("adaptive: ioCapacity and ioCapacityMax from the engine, maxDirtyPagesPct 90, maxDirtyPagesPctLwm 10,"
                + " adaptiveFlushingLwm 10, flushingAvgLoops 30, idleFlushPct 100", policy.describe());
        assertEquals("adaptive: ioCapacity 300, ioCapacityMax 3000 (overriding the engine's), maxDirtyPagesPct 80,"
                + " maxDirtyPagesPctLwm 5, adaptiveFlushingLwm 20, flushingAvgLoops 10, idleFlushPct 50",
                new AdaptiveFlushPolicy(new AdaptiveFlushSettings(300, 3000, true, 80, 5, 20, 10, 50)).describe());
    }

    @Test
    void flushingAvgLoopsMustBeTheWindowTheEngineAveragesOver() {
        assertEquals(30, new AdaptiveFlushPolicy().averagingRounds());
        assertEquals(10, new AdaptiveFlushPolicy(new AdaptiveFlushSettings(300, 3000, true, 80, 5, 20, 10, 50))
                .averagingRounds());
    }
}
