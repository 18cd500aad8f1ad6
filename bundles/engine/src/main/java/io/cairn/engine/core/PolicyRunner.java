package io.cairn.engine.core;

import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Asks the bound flush policy for a plan, defending the page cleaner against it: a policy is
 * third-party code, and nothing it does may stop or stall flushing.
 *
 * <p>The call runs on a thread of its own ({@code cairn-flush-policy}) and is abandoned when it
 * overruns the state's time budget; while an abandoned call is still running, the policy is not
 * called again. An exception, a null plan or an overrun gives the safe policy's plan for that
 * round; each failure is counted, remembered for status and logged at most once a minute per
 * policy.
 */
final class PolicyRunner implements AutoCloseable {

    /**
     * What one round got: the plan, and the averaging window for the rates of the next rounds
     * (the policy's {@link FlushPolicy#averagingRounds()}, or the default when the round failed).
     */
    record Outcome(FlushPlan plan, String policyName, boolean replaced, int averagingRounds) {
    }

    /** What the policy's thread brings back from one call. */
    private record Answer(FlushPlan plan, int averagingRounds) {
    }

    private static final System.Logger LOG = System.getLogger("io.cairn.engine.cleaner");
    static final long LOG_INTERVAL_MILLIS = TimeUnit.MINUTES.toMillis(1);

    private final FlushPolicy safe = new SafeFlushPolicy();
    private final ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "cairn-flush-policy");
        thread.setDaemon(true);
        return thread;
    });
    private final LongSupplier clockMillis;
    private final Map<String, Long> lastLoggedMillis = new HashMap<>(); // cleaner thread only
    private volatile FlushPolicy bound;
    private volatile long failures;
    private volatile String lastFailure;
    private Future<Answer> stillRunning; // cleaner thread only

    PolicyRunner(FlushPolicy initial, LongSupplier clockMillis) {
        this.bound = initial;
        this.clockMillis = clockMillis;
    }

    /** Binds another policy (null: the safe policy); the next round uses it. */
    void bind(FlushPolicy policy) {
        bound = policy;
        failures = 0;
        lastFailure = null;
    }

    /** The bound policy's name. */
    String policyName() {
        FlushPolicy policy = bound;
        return policy == null ? safe.name() : safeName(policy);
    }

    /** Failures since the current policy was bound. */
    long failures() {
        return failures;
    }

    /** The latest failure in one line, or null. */
    String lastFailure() {
        return lastFailure;
    }

    /** This round's plan. Called by the page cleaner thread only. */
    Outcome plan(FlushState state) {
        FlushPolicy policy = bound;
        if (policy == null) {
            return new Outcome(safe.plan(state), safe.name(), false, FlushPolicy.DEFAULT_AVERAGING_ROUNDS);
        }
        String name = safeName(policy);
        if (stillRunning != null && !stillRunning.isDone()) {
            return replaced(state, name, "its previous call has not returned yet");
        }
        stillRunning = null;
        // Both calls run on the policy's thread, inside the budget: either may be the one that hangs.
        Future<Answer> call = caller.submit(() -> new Answer(policy.plan(state), policy.averagingRounds()));
        try {
            Answer answer = call.get(Math.max(1, state.timeBudgetNanos()), TimeUnit.NANOSECONDS);
            if (answer.plan() == null) {
                return replaced(state, name, "it returned no plan");
            }
            int rounds = answer.averagingRounds();
            if (rounds < 1 || rounds > FlushPolicy.MAX_AVERAGING_ROUNDS) {
                return replaced(state, name, "averagingRounds() returned " + rounds + ", allowed 1 to "
                        + FlushPolicy.MAX_AVERAGING_ROUNDS);
            }
            return new Outcome(answer.plan(), name, false, rounds);
        } catch (TimeoutException e) {
            stillRunning = call;
            return replaced(state, name, "it overran its time budget of "
                    + TimeUnit.NANOSECONDS.toMillis(state.timeBudgetNanos()) + " ms");
        } catch (ExecutionException e) {
            return replaced(state, name, "it threw " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return replaced(state, name, "the page cleaner was interrupted while waiting for it");
        }
    }

    private Outcome replaced(FlushState state, String name, String why) {
        String line = "flush policy '" + name + "' failed in round " + state.roundNo() + ": " + why
                + "; the built-in safe policy planned this round";
        failures++;
        lastFailure = line;
        long now = clockMillis.getAsLong();
        Long last = lastLoggedMillis.get(name);
        if (last == null || now - last >= LOG_INTERVAL_MILLIS) {
            lastLoggedMillis.put(name, now);
            LOG.log(System.Logger.Level.WARNING, line + " (" + failures + " failures so far; logged at most once a minute)");
        }
        return new Outcome(safe.plan(state), name, true, FlushPolicy.DEFAULT_AVERAGING_ROUNDS);
    }

    private static String safeName(FlushPolicy policy) {
        try {
            return Objects.requireNonNullElse(policy.name(), policy.getClass().getName());
        } catch (RuntimeException e) {
            return policy.getClass().getName();
        }
    }

    @Override
    public void close() {
        caller.shutdownNow();
    }
}
