package io.cairn.engine.core;

import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;

/**
 * The engine's own policy: used when no policy is bound and for any round in which the bound one
 * failed. Deliberately simple so that it cannot fail: the normal I/O budget for the time since the
 * last round, the maximum budget past the adaptive redo point, everything below the target past the
 * sync point, and a little idle flushing.
 */
final class SafeFlushPolicy implements FlushPolicy {

    static final String NAME = "built-in safe";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushPlan plan(FlushState state) {
        long intervalMillis = state.sinceLastRoundMillis() <= 0 ? 1000 : Math.min(state.sinceLastRoundMillis(), 10_000);
        long age = state.redoAgeBytes();
        if (age > state.syncFlushAgeBytes()) {
            return new FlushPlan(Math.max(1, state.dirtyPages()), 0, Math.max(1, state.currentLsn() - state.asyncFlushAgeBytes()),
                    FlushUrgency.SYNC, "redo age past the sync point");
        }
        if (age > state.asyncFlushAgeBytes()) {
            return new FlushPlan(Math.max(1, state.ioCapacityMaxPagesPerSecond() * intervalMillis / 1000), 0,
                    Long.MAX_VALUE, FlushUrgency.ELEVATED, "redo age past the adaptive point");
        }
        if (state.dirtyPages() == 0) {
            return FlushPlan.nothing("no dirty pages");
        }
        long pages = Math.max(1, state.ioCapacityPagesPerSecond() * intervalMillis / 1000);
        return state.serverActive()
                ? new FlushPlan(pages, 0, Long.MAX_VALUE, FlushUrgency.NORMAL, "I/O capacity")
                : new FlushPlan(pages, 0, Long.MAX_VALUE, FlushUrgency.IDLE, "idle: I/O capacity");
    }
}
