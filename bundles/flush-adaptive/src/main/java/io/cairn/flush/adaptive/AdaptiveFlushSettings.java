package io.cairn.flush.adaptive;

import io.cairn.config.InvalidSettingException;

/**
 * The settings of {@link AdaptiveFlushPolicy}, named and bounded as InnoDB's variables of the same
 * meaning (innodb_io_capacity, innodb_io_capacity_max, innodb_max_dirty_pages_pct,
 * innodb_max_dirty_pages_pct_lwm, innodb_adaptive_flushing_lwm, innodb_flushing_avg_loops,
 * innodb_idle_flush_pct). Immutable; the constructor rejects a value that cannot be used with an
 * {@link InvalidSettingException} naming it.
 *
 * <h2>Which I/O capacity the policy uses</h2>
 * The engine has its own {@code ioCapacityPagesPerSecond} and {@code ioCapacityMaxPagesPerSecond}
 * settings and passes them in every {@link io.cairn.flush.FlushState}. One number configured in one
 * place is the rule, so by default ({@code overrideEngineIoCapacity=false}) the policy plans with
 * the engine's values and ignores {@link #ioCapacity()} and {@link #ioCapacityMax()}, except as a
 * fallback for a state that carries no positive capacity. With {@code overrideEngineIoCapacity=true}
 * the policy's two values replace the engine's, which lets an operator try other budgets on the
 * policy alone (the engine still caps every plan at its own limit). A flag rather than "override
 * when the key is present": an admin console writes every key when it saves a configuration, which
 * would silently replace the engine's values with the displayed defaults.
 *
 * @param ioCapacity the normal I/O budget in pages per second (100 to 1000000)
 * @param ioCapacityMax the budget adaptive flushing never exceeds outside sync flushing, in pages
 *     per second (ioCapacity to 2000000)
 * @param overrideEngineIoCapacity whether the two values above replace the state's (see above)
 * @param maxDirtyPagesPct the dirty-page share, in percent of the pool, that adaptive flushing aims
 *     to stay below (0 to 99)
 * @param maxDirtyPagesPctLwm the dirty-page share, in percent, from which flushing for the dirty
 *     share starts; 0 means only at {@code maxDirtyPagesPct} (0 to maxDirtyPagesPct)
 * @param adaptiveFlushingLwm the redo age, in percent of the redo capacity, from which flushing for
 *     the redo age starts (0 to 70)
 * @param flushingAvgLoops the window, in rounds, of the rate averages that {@code FlushState}
 *     carries (1 to 1000); the engine computes those averages over the window the policy reports
 *     in {@link io.cairn.flush.FlushPolicy#averagingRounds()}
 * @param idleFlushPct the share of {@code ioCapacity}, in percent, flushed per round while the
 *     server is idle (0 to 100)
 */
public record AdaptiveFlushSettings(
        long ioCapacity,
        long ioCapacityMax,
        boolean overrideEngineIoCapacity,
        int maxDirtyPagesPct,
        int maxDirtyPagesPctLwm,
        int adaptiveFlushingLwm,
        int flushingAvgLoops,
        int idleFlushPct) {

    /** The bounds of the engine's own settings, so that an override can never exceed them. */
    public static final long MAX_IO_CAPACITY = 1_000_000;
    public static final long MAX_IO_CAPACITY_MAX = 2_000_000;

    public AdaptiveFlushSettings {
        InvalidSettingException.requireRange("ioCapacity", ioCapacity, 100, MAX_IO_CAPACITY);
        if (ioCapacityMax < ioCapacity) {
            throw new InvalidSettingException("ioCapacityMax", ioCapacityMax,
                    "an integer from " + ioCapacity + " to " + MAX_IO_CAPACITY_MAX,
                    "must not be below ioCapacity=" + ioCapacity);
        }
        InvalidSettingException.requireRange("ioCapacityMax", ioCapacityMax, ioCapacity, MAX_IO_CAPACITY_MAX);
        InvalidSettingException.requireRange("maxDirtyPagesPct", maxDirtyPagesPct, 0, 99);
        if (maxDirtyPagesPctLwm > maxDirtyPagesPct && maxDirtyPagesPctLwm <= 99) {
            // InnoDB lowers the low water mark to the maximum with a warning; a rejected value
            // with the reason is clearer than a setting that silently means something else.
            throw new InvalidSettingException("maxDirtyPagesPctLwm", maxDirtyPagesPctLwm,
                    "an integer from 0 to " + maxDirtyPagesPct,
                    "must not be above maxDirtyPagesPct=" + maxDirtyPagesPct);
        }
        InvalidSettingException.requireRange("maxDirtyPagesPctLwm", maxDirtyPagesPctLwm, 0, maxDirtyPagesPct);
        InvalidSettingException.requireRange("adaptiveFlushingLwm", adaptiveFlushingLwm, 0, 70);
        InvalidSettingException.requireRange("flushingAvgLoops", flushingAvgLoops, 1, 1000);
        InvalidSettingException.requireRange("idleFlushPct", idleFlushPct, 0, 100);
    }

    /** InnoDB 8.0's defaults: 200 / 2000 pages/s (used only without the engine's), 90 / 10 %, 10 %, 30 rounds, 100 %. */
    public static AdaptiveFlushSettings defaults() {
        return new AdaptiveFlushSettings(200, 2000, false, 90, 10, 10, 30, 100);
    }
}
