package io.cairn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The flush policy kit can fail: each fixture runs the whole kit (in a nested launcher) against a
 * policy that breaks one rule of {@link FlushPolicy}, and exactly the tests for that rule must
 * fail. A policy that keeps the rules must pass all of them, so the kit does not simply fail
 * everything either.
 */
class BaseFlushPolicyTestCaseTest {

    private static final Set<String> ALL_KIT_TESTS = Set.of(
            "averagingWindowMustBeInTheRangeTheEngineAcceptsAndStable",
            "sameStateSequenceMustGiveSamePlansOnOneInstanceAndAcrossInstances",
            "planForAStateMustNotDependOnWhatWasAskedBefore",
            "everyCallMustReturnWithinTheStatesTimeBudget",
            "moreDirtyPagesMustNeverLowerUrgencyOrPages",
            "moreRedoAgeMustNeverLowerUrgencyOrPages",
            "fewerFreePagesMustNeverLowerUrgencyOrPages",
            "emptyPoolMustGetAValidPlan",
            "poolWithEveryPageDirtyAndNoFreeFrameMustGetAValidPlan",
            "redoAgeAtCapacityMustGetAValidPlan",
            "redoAgeOverCapacityMustGetAValidPlan",
            "zeroRatesAndCapacitiesMustGetAValidPlan",
            "hugeRatesMustGetAValidPlan",
            "nonFiniteAndNegativeRatesMustGetAValidPlan",
            "firstRoundWithZeroIntervalMustGetAValidPlan",
            "hugePageCountsMustGetAValidPlan",
            "nameMustBeNonBlankAndStable");

    // ------------------------------------------------------------------------- the policies

    /** Keeps the rules: a share of the dirty pages, urgency from the redo age. */
    static final class ProperPolicy implements FlushPolicy {
        @Override
        public String name() {
            return "proper";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            long age = state.currentLsn() - state.oldestModificationLsn();
            if (age < 0) {
                age = Long.MAX_VALUE;
            }
            FlushUrgency urgency = age > state.syncFlushAgeBytes() ? FlushUrgency.SYNC
                    : age > state.asyncFlushAgeBytes() ? FlushUrgency.ELEVATED
                    : state.dirtyPages() > 0 ? FlushUrgency.NORMAL : FlushUrgency.IDLE;
            return new FlushPlan(state.dirtyPages() / 10, 0, Long.MAX_VALUE, urgency, "a tenth of the dirty pages");
        }
    }

    /** Counts its calls and plans one more page each time: a hidden state. */
    static final class CountingPolicy implements FlushPolicy {
        private long calls;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            return new FlushPlan(state.dirtyPages() / 10 + calls++, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "counting");
        }
    }

    /** Relaxes once half the pool is dirty: more dirty pages lower its urgency. */
    static final class RelaxingPolicy implements FlushPolicy {
        @Override
        public String name() {
            return "relaxing";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            FlushUrgency urgency = state.dirtyPages() * 2 > state.poolPages() ? FlushUrgency.NORMAL : FlushUrgency.ELEVATED;
            return new FlushPlan(state.dirtyPages() / 10, 0, Long.MAX_VALUE, urgency, "relaxing");
        }
    }

    /** Plans fewer pages the older the redo gets. */
    static final class ShrinkingPolicy implements FlushPolicy {
        @Override
        public String name() {
            return "shrinking";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            long ageBytes = Math.max(0, state.currentLsn() - state.oldestModificationLsn());
            long pages = ageBytes >= state.redoCapacityBytes() ? 0 : 1000 - ageBytes / Math.max(1, state.redoCapacityBytes() / 1000);
            return new FlushPlan(Math.max(0, pages), 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "shrinking");
        }
    }

    /** Divides by the pool size: an empty pool makes it throw. */
    static final class DividingPolicy implements FlushPolicy {
        @Override
        public String name() {
            return "dividing";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            long wholePools = state.dirtyPages() / state.poolPages();
            return new FlushPlan(wholePools, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "dividing");
        }
    }

    /** Overruns the time budget whenever it plans round 1000. */
    static final class SlowPolicy implements FlushPolicy {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            if (state.roundNo() == 1000) {
                // Busy, not sleeping: a policy computing too long, which is what the budget is for.
                long end = System.nanoTime() + state.timeBudgetNanos() + 5_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            return FlushPlan.nothing("slow");
        }
    }

    // ------------------------------------------------------------------------- the fixtures

    static class ProperFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new ProperPolicy();
        }
    }

    static class CountingFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new CountingPolicy();
        }
    }

    static class RelaxingFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new RelaxingPolicy();
        }
    }

    static class ShrinkingFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new ShrinkingPolicy();
        }
    }

    static class DividingFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new DividingPolicy();
        }
    }

    /** Otherwise proper, but asks for an averaging window of zero rounds. */
    static final class ZeroWindowPolicy implements FlushPolicy {
        private final ProperPolicy proper = new ProperPolicy();

        @Override
        public String name() {
            return "zero-window";
        }

        @Override
        public FlushPlan plan(FlushState state) {
            return proper.plan(state);
        }

        @Override
        public int averagingRounds() {
            return 0;
        }
    }

    static class ZeroWindowFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new ZeroWindowPolicy();
        }
    }

    static class SlowFixture extends BaseFlushPolicyTestCase {
        @Override
        protected FlushPolicy createPolicy() {
            return new SlowPolicy();
        }
    }

    // ------------------------------------------------------------------------------ tests

    @Test
    void kitMustPassAPolicyThatKeepsEveryRule() {
        assertFailures(ProperFixture.class, Set.of());
    }

    @Test
    void kitMustFailAPolicyWithAHiddenCounterOnDeterminismAndHiddenState() {
        Map<String, TestExecutionResult> results = assertFailures(CountingFixture.class, Set.of(
                "sameStateSequenceMustGiveSamePlansOnOneInstanceAndAcrossInstances",
                "planForAStateMustNotDependOnWhatWasAskedBefore"));
        assertTrue(message(results, "sameStateSequenceMustGiveSamePlansOnOneInstanceAndAcrossInstances")
                .contains("replaying the sequence on the same instance must plan round 1 as before"));
    }

    @Test
    void kitMustFailAPolicyThatLowersUrgencyAsDirtyPagesRise() {
        Map<String, TestExecutionResult> results = assertFailures(RelaxingFixture.class,
                Set.of("moreDirtyPagesMustNeverLowerUrgencyOrPages"));
        assertTrue(message(results, "moreDirtyPagesMustNeverLowerUrgencyOrPages")
                .contains("more dirty pages must never lower the urgency or the pages planned, but ELEVATED"));
    }

    @Test
    void kitMustFailAPolicyThatPlansLessAsRedoAges() {
        Map<String, TestExecutionResult> results = assertFailures(ShrinkingFixture.class,
                Set.of("moreRedoAgeMustNeverLowerUrgencyOrPages"));
        assertTrue(message(results, "moreRedoAgeMustNeverLowerUrgencyOrPages").contains("more redo age must never"));
    }

    @Test
    void kitMustFailAPolicyThatThrowsForAnEmptyPool() {
        Map<String, TestExecutionResult> results = assertFailures(DividingFixture.class,
                Set.of("emptyPoolMustGetAValidPlan"));
        assertTrue(message(results, "emptyPoolMustGetAValidPlan").contains("ArithmeticException"));
    }

    @Test
    void kitMustFailAPolicyThatOverrunsItsTimeBudget() {
        Map<String, TestExecutionResult> results = assertFailures(SlowFixture.class,
                Set.of("everyCallMustReturnWithinTheStatesTimeBudget"));
        assertTrue(message(results, "everyCallMustReturnWithinTheStatesTimeBudget").contains("over the budget of 50000 us"));
    }

    @Test
    void kitMustFailAPolicyWhoseAveragingWindowTheEngineWouldRefuse() {
        Map<String, TestExecutionResult> results = assertFailures(ZeroWindowFixture.class,
                Set.of("averagingWindowMustBeInTheRangeTheEngineAcceptsAndStable"));
        assertTrue(message(results, "averagingWindowMustBeInTheRangeTheEngineAcceptsAndStable")
                .contains("averagingRounds() returned 0, allowed 1 to 1000"));
    }

    // ---------------------------------------------------------------------------- helpers

    /** Runs every kit test of {@code fixture} and checks that exactly {@code expected} failed. */
    private static Map<String, TestExecutionResult> assertFailures(Class<?> fixture, Set<String> expected) {
        Map<String, TestExecutionResult> results = run(fixture);
        assertEquals(ALL_KIT_TESTS, results.keySet(), "every kit test must have run for " + fixture.getSimpleName());
        Set<String> failed = new TreeSet<>();
        results.forEach((test, result) -> {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failed.add(test);
            }
        });
        assertEquals(new TreeSet<>(expected), failed, () -> fixture.getSimpleName() + " results: " + summary(results));
        return results;
    }

    private static Map<String, TestExecutionResult> run(Class<?> fixture) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                .ifPresent(method -> results.put(method.getMethodName(), result));
                    }
                });
        return results;
    }

    private static String message(Map<String, TestExecutionResult> results, String test) {
        return results.get(test).getThrowable().map(String::valueOf).orElse("");
    }

    private static String summary(Map<String, TestExecutionResult> results) {
        StringBuilder s = new StringBuilder();
        results.forEach((test, result) -> s.append("\n  ").append(test).append(": ").append(result.getStatus())
                .append(result.getThrowable().map(t -> " " + t).orElse("")));
        return s.toString();
    }
}
