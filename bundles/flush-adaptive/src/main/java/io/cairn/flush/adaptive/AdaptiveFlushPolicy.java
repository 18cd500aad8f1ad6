package io.cairn.flush.adaptive;

import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.FlushUrgency;
import java.util.Objects;

/**
 * InnoDB's adaptive flushing (MySQL 8.0, {@code buf0flu.cc}, page_cleaner_flush_pages_recommendation)
 * as a {@link FlushPolicy}: a pure function of the {@link FlushState} and its
 * {@link AdaptiveFlushSettings}. The rate averages InnoDB keeps between rounds come in the state,
 * so the policy keeps no history; an instance is immutable and safe to share between threads.
 *
 * <p>Each round, with {@code io} and {@code ioMax} the I/O capacities (the engine's unless the
 * settings override them, see {@link AdaptiveFlushSettings}; {@code ioMax} is raised to {@code io}
 * if below it):
 * <ol>
 *   <li><b>Dirty share:</b> {@code dirtyPct = dirty * 100 / (1 + lru + free)}.
 *       {@code pctForDirty} is {@code dirtyPct * 100 / (maxDirtyPagesPct + 1)} from
 *       {@code maxDirtyPagesPctLwm} on and 0 below it; with a low water mark of 0 it is 100 from
 *       {@code maxDirtyPagesPct} on and 0 below.</li>
 *   <li><b>Redo age:</b> {@code age = currentLsn - oldestModificationLsn}. Below
 *       {@code adaptiveFlushingLwm} percent of the redo capacity {@code pctForLsn} is 0; from there
 *       {@code factor = age * 100 / asyncFlushAgeBytes} and
 *       {@code pctForLsn = (ioMax / io) * factor^1.5 / 7.5}, where {@code ioMax / io} is an integer
 *       division as in InnoDB (10 with 200 / 2000). The async point (7/8 of the capacity) is
 *       InnoDB's {@code limit_dirty_age}; the capacity stands for its {@code limit_free_check}.</li>
 *   <li><b>LSN target:</b> {@code target = oldestModificationLsn + 3 * lsnAvgRate}, three seconds
 *       of redo past the oldest dirty page; {@code pagesForLsn = min(max(1, histogram(target) / 3),
 *       2 * ioMax)}, where {@code histogram(target)} counts dirty pages with oldest modification at
 *       or below the target. Dividing by 3 spreads those pages over the three rounds the target
 *       spans.</li>
 *   <li><b>Budget:</b> {@code n = floor((io * max(pctForDirty, pctForLsn) / 100 + pageAvgRate
 *       + pagesForLsn) / 3)}, capped at {@code ioMax}. InnoDB truncates each term to an integer;
 *       here only the sum is rounded, which differs by less than one page.</li>
 * </ol>
 * The plan then depends on the redo age and on whether the server is active:
 * <ul>
 *   <li>{@code age > syncFlushAgeBytes}: {@link FlushUrgency#SYNC}. The target becomes the LSN that
 *       brings the age back to the sync point plus three seconds of redo,
 *       {@code min(currentLsn, currentLsn - syncFlushAgeBytes + 3 * lsnAvgRate)}; it is the plan's
 *       {@code lsnLimit}, and the size is {@code max(n, io, histogram(syncTarget))}: not capped by
 *       {@code ioMax} and never below {@code io}, as InnoDB sizes sync flushing (a smaller budget
 *       could leave the cleaner stuck there). Taking {@code n} too keeps the plan from shrinking as
 *       the age crosses the sync point.</li>
 *   <li>server idle ({@code !serverActive}): {@code idleFlushPct} percent of {@code io}, as
 *       innodb_idle_flush_pct, no LSN limit.</li>
 *   <li>otherwise {@code n}, no LSN limit (InnoDB's LSN_MAX in normal mode).</li>
 * </ul>
 * Every plan asks for at most {@code dirtyPages} flush-list pages and no LRU pages: freeing frames
 * is the engine's free-frame floor. Outside sync flushing the urgency is
 * {@link FlushUrgency#ELEVATED} when the age is past {@code asyncFlushAgeBytes} or the dirty share
 * has reached {@code maxDirtyPagesPct}, {@link FlushUrgency#NORMAL} when the server is active with
 * dirty pages, {@link FlushUrgency#IDLE} otherwise.
 *
 * <p>The plan is a budget for a round of about one second, the engine's default; like InnoDB the
 * policy does not scale it by {@link FlushState#sinceLastRoundMillis()} (the page rate and the LSN
 * target are per second already, and the engine caps each plan by its own round length).
 *
 * <p>States the engine never produces are still answered with a valid plan: rates that are
 * negative or NaN count as 0, infinite ones saturate at the caps, LSN sums saturate at
 * {@link Long#MAX_VALUE}, a non-positive async point counts as 1 byte.
 */
public final class AdaptiveFlushPolicy implements FlushPolicy {

    /** The policy's name and {@value FlushPolicy#NAME_PROPERTY} service property. */
    public static final String NAME = "adaptive";

    /** InnoDB's buf_flush_lsn_scan_factor: the LSN target lies this many seconds of redo ahead. */
    static final int LSN_SCAN_FACTOR = 3;

    private final AdaptiveFlushSettings settings;

    /** A policy with {@link AdaptiveFlushSettings#defaults()}. */
    public AdaptiveFlushPolicy() {
        this(AdaptiveFlushSettings.defaults());
    }

    public AdaptiveFlushPolicy(AdaptiveFlushSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The {@code flushingAvgLoops} setting: the engine averages the rates over as many rounds. */
    @Override
    public int averagingRounds() {
        return settings.flushingAvgLoops();
    }

    public AdaptiveFlushSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushPlan plan(FlushState state) {
        long io = ioCapacity(state);
        long ioMax = ioCapacityMax(state, io);
        long dirtyPages = state.dirtyPages();
        long ageBytes = redoAgeBytes(state);
        double lsnAvgRate = rate(state.lsnAvgRateBytesPerSecond());
        double pageAvgRate = rate(state.pageAvgRatePagesPerSecond());
        double dirtyPct = dirtyPct(state);

        double pctForDirty = pctForDirty(dirtyPct);
        double pctForLsn = pctForLsn(ageBytes, state.redoCapacityBytes(), state.asyncFlushAgeBytes(), io, ioMax);
        double pct = Math.max(pctForDirty, pctForLsn);
        long targetLsn = plusSaturated(state.oldestModificationLsn(), LSN_SCAN_FACTOR * lsnAvgRate);
        long pagesForLsn = Math.min(Math.max(1, state.dirtyHistogram().pagesAtOrBelow(targetLsn) / LSN_SCAN_FACTOR),
                ioMax > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * ioMax);
        long adaptivePages = (long) Math.min(Math.floor((io * pct / 100 + pageAvgRate + pagesForLsn) / 3), ioMax);

        if (ageBytes > state.syncFlushAgeBytes()) {
            long syncTargetLsn = Math.min(state.currentLsn(),
                    plusSaturated(minusSaturated(state.currentLsn(), state.syncFlushAgeBytes()),
                            LSN_SCAN_FACTOR * lsnAvgRate));
            long pagesBelowTarget = state.dirtyHistogram().pagesAtOrBelow(syncTargetLsn);
            long pages = Math.min(dirtyPages, Math.max(adaptivePages, Math.max(io, pagesBelowTarget)));
            return new FlushPlan(pages, 0, Math.max(1, syncTargetLsn), FlushUrgency.SYNC,
                    "redo age " + percent(ageBytes, state.redoCapacityBytes())
                            + "% of capacity, past the sync point: flush below LSN " + syncTargetLsn);
        }

        boolean pastAsyncPoint = ageBytes > state.asyncFlushAgeBytes();
        boolean atMaxDirty = dirtyPages > 0 && dirtyPct >= settings.maxDirtyPagesPct();
        String pressure = pastAsyncPoint ? "redo age past the adaptive point; "
                : atMaxDirty ? "dirty pages at maxDirtyPagesPct; " : "";
        FlushUrgency raised = pastAsyncPoint || atMaxDirty ? FlushUrgency.ELEVATED : null;

        if (!state.serverActive()) {
            long pages = Math.min(dirtyPages, percentOf(io, settings.idleFlushPct()));
            return new FlushPlan(pages, 0, Long.MAX_VALUE, raised != null ? raised : FlushUrgency.IDLE,
                    pressure + "idle: " + settings.idleFlushPct() + "% of " + io + " pages/s");
        }
        if (dirtyPages == 0) {
            return new FlushPlan(0, 0, Long.MAX_VALUE, raised != null ? raised : FlushUrgency.IDLE,
                    pressure + "no dirty pages");
        }
        long pages = Math.min(dirtyPages, adaptivePages);
        return new FlushPlan(pages, 0, Long.MAX_VALUE, raised != null ? raised : FlushUrgency.NORMAL,
                pressure + "adaptive: max(dirty " + Math.round(pctForDirty) + "%, redo " + Math.round(pctForLsn)
                        + "%) of " + io + " pages/s, avg " + Math.round(pageAvgRate) + ", lsn target "
                        + pagesForLsn + " -> " + pages);
    }

    @Override
    public String describe() {
        AdaptiveFlushSettings s = settings;
        return NAME + ": ioCapacity " + (s.overrideEngineIoCapacity()
                        ? s.ioCapacity() + ", ioCapacityMax " + s.ioCapacityMax() + " (overriding the engine's)"
                        : "and ioCapacityMax from the engine")
                + ", maxDirtyPagesPct " + s.maxDirtyPagesPct() + ", maxDirtyPagesPctLwm " + s.maxDirtyPagesPctLwm()
                + ", adaptiveFlushingLwm " + s.adaptiveFlushingLwm() + ", flushingAvgLoops " + s.flushingAvgLoops()
                + ", idleFlushPct " + s.idleFlushPct();
    }

    @Override
    public String toString() {
        return describe();
    }

    // ------------------------------------------------------------------ the formula's parts

    /** The normal I/O budget in pages per second this state is planned with. */
    long ioCapacity(FlushState state) {
        long fromEngine = state.ioCapacityPagesPerSecond();
        return settings.overrideEngineIoCapacity() || fromEngine <= 0 ? settings.ioCapacity() : fromEngine;
    }

    /** The maximum I/O budget in pages per second, never below {@code ioCapacity}. */
    long ioCapacityMax(FlushState state, long ioCapacity) {
        long fromEngine = state.ioCapacityMaxPagesPerSecond();
        long max = settings.overrideEngineIoCapacity() || fromEngine <= 0 ? settings.ioCapacityMax() : fromEngine;
        // An integer ratio ioMax / io of 0 would switch flushing for redo age off altogether.
        return Math.max(max, ioCapacity);
    }

    /** InnoDB's af_get_pct_for_dirty: percent of ioCapacity for the dirty share {@code dirtyPct}. */
    double pctForDirty(double dirtyPct) {
        int lwm = settings.maxDirtyPagesPctLwm();
        int max = settings.maxDirtyPagesPct();
        if (lwm == 0) {
            return dirtyPct >= max ? 100 : 0;
        }
        return dirtyPct >= lwm ? dirtyPct * 100 / (max + 1) : 0;
    }

    /** InnoDB's af_get_pct_for_lsn: percent of ioCapacity for a redo age of {@code ageBytes}. */
    double pctForLsn(long ageBytes, long redoCapacityBytes, long asyncFlushAgeBytes, long ioCapacity,
            long ioCapacityMax) {
        double lwmBytes = settings.adaptiveFlushingLwm() * (double) redoCapacityBytes / 100;
        if (ageBytes < lwmBytes) {
            return 0;
        }
        double factor = ageBytes * 100.0 / Math.max(1, asyncFlushAgeBytes);
        long capacityRatio = ioCapacityMax / ioCapacity;
        return capacityRatio * factor * Math.sqrt(factor) / 7.5;
    }

    /** The dirty share in percent, computed in floating point so that huge page counts cannot overflow. */
    static double dirtyPct(FlushState state) {
        return state.dirtyPages() * 100.0 / (1.0 + state.lruPages() + state.freePages());
    }

    /** The redo age; {@link Long#MAX_VALUE} where the subtraction would overflow. */
    static long redoAgeBytes(FlushState state) {
        long age = state.currentLsn() - state.oldestModificationLsn();
        // The record guarantees oldest <= current, so a negative difference can only be an overflow.
        return age < 0 ? Long.MAX_VALUE : age;
    }

    /** A rate as the formula may use it: NaN and negative rates count as 0. */
    static double rate(double perSecond) {
        return perSecond > 0 ? perSecond : 0;
    }

    /** {@code lsn + bytes} for {@code bytes >= 0}, saturating at {@link Long#MAX_VALUE}. */
    static long plusSaturated(long lsn, double bytes) {
        if (!(bytes < 0x1p62)) {
            return Long.MAX_VALUE;
        }
        long sum = lsn + (long) bytes;
        return sum < lsn ? Long.MAX_VALUE : sum;
    }

    /** {@code lsn - bytes}, saturating at both ends of the long range. */
    static long minusSaturated(long lsn, long bytes) {
        long difference = lsn - bytes;
        if (((lsn ^ bytes) & (lsn ^ difference)) < 0) {
            return bytes > 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return difference;
    }

    /** {@code value * pct / 100} rounded down, without overflow for any non-negative value. */
    static long percentOf(long value, int pct) {
        return value / 100 * pct + value % 100 * pct / 100;
    }

    /** {@code part * 100 / whole}, rounded, for reasons; 0 for a whole that is not positive. */
    static long percent(long part, long whole) {
        return whole <= 0 ? 0 : Math.round(part * 100.0 / whole);
    }
}
