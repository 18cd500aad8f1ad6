package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.testkit.FlushStateBuilder;
import org.junit.jupiter.api.Test;

/** The averaging window a policy asks for reaches the page cleaner, and a nonsensical one fails the round. */
class PolicyRunnerTest {

    private static FlushPolicy averagingOver(int rounds) {
        return new FlushPolicy() {
            @Override
            public String name() {
                return "window-" + rounds;
            }

            @Override
            public FlushPlan plan(FlushState state) {
                return FlushPlan.nothing("test");
            }

            @Override
            public int averagingRounds() {
                return rounds;
            }
        };
    }

    @Test
    void policysAveragingWindowMustReachThePageCleaner() {
        try (PolicyRunner runner = new PolicyRunner(averagingOver(7), () -> 0L)) {
            PolicyRunner.Outcome outcome = runner.plan(FlushStateBuilder.typical().build());
            assertFalse(outcome.replaced());
            assertEquals(7, outcome.averagingRounds());
        }
    }

    @Test
    void windowOutsideTheAllowedRangeMustFailTheRoundWithAMessageNamingTheRange() {
        for (int bad : new int[] {0, -3, FlushPolicy.MAX_AVERAGING_ROUNDS + 1}) {
            try (PolicyRunner runner = new PolicyRunner(averagingOver(bad), () -> 0L)) {
                PolicyRunner.Outcome outcome = runner.plan(FlushStateBuilder.typical().build());
                assertTrue(outcome.replaced(), "window " + bad + " was accepted");
                assertEquals(FlushPolicy.DEFAULT_AVERAGING_ROUNDS, outcome.averagingRounds());
                assertTrue(runner.lastFailure().contains("averagingRounds() returned " + bad + ", allowed 1 to 1000"),
                        runner.lastFailure());
                assertEquals(1, runner.failures());
            }
        }
    }

    @Test
    void policyThatDoesNotChooseAWindowMustGetInnoDbsDefault() {
        // NEVER_FLUSHES keeps the default averagingRounds().
        try (PolicyRunner runner = new PolicyRunner(TestEngines.NEVER_FLUSHES, () -> 0L)) {
            assertEquals(30, runner.plan(FlushStateBuilder.typical().build()).averagingRounds());
        }
    }
}
