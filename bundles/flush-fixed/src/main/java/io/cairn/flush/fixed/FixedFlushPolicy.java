package io.cairn.flush.fixed;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;

/**
 * A flush policy that writes the same number of pages per second whatever the load: predictable
 * background I/O for tests, benchmarks and devices that must not see bursts. Immutable and a pure
 * function of the {@link FlushState}.
 *
 * <p>Each round asks for {@code ceil(pagesPerSecond * intervalMillis / 1000)} flush-list pages, at
 * most {@code dirtyPages}, with no LSN limit and no LRU pages, where {@code intervalMillis} is
 * {@link FlushState#sinceLastRoundMillis()} capped at {@value #MAX_INTERVAL_MILLIS} ms. Rounding up
 * keeps very short rounds from planning nothing forever (at the engine's shortest round, 10 ms, the
 * excess is below one page per round). The cap keeps a long stall (a suspended VM, a long GC pause)
 * from turning into one burst of many seconds' worth. The first round has no previous round to
 * measure from ({@code sinceLastRoundMillis} is 0); it, and any round reporting 0 ms or less, plans
 * one nominal interval of {@value #NOMINAL_INTERVAL_MILLIS} ms, the engine's default round.
 *
 * <p>The size never reacts to pressure; the urgency does, so that the engine shortens the time to
 * the next round: {@link FlushUrgency#SYNC} past {@code syncFlushAgeBytes}, {@link FlushUrgency#ELEVATED}
 * past {@code asyncFlushAgeBytes}, otherwise {@link FlushUrgency#NORMAL} while the server is active
 * with dirty pages and {@link FlushUrgency#IDLE} when it is idle or has none. Near redo capacity the
 * engine's own sync flushing takes over whatever the plan says.
 */
public final class FixedFlushPolicy implements FlushPolicy {

    /** The policy's name and {@value FlushPolicy#NAME_PROPERTY} service property. */
    public static final String NAME = "fixed";

    public static final long DEFAULT_PAGES_PER_SECOND = 200;
    /** The engine's largest maximum I/O capacity; a fixed budget above it could never be carried out. */
    public static final long MAX_PAGES_PER_SECOND = 2_000_000;

    static final long NOMINAL_INTERVAL_MILLIS = 1000;
    static final long MAX_INTERVAL_MILLIS = 10_000;

    private final long pagesPerSecond;

    /** A policy writing {@value #DEFAULT_PAGES_PER_SECOND} pages per second. */
    public FixedFlushPolicy() {
        this(DEFAULT_PAGES_PER_SECOND);
    }

    /**
     * @param pagesPerSecond the budget, from 1 to {@value #MAX_PAGES_PER_SECOND}
     * @throws InvalidSettingException for a budget outside that range
     */
    public FixedFlushPolicy(long pagesPerSecond) {
        this.pagesPerSecond = InvalidSettingException.requireRange("pagesPerSecond", pagesPerSecond, 1,
                MAX_PAGES_PER_SECOND);
    }

    public long pagesPerSecond() {
        return pagesPerSecond;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushPlan plan(FlushState state) {
        long since = state.sinceLastRoundMillis();
        long intervalMillis = since <= 0 ? NOMINAL_INTERVAL_MILLIS : Math.min(since, MAX_INTERVAL_MILLIS);
        long budget = (pagesPerSecond * intervalMillis + 999) / 1000;
        long pages = Math.min(state.dirtyPages(), budget);
        long ageBytes = state.currentLsn() - state.oldestModificationLsn();
        if (ageBytes < 0) {
            ageBytes = Long.MAX_VALUE; // oldest <= current holds, so only an overflow gets here
        }
        FlushUrgency urgency;
        String pressure;
        if (ageBytes > state.syncFlushAgeBytes()) {
            urgency = FlushUrgency.SYNC;
            pressure = "; redo age past the sync point";
        } else if (ageBytes > state.asyncFlushAgeBytes()) {
            urgency = FlushUrgency.ELEVATED;
            pressure = "; redo age past the adaptive point";
        } else {
            urgency = state.serverActive() && state.dirtyPages() > 0 ? FlushUrgency.NORMAL : FlushUrgency.IDLE;
            pressure = "";
        }
        return new FlushPlan(pages, 0, Long.MAX_VALUE, urgency,
                "fixed: " + pagesPerSecond + " pages/s for " + intervalMillis + " ms" + pressure);
    }

    @Override
    public String describe() {
        return NAME + ": " + pagesPerSecond + " pages/s";
    }

    @Override
    public String toString() {
        return describe();
    }
}
