package io.cairn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link FlushPolicy} as tests. A policy passes by extending this class and
 * implementing {@link #createPolicy()}:
 *
 * <pre>{@code
 * class MyFlushPolicyConformanceTest extends BaseFlushPolicyTestCase {
 *     protected FlushPolicy createPolicy() { return new MyFlushPolicy(); }
 * }
 * }</pre>
 *
 * <p>The requirements are the numbered rules of {@link FlushPolicy}: the same states give the same
 * plans, on one instance and across instances, whatever else was asked in between; each call returns
 * within the state's time budget; more pressure never lowers the urgency or the size of the plan;
 * any state the record admits gets a plan instead of an exception; the averaging window the policy
 * asks for is one the engine accepts.
 *
 * <p>"More pressure" is changed one quantity at a time, the rest of the state staying as it is:
 * more dirty pages (the histogram spreading them over the same LSNs), more redo age (the current
 * LSN moves on while the dirty pages and their histogram stay: the new redo went into pages that
 * were dirty already), fewer free pages (those frames now hold clean pages on the LRU, the pool
 * size stays). Each is checked from a fixed set of states covering the regimes (active and idle,
 * first round, no free frames, tiny and large pools, zero and high rates) and from random ones.
 *
 * <p>Random states come from a seed printed in failure messages; set {@code -Dcairn.testkit.seed=N}
 * to replay one. {@link FlushStateBuilder} builds states for a policy's own tests.
 */
public abstract class BaseFlushPolicyTestCase {

    /** Random states in each property check, next to the fixed ones. */
    private static final int RANDOM_STATES = 120;
    /** Rounds of the simulated run the determinism and time checks use. */
    private static final int SIMULATED_ROUNDS = 2000;
    /** Steps from least to most pressure in a monotonicity check. */
    private static final int PRESSURE_STEPS = 24;
    /**
     * Attempts a call gets before an overrun counts: a GC pause or a descheduled test thread can
     * make any single call late, a policy that is too slow is late every time.
     */
    private static final int TIME_ATTEMPTS = 3;

    private long seed;

    /** Creates a policy under test; called several times per test, each result is a fresh instance. */
    protected abstract FlushPolicy createPolicy() throws Exception;

    @BeforeEach
    void chooseSeed() {
        seed = Long.getLong("cairn.testkit.seed", System.nanoTime());
    }

    // ------------------------------------------------------------------------------ helpers

    /** A builder for the kit's typical state; see {@link FlushStateBuilder#typical()}. */
    protected static FlushStateBuilder state() {
        return FlushStateBuilder.typical();
    }

    /** The seed of this test's randomness, for failure messages. */
    protected String seedMessage() {
        return "seed " + seed + " (replay with -Dcairn.testkit.seed=" + seed + ")";
    }

    protected long seed() {
        return seed;
    }

    /** Asks {@code policy} for a plan, failing with the state when it throws or returns null. */
    protected static FlushPlan planOf(FlushPolicy policy, FlushState state) {
        FlushPlan plan;
        try {
            plan = policy.plan(state);
        } catch (RuntimeException e) {
            throw new AssertionError("plan threw " + e + " for " + state, e);
        }
        assertNotNull(plan, () -> "plan returned null for " + state);
        return plan;
    }

    /**
     * States covering the regimes a policy distinguishes. Pool and LRU sizes leave room for dirty
     * pages, and the redo age stays below capacity, so that the monotonicity checks can add pressure.
     */
    protected static List<FlushStateBuilder> regimeStates() {
        List<FlushStateBuilder> states = new ArrayList<>();
        states.add(state());
        states.add(state().serverActive(false));
        states.add(state().firstRound());
        states.add(state().freePages(0).dirtyPages(4096));
        states.add(state().poolPages(16).freePages(4).dirtyPages(2));
        states.add(state().poolPages(1L << 26).freePages(1L << 20).dirtyPages(1L << 24)
                .ioCapacityPagesPerSecond(10_000).ioCapacityMaxPagesPerSecond(20_000));
        states.add(state().lsnRatesBytesPerSecond(0).flushRatesPagesPerSecond(0));
        states.add(state().lsnRatesBytesPerSecond(50L << 20).flushRatesPagesPerSecond(5000));
        states.add(state().redoAgeBytes(0).dirtyPages(0));
        states.add(state().redoAgeBytes(60L << 20).dirtyPages(6000).freePages(100));
        states.add(state().serverActive(false).redoAgeBytes(90L << 20));
        states.add(state().ioCapacityPagesPerSecond(2000).ioCapacityMaxPagesPerSecond(2000));
        return states;
    }

    /**
     * A state drawn from {@code random}: any pool size, free and dirty share, redo age up to a
     * little over the capacity, rates from zero to high, the engine's range of I/O capacities.
     */
    protected static FlushStateBuilder randomState(SplittableRandom random) {
        long pool = 1 + random.nextLong(random.nextBoolean() ? 100_000 : 1L << 30);
        long free = random.nextLong(pool + 1);
        long dirty = random.nextLong(pool - free + 1);
        long capacity = (1L << 20) + random.nextLong(1L << 36);
        long age = random.nextLong(capacity + capacity / 8);
        long io = 100 + random.nextLong(20_000);
        long ioMax = io * (1 + random.nextLong(10));
        boolean first = random.nextInt(20) == 0;
        FlushStateBuilder b = state()
                .roundNo(first ? 1 : 2 + random.nextLong(1_000_000))
                .sinceLastRoundMillis(first ? 0 : random.nextLong(5000))
                .serverActive(!first && random.nextBoolean())
                .poolPages(pool).freePages(free).dirtyPages(dirty)
                .currentLsn((1L << 40) + random.nextLong(1L << 40))
                .redoCapacityBytes(capacity)
                .ioCapacityPagesPerSecond(io).ioCapacityMaxPagesPerSecond(ioMax);
        b.redoAgeBytes(age);
        if (random.nextInt(4) == 0) {
            b.lsnRatesBytesPerSecond(0).flushRatesPagesPerSecond(0);
        } else {
            b.lsnRateBytesPerSecond(random.nextDouble() * capacity / 4)
                    .lsnAvgRateBytesPerSecond(random.nextDouble() * capacity / 4)
                    .flushRatePagesPerSecond(random.nextDouble() * 4 * ioMax)
                    .pageAvgRatePagesPerSecond(random.nextDouble() * 4 * ioMax);
        }
        return b;
    }

    /**
     * The states a page cleaner would report over {@code rounds} rounds of a run: rounds about a
     * second apart, the server going busy and idle, redo advancing, pages dirtied and flushed,
     * rates averaged. Depends only on {@code random}.
     */
    protected static List<FlushState> simulatedRun(SplittableRandom random, int rounds) {
        List<FlushState> states = new ArrayList<>(rounds);
        long pool = 1 << 16;
        long capacity = 256L << 20;
        long current = 1L << 32;
        long oldest = current;
        long dirty = 0;
        long free = pool;
        boolean active = false;
        double lsnAvg = 0;
        double pageAvg = 0;
        for (int round = 1; round <= rounds; round++) {
            long since = round == 1 ? 0 : 900 + random.nextLong(200);
            if (random.nextInt(10) == 0) {
                active = !active;
            }
            long redo = active ? random.nextLong(capacity / 8) : 0;
            long written = Math.min(dirty, random.nextLong(3000));
            long newlyDirty = active ? Math.min(pool - dirty, random.nextLong(4000)) : 0;
            dirty = dirty - written + newlyDirty;
            free = Math.max(0, free - newlyDirty);
            current += redo;
            // Flushing the oldest pages moves the oldest modification up, never past the current LSN.
            oldest = dirty == 0 ? current : Math.min(current, oldest + written * 4096L);
            if (current - oldest > capacity) {
                oldest = current - capacity;
            }
            double lsnRate = since == 0 ? 0 : redo * 1000.0 / since;
            double pageRate = since == 0 ? 0 : written * 1000.0 / since;
            lsnAvg = round == 1 ? lsnRate : lsnAvg + (lsnRate - lsnAvg) / 30;
            pageAvg = round == 1 ? pageRate : pageAvg + (pageRate - pageAvg) / 30;
            states.add(state().roundNo(round).sinceLastRoundMillis(since).serverActive(active && round > 1)
                    .poolPages(pool).freePages(free).dirtyPages(dirty)
                    .currentLsn(current).oldestModificationLsn(oldest).redoCapacityBytes(capacity)
                    .lsnRateBytesPerSecond(lsnRate).lsnAvgRateBytesPerSecond(lsnAvg)
                    .flushRatePagesPerSecond(pageRate).pageAvgRatePagesPerSecond(pageAvg).build());
        }
        return states;
    }

    private List<FlushStateBuilder> pressureBases() {
        List<FlushStateBuilder> bases = new ArrayList<>(regimeStates());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < RANDOM_STATES; i++) {
            bases.add(randomState(random));
        }
        return bases;
    }

    private static String describe(FlushState state) {
        return "state " + state;
    }

    // ----------------------------------------------------------------------- determinism

    @Test
    void sameStateSequenceMustGiveSamePlansOnOneInstanceAndAcrossInstances() throws Exception {
        List<FlushState> run = simulatedRun(new SplittableRandom(seed), SIMULATED_ROUNDS);
        FlushPolicy first = createPolicy();
        List<FlushPlan> expected = new ArrayList<>(run.size());
        for (FlushState state : run) {
            expected.add(planOf(first, state));
        }
        FlushPolicy second = createPolicy();
        for (int i = 0; i < run.size(); i++) {
            assertEquals(expected.get(i), planOf(second, run.get(i)),
                    "a second instance must plan round " + run.get(i).roundNo() + " as the first did; "
                            + seedMessage() + "; " + describe(run.get(i)));
        }
        for (int i = 0; i < run.size(); i++) {
            assertEquals(expected.get(i), planOf(first, run.get(i)),
                    "replaying the sequence on the same instance must plan round " + run.get(i).roundNo()
                            + " as before; " + seedMessage() + "; " + describe(run.get(i)));
        }
    }

    @Test
    void planForAStateMustNotDependOnWhatWasAskedBefore() throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<FlushState> probes = new ArrayList<>();
        for (FlushStateBuilder b : pressureBases()) {
            probes.add(b.build());
        }
        FlushPolicy fresh = createPolicy();
        List<FlushPlan> expected = new ArrayList<>();
        for (FlushState probe : probes) {
            expected.add(planOf(fresh, probe));
        }
        FlushPolicy used = createPolicy();
        for (int i = probes.size() - 1; i >= 0; i--) {
            FlushState probe = probes.get(i);
            int unrelated = random.nextInt(5);
            for (int k = 0; k < unrelated; k++) {
                planOf(used, randomState(random).build());
            }
            FlushPlan once = planOf(used, probe);
            FlushPlan again = planOf(used, probe);
            assertEquals(expected.get(i), once, "the plan must not depend on the states asked before; "
                    + seedMessage() + "; " + describe(probe));
            assertEquals(once, again, "asking twice in a row must give the same plan; " + seedMessage() + "; "
                    + describe(probe));
        }
    }

    // ------------------------------------------------------------------------ time budget

    /**
     * Not a benchmark: every state carries the engine's 50 ms budget, thousands of times what a
     * plain computation needs, and a call counts as too slow only when it overran in every one of
     * {@value #TIME_ATTEMPTS} attempts.
     */
    @Test
    void everyCallMustReturnWithinTheStatesTimeBudget() throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<FlushState> states = new ArrayList<>(simulatedRun(random, SIMULATED_ROUNDS));
        for (int i = 0; i < 1000; i++) {
            states.add(randomState(random).build());
        }
        states.addAll(extremeStates());
        FlushPolicy policy = createPolicy();
        // The first calls load classes and run interpreted; the engine would replace one such round.
        for (FlushState state : states) {
            planIgnoringFailures(policy, state);
        }
        for (FlushState state : states) {
            long fastestNanos = Long.MAX_VALUE;
            for (int attempt = 0; attempt < TIME_ATTEMPTS && fastestNanos > state.timeBudgetNanos(); attempt++) {
                long start = System.nanoTime();
                planIgnoringFailures(policy, state);
                fastestNanos = Math.min(fastestNanos, System.nanoTime() - start);
            }
            if (fastestNanos > state.timeBudgetNanos()) {
                fail("plan took at least " + TimeUnit.NANOSECONDS.toMicros(fastestNanos) + " us in each of "
                        + TIME_ATTEMPTS + " attempts, over the budget of "
                        + TimeUnit.NANOSECONDS.toMicros(state.timeBudgetNanos()) + " us; " + seedMessage() + "; "
                        + describe(state));
            }
        }
    }

    /** Exceptions are left to the tests for the state concerned, so that one fault fails one test. */
    private static void planIgnoringFailures(FlushPolicy policy, FlushState state) {
        try {
            policy.plan(state);
        } catch (RuntimeException e) {
            // reported by the test that owns this state
        }
    }

    // ----------------------------------------------------------------------- monotonicity

    @Test
    void moreDirtyPagesMustNeverLowerUrgencyOrPages() throws Exception {
        FlushPolicy policy = createPolicy();
        for (FlushStateBuilder base : pressureBases()) {
            long lru = base.build().lruPages();
            List<FlushState> rising = new ArrayList<>();
            for (int step = 0; step <= PRESSURE_STEPS; step++) {
                rising.add(base.copy().dirtyPages(step(lru, step)).derivedHistogram().build());
            }
            assertMonotone(policy, rising, "more dirty pages");
        }
    }

    @Test
    void moreRedoAgeMustNeverLowerUrgencyOrPages() throws Exception {
        FlushPolicy policy = createPolicy();
        for (FlushStateBuilder base : pressureBases()) {
            FlushState start = base.build();
            // Past the capacity by a quarter, so that every sequence crosses both flush points.
            long overCapacityBytes = Math.max(PRESSURE_STEPS, start.redoCapacityBytes() + start.redoCapacityBytes() / 4);
            List<FlushState> rising = new ArrayList<>();
            for (int step = 0; step <= PRESSURE_STEPS; step++) {
                rising.add(FlushStateBuilder.from(start)
                        .currentLsn(start.currentLsn() + step(overCapacityBytes, step)).build());
            }
            assertMonotone(policy, rising, "more redo age");
        }
    }

    @Test
    void fewerFreePagesMustNeverLowerUrgencyOrPages() throws Exception {
        FlushPolicy policy = createPolicy();
        for (FlushStateBuilder base : pressureBases()) {
            FlushState start = base.build();
            long mostFree = start.poolPages() - start.dirtyPages();
            List<FlushState> rising = new ArrayList<>();
            for (int step = 0; step <= PRESSURE_STEPS; step++) {
                rising.add(base.copy().freePages(mostFree - step(mostFree, step)).build());
            }
            assertMonotone(policy, rising, "fewer free pages");
        }
    }

    /** {@code step / PRESSURE_STEPS} of {@code whole}, from 0 to {@code whole}, without overflow. */
    private static long step(long whole, int step) {
        return whole / PRESSURE_STEPS * step + whole % PRESSURE_STEPS * step / PRESSURE_STEPS;
    }

    private void assertMonotone(FlushPolicy policy, List<FlushState> rising, String pressure) {
        FlushState previousState = rising.get(0);
        FlushPlan previous = planOf(policy, previousState);
        for (FlushState state : rising.subList(1, rising.size())) {
            FlushPlan plan = planOf(policy, state);
            if (plan.urgency().compareTo(previous.urgency()) < 0 || plan.totalPages() < previous.totalPages()) {
                fail(pressure + " must never lower the urgency or the pages planned, but " + previous.urgency() + "/"
                        + previous.totalPages() + " pages became " + plan.urgency() + "/" + plan.totalPages()
                        + " pages (" + plan.reason() + "); " + seedMessage() + "; before: " + describe(previousState)
                        + "; after: " + describe(state));
            }
            previous = plan;
            previousState = state;
        }
    }

    // --------------------------------------------------------------------- extreme states

    /** The extreme states of the tests below, for the time check. */
    protected static List<FlushState> extremeStates() {
        return List.of(emptyPool(), allDirty(), redoAt(1), redoAt(2), longRangeEnds(), zeroRatesAndCapacities(),
                hugeRates(), nonFiniteAndNegativeRates(), firstRoundWithoutInterval(), hugeCounts());
    }

    private static FlushState emptyPool() {
        return state().poolPages(0).freePages(0).dirtyPages(0).redoAgeBytes(0).build();
    }

    private static FlushState allDirty() {
        return state().freePages(0).dirtyPages(8192).build();
    }

    private static FlushState redoAt(int capacities) {
        FlushStateBuilder b = state().dirtyPages(8192).freePages(0);
        return b.redoAgeBytes(capacities * (100L << 20)).build();
    }

    private static FlushState longRangeEnds() {
        return state().currentLsn(Long.MAX_VALUE).oldestModificationLsn(Long.MIN_VALUE).checkpointLsn(Long.MIN_VALUE)
                .redoCapacityBytes(Long.MAX_VALUE).build();
    }

    private static FlushState zeroRatesAndCapacities() {
        return state().lsnRatesBytesPerSecond(0).flushRatesPagesPerSecond(0).ioCapacityPagesPerSecond(0)
                .ioCapacityMaxPagesPerSecond(0).redoCapacityBytes(0).build();
    }

    private static FlushState hugeRates() {
        return state().redoAgeBytes(90L << 20).lsnRatesBytesPerSecond(1e18).flushRatesPagesPerSecond(1e18)
                .ioCapacityPagesPerSecond(Long.MAX_VALUE).ioCapacityMaxPagesPerSecond(Long.MAX_VALUE).build();
    }

    private static FlushState nonFiniteAndNegativeRates() {
        return state().lsnRateBytesPerSecond(Double.NaN).lsnAvgRateBytesPerSecond(Double.POSITIVE_INFINITY)
                .flushRatePagesPerSecond(-1).pageAvgRatePagesPerSecond(Double.NEGATIVE_INFINITY)
                .ioCapacityPagesPerSecond(-200).ioCapacityMaxPagesPerSecond(Long.MIN_VALUE).build();
    }

    private static FlushState firstRoundWithoutInterval() {
        return state().firstRound().lsnRatesBytesPerSecond(0).flushRatesPagesPerSecond(0).build();
    }

    private static FlushState hugeCounts() {
        long pool = 1L << 61;
        return state().poolPages(pool).freePages(0).dirtyPages(pool).redoAgeBytes(95L << 20)
                .lsnRatesBytesPerSecond(1e12).flushRatesPagesPerSecond(1e9).build();
    }

    /** {@link FlushPlan}'s constructor rejects invalid plans, so a plan that arrives is a valid one. */
    private void assertPlans(FlushState state) throws Exception {
        planOf(createPolicy(), state);
    }

    @Test
    void emptyPoolMustGetAValidPlan() throws Exception {
        assertPlans(emptyPool());
    }

    @Test
    void poolWithEveryPageDirtyAndNoFreeFrameMustGetAValidPlan() throws Exception {
        assertPlans(allDirty());
    }

    @Test
    void redoAgeAtCapacityMustGetAValidPlan() throws Exception {
        assertPlans(redoAt(1));
    }

    @Test
    void redoAgeOverCapacityMustGetAValidPlan() throws Exception {
        assertPlans(redoAt(2));
        assertPlans(longRangeEnds());
    }

    @Test
    void zeroRatesAndCapacitiesMustGetAValidPlan() throws Exception {
        assertPlans(zeroRatesAndCapacities());
    }

    @Test
    void hugeRatesMustGetAValidPlan() throws Exception {
        assertPlans(hugeRates());
    }

    /** The engine never reports these, but the record admits them. */
    @Test
    void nonFiniteAndNegativeRatesMustGetAValidPlan() throws Exception {
        assertPlans(nonFiniteAndNegativeRates());
    }

    @Test
    void firstRoundWithZeroIntervalMustGetAValidPlan() throws Exception {
        assertPlans(firstRoundWithoutInterval());
    }

    @Test
    void hugePageCountsMustGetAValidPlan() throws Exception {
        assertPlans(hugeCounts());
    }

    // ------------------------------------------------------------------------------ naming

    @Test
    void nameMustBeNonBlankAndStable() throws Exception {
        FlushPolicy policy = createPolicy();
        String name = policy.name();
        assertNotNull(name);
        assertFalse(name.isBlank(), "name must not be blank");
        planOf(policy, state().build());
        assertEquals(name, policy.name(), "the name must not change between calls");
        assertEquals(name, createPolicy().name(), "every instance must have the same name");
        assertNotNull(policy.describe(), "describe() must not return null");
    }

    @Test
    void averagingWindowMustBeInTheRangeTheEngineAcceptsAndStable() throws Exception {
        FlushPolicy policy = createPolicy();
        int rounds = policy.averagingRounds();
        if (rounds < 1 || rounds > FlushPolicy.MAX_AVERAGING_ROUNDS) {
            fail("averagingRounds() returned " + rounds + ", allowed 1 to " + FlushPolicy.MAX_AVERAGING_ROUNDS
                    + ": the engine would count every round as a failure of the policy");
        }
        planOf(policy, state().build());
        assertEquals(rounds, policy.averagingRounds(), "planning must not change the averaging window");
    }
}
