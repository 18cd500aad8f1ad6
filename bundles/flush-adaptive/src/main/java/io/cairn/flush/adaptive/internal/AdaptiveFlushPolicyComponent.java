package io.cairn.flush.adaptive.internal;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.adaptive.AdaptiveFlushPolicy;
import io.cairn.flush.adaptive.AdaptiveFlushSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter registering {@link AdaptiveFlushPolicy} as the {@link FlushPolicy} service named
 * {@value AdaptiveFlushPolicy#NAME}. A configuration change applies from the next round; a value
 * that cannot be used is reported in one line and the previous settings stay (the defaults, if it
 * is the first configuration).
 *
 * <p>{@code flushingAvgLoops} is not used by the plan itself: the engine computes the rate averages
 * the state carries, and asks the policy for the window through
 * {@link FlushPolicy#averagingRounds()}.
 */
@Component(
        service = FlushPolicy.class,
        configurationPid = AdaptiveFlushPolicyComponent.PID,
        property = FlushPolicy.NAME_PROPERTY + "=" + AdaptiveFlushPolicy.NAME)
@Designate(ocd = AdaptiveFlushPolicyComponent.Config.class)
public final class AdaptiveFlushPolicyComponent implements FlushPolicy {

    static final String PID = "io.cairn.flush.adaptive";

    private static final System.Logger LOG = System.getLogger("io.cairn.flush.adaptive");

    @ObjectClassDefinition(name = "Cairn adaptive flush policy",
            description = "InnoDB's adaptive flushing: pages per round from the dirty share, the redo age and the"
                    + " pages below an LSN target. Changes apply from the next page cleaner round.")
    public @interface Config {
        @AttributeDefinition(name = "I/O capacity (pages/s)", min = "100", max = "1000000",
                description = "innodb_io_capacity. Used only when overrideEngineIoCapacity is set, or when the"
                        + " engine passes no capacity.")
        long ioCapacity() default 200;

        @AttributeDefinition(name = "Maximum I/O capacity (pages/s)", min = "100", max = "2000000",
                description = "innodb_io_capacity_max: the cap outside sync flushing, at least ioCapacity. Used only"
                        + " when overrideEngineIoCapacity is set, or when the engine passes no capacity.")
        long ioCapacityMax() default 2000;

        @AttributeDefinition(name = "Override the engine's I/O capacity",
                description = "Plan with ioCapacity and ioCapacityMax above instead of the engine's settings.")
        boolean overrideEngineIoCapacity() default false;

        @AttributeDefinition(name = "Maximum dirty pages (%)", min = "0", max = "99",
                description = "innodb_max_dirty_pages_pct: the dirty share flushing aims to stay below.")
        int maxDirtyPagesPct() default 90;

        @AttributeDefinition(name = "Dirty pages low water mark (%)", min = "0", max = "99",
                description = "innodb_max_dirty_pages_pct_lwm: flushing for the dirty share starts here, at most"
                        + " maxDirtyPagesPct; 0 starts it only at maxDirtyPagesPct.")
        int maxDirtyPagesPctLwm() default 10;

        @AttributeDefinition(name = "Redo age low water mark (%)", min = "0", max = "70",
                description = "innodb_adaptive_flushing_lwm: flushing for the redo age starts at this share of the"
                        + " redo capacity.")
        int adaptiveFlushingLwm() default 10;

        @AttributeDefinition(name = "Averaging window (rounds)", min = "1", max = "1000",
                description = "innodb_flushing_avg_loops: the number of page cleaner rounds the engine averages"
                        + " the LSN rate and the flush rate over.")
        int flushingAvgLoops() default 30;

        @AttributeDefinition(name = "Idle flushing (% of I/O capacity)", min = "0", max = "100",
                description = "innodb_idle_flush_pct: pages per round while the server is idle.")
        int idleFlushPct() default 100;
    }

    private volatile AdaptiveFlushPolicy policy = new AdaptiveFlushPolicy();
    private volatile String rejectedConfiguration;

    @Activate
    @Modified
    void configure(Config config) {
        try {
            policy = new AdaptiveFlushPolicy(settings(config));
            rejectedConfiguration = null;
        } catch (InvalidSettingException e) {
            rejectedConfiguration = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "configuration " + PID + ": " + e.getMessage()
                    + "; keeping the previous settings");
        }
    }

    static AdaptiveFlushSettings settings(Config config) {
        return new AdaptiveFlushSettings(config.ioCapacity(), config.ioCapacityMax(), config.overrideEngineIoCapacity(),
                config.maxDirtyPagesPct(), config.maxDirtyPagesPctLwm(), config.adaptiveFlushingLwm(),
                config.flushingAvgLoops(), config.idleFlushPct());
    }

    /** The settings rounds are planned with now. */
    AdaptiveFlushSettings currentSettings() {
        return policy.settings();
    }

    @Override
    public String name() {
        return AdaptiveFlushPolicy.NAME;
    }

    @Override
    public FlushPlan plan(FlushState state) {
        return policy.plan(state);
    }

    @Override
    public int averagingRounds() {
        return policy.averagingRounds();
    }

    @Override
    public String describe() {
        String rejected = rejectedConfiguration;
        return policy.describe() + (rejected == null ? "" : " [rejected configuration: " + rejected + "]");
    }
}
