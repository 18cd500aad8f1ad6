package io.cairn.bench.flush;

/**
 * The checkpoint ages at which the engine raises redo pressure, for labelling plots and tables.
 * The engine's own computation ({@code io.cairn.engine.core.RedoSpace}) is package-private, so it is
 * repeated here; the run stores the values it used in its CSV, and the stages the engine reported
 * (polled from status) are recorded next to them, so a drift between the two would show as a
 * stage that does not match its line in the plot.
 *
 * @param freeCheckLimitBytes from this age on, new mini-transactions wait (BLOCKING)
 * @param syncFlushAgeBytes from this age on, the engine flushes without a budget (SYNC_FLUSH)
 * @param adaptiveAgeBytes from this age on, the page cleaner is asked to flush harder (ADAPTIVE)
 */
record RedoLimits(long capacityBytes, long freeCheckLimitBytes, long syncFlushAgeBytes, long adaptiveAgeBytes) {

    /** Mini-transactions the engine assumes past the free check at once (32 writers and 10 background threads). */
    private static final int CONCURRENCY = 32 + 10;

    static RedoLimits of(long capacityBytes, int pageSizeBytes) {
        long margin = Math.min((long) CONCURRENCY * 4 * pageSizeBytes + 4096 + capacityBytes / 20,
                capacityBytes / 100 * 55);
        long limit = capacityBytes - margin;
        return new RedoLimits(capacityBytes, limit, limit / 16 * 15, limit / 8 * 7);
    }

    /** The limits a stored run was measured with. */
    static RedoLimits of(RunRecord run) {
        return new RedoLimits(run.longMeta("redo_capacity_bytes"), run.longMeta("free_check_limit_bytes"),
                run.longMeta("sync_flush_age_bytes"), run.longMeta("adaptive_age_bytes"));
    }

    double pct(long bytes) {
        return bytes * 100.0 / capacityBytes;
    }
}
