package org.example.flush.steady;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;

/**
 * Drains the same share of the dirty pages every round, so that the dirty set shrinks
 * geometrically while no new changes arrive and settles where the drain matches the rate of new
 * dirty pages under load. Unlike a fixed page budget it scales with the pool, and unlike adaptive
 * flushing it needs no rates: the plan depends only on the dirty page count and the redo age.
 *
 * <p>Each round plans {@code ceil(dirtyPages * drainPercent / 100)} flush-list pages. Draining a
 * share alone would write almost nothing when few pages are dirty but those few hold back the
 * checkpoint, so once the redo age reaches {@code floorAgePercent} of the redo capacity the plan
 * writes at least {@code floorPages} pages (never more than are dirty).
 *
 * <p>Urgency follows the redo age: {@link FlushUrgency#SYNC} past the engine's sync point,
 * {@link FlushUrgency#ELEVATED} past its async point, otherwise {@link FlushUrgency#NORMAL} with
 * dirty pages on an active server or past the floor age, and {@link FlushUrgency#IDLE} otherwise.
 * Every rule only rises with more dirty pages or more redo age, which is what the contract's
 * monotonicity asks for; free pages are left to the engine's own free-frame floor.
 *
 * <p>Immutable: a settings change is a new instance.
 */
public final class SteadyFlushPolicy implements FlushPolicy {

    /** The policy's name and {@value FlushPolicy#NAME_PROPERTY} service property. */
    public static final String NAME = "steady";

    public static final int DEFAULT_DRAIN_PERCENT = 10;
    public static final long DEFAULT_FLOOR_PAGES = 100;
    public static final int DEFAULT_FLOOR_AGE_PERCENT = 50;

    /** The engine's largest maximum I/O capacity: a floor above it could never be written in a round. */
    public static final long MAX_FLOOR_PAGES = 2_000_000;

    private final int drainPercent;
    private final long floorPages;
    private final int floorAgePercent;

    /** A policy with the default settings. */
    public SteadyFlushPolicy() {
        this(DEFAULT_DRAIN_PERCENT, DEFAULT_FLOOR_PAGES, DEFAULT_FLOOR_AGE_PERCENT);
    }

    /**
     * @param drainPercent share of the dirty pages written per round, 1 to 100
     * @param floorPages pages written per round at least once the floor age is reached, 0 to
     *     {@value #MAX_FLOOR_PAGES} (0 turns the floor off)
     * @param floorAgePercent redo age, in percent of the redo capacity, from which the floor applies,
     *     1 to 100
     * @throws InvalidSettingException for a value outside its range
     */
    public SteadyFlushPolicy(int drainPercent, long floorPages, int floorAgePercent) {
        this.drainPercent = (int) InvalidSettingException.requireRange("drainPercent", drainPercent, 1, 100);
        this.floorPages = InvalidSettingException.requireRange("floorPages", floorPages, 0, MAX_FLOOR_PAGES);
        this.floorAgePercent = (int) InvalidSettingException.requireRange("floorAgePercent", floorAgePercent, 1, 100);
    }

    public int drainPercent() {
        return drainPercent;
    }

    public long floorPages() {
        return floorPages;
    }

    public int floorAgePercent() {
        return floorAgePercent;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushPlan plan(FlushState state) {
        long dirty = state.dirtyPages();
        long ageBytes = redoAgeBytes(state);
        boolean floorReached = ageBytes >= percentOf(state.redoCapacityBytes(), floorAgePercent);
        long drain = percentOfRoundedUp(dirty, drainPercent);
        long pages = drain;
        String reason = NAME + ": " + drainPercent + "% of " + dirty + " dirty pages";
        if (floorReached && floorPages > drain && dirty > drain) {
            pages = Math.min(floorPages, dirty);
            reason = NAME + ": floor of " + floorPages + " pages, redo age past " + floorAgePercent + "% of capacity";
        }

        FlushUrgency urgency;
        if (ageBytes > state.syncFlushAgeBytes()) {
            urgency = FlushUrgency.SYNC;
            reason += "; redo age past the sync point";
        } else if (ageBytes > state.asyncFlushAgeBytes()) {
            urgency = FlushUrgency.ELEVATED;
            reason += "; redo age past the async point";
        } else if (dirty > 0 && (state.serverActive() || floorReached)) {
            urgency = FlushUrgency.NORMAL;
        } else {
            urgency = FlushUrgency.IDLE;
        }
        return new FlushPlan(pages, 0, Long.MAX_VALUE, urgency, reason);
    }

    @Override
    public String describe() {
        return NAME + ": " + drainPercent + "% of the dirty pages per round, at least " + floorPages
                + " pages from a redo age of " + floorAgePercent + "% of capacity";
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * The record only promises {@code oldest <= current}; with LSNs near both ends of the long range
     * the difference overflows, and such an age is as old as it gets.
     */
    private static long redoAgeBytes(FlushState state) {
        long age = state.currentLsn() - state.oldestModificationLsn();
        return age < 0 ? Long.MAX_VALUE : age;
    }

    /** {@code whole * percent / 100} rounded down, without overflowing for any non-negative whole. */
    static long percentOf(long whole, int percent) {
        if (whole <= 0) {
            return 0;
        }
        return whole / 100 * percent + whole % 100 * percent / 100;
    }

    /**
     * {@code whole * percent / 100} rounded up, so that a handful of dirty pages is still written
     * eventually; without overflowing for any non-negative whole.
     */
    static long percentOfRoundedUp(long whole, int percent) {
        if (whole <= 0) {
            return 0;
        }
        return whole / 100 * percent + (whole % 100 * percent + 99) / 100;
    }
}
