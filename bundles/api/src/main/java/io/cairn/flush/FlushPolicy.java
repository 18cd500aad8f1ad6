package io.cairn.flush;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides how much the page cleaner flushes each round. Registered as an OSGi service with the
 * service property {@value #NAME_PROPERTY}; the engine binds one by a target filter and can switch
 * to another while it runs, taking effect at the next round.
 *
 * <p>Implementations must:
 * <ol>
 *   <li>be a pure function of the {@link FlushState}: the same state gives the same plan, and no
 *       hidden state (counters, clocks, randomness) changes the answer; configuration changes are
 *       the one exception and take effect between calls;</li>
 *   <li>return within {@link FlushState#timeBudgetNanos()} and never block (no I/O, no locks
 *       shared with other code, no sleeping);</li>
 *   <li>be monotone: for states that differ only by more pressure (more dirty pages, more redo
 *       age, fewer free pages) the plan's urgency and size never go down;</li>
 *   <li>handle any state the record admits, including an empty pool, an all-dirty pool, redo at
 *       capacity, and zero or huge rates, without throwing.</li>
 * </ol>
 * The engine defends itself anyway: an exception, an invalid plan or an overrun replaces the plan
 * with the built-in safe one for that round, is counted and reported in status, and is logged at
 * most once a minute per policy. A third-party policy proves the rules by extending the
 * conformance kit's {@code io.cairn.testkit.BaseFlushPolicyTestCase}.
 *
 * <p>Thread safety: the engine calls {@code plan} from one page cleaner thread at a time, but a
 * configuration update may arrive on another thread concurrently; implementations publish new
 * settings safely (for example through a volatile immutable settings object).
 */
@ConsumerType
public interface FlushPolicy {

    /** Service property naming a policy ({@code adaptive}, {@code fixed}, ...). */
    String NAME_PROPERTY = "cairn.policy";

    /** The averaging window of a policy that does not choose one: InnoDB's default of 30 rounds. */
    int DEFAULT_AVERAGING_ROUNDS = 30;

    /** The largest averaging window a policy may ask for. */
    int MAX_AVERAGING_ROUNDS = 1000;

    /** The policy's name, equal to its {@value #NAME_PROPERTY} service property. */
    String name();

    /**
     * This round's plan for the given state.
     *
     * @return a plan, never null
     * @throws RuntimeException never intentionally; the engine survives it (see above)
     */
    FlushPlan plan(FlushState state);

    /**
     * The number of rounds over which the engine averages the LSN rate and the flush rate that
     * {@link FlushState} carries ({@code innodb_flushing_avg_loops}): a larger window reacts more
     * slowly to bursts. The engine computes the averages, so that a policy keeps no state between
     * rounds; it asks for the window on the policy's thread right after each {@link #plan} and uses
     * the answer from the next round on. An answer outside 1 to {@value #MAX_AVERAGING_ROUNDS} is a
     * failed round like an exception.
     *
     * @since 1.1
     */
    default int averagingRounds() {
        return DEFAULT_AVERAGING_ROUNDS;
    }

    /** A one-line description of the policy and its current settings, for status. */
    default String describe() {
        return name();
    }
}
