package org.example.flush.steady;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Registers {@link SteadyFlushPolicy} as a {@link FlushPolicy} service with
 * {@code cairn.policy=steady}, which is what the engine's {@code flushPolicy.target} filter
 * selects. The configuration PID is {@value #PID}: in a Cairn server, put the settings into
 * {@code <home>/etc/org.example.flush.steady.cfg}.
 *
 * <p>The component wraps the policy instead of being it, so that a configuration update swaps one
 * immutable policy for another while the engine may be asking for a plan on its own thread: the
 * volatile field is the safe publication the {@link FlushPolicy} contract asks for. A value that
 * cannot be used is one log line, and the previous settings stay in force.
 */
@Component(
        service = FlushPolicy.class,
        configurationPid = SteadyFlushPolicyComponent.PID,
        property = FlushPolicy.NAME_PROPERTY + "=" + SteadyFlushPolicy.NAME)
@Designate(ocd = SteadyFlushPolicyComponent.Config.class)
public final class SteadyFlushPolicyComponent implements FlushPolicy {

    static final String PID = "org.example.flush.steady";

    private static final System.Logger LOG = System.getLogger(PID);

    @ObjectClassDefinition(name = "Example flush policy: steady",
            description = "Writes a share of the dirty pages every page cleaner round, with a floor once the redo"
                    + " age passes a threshold. Changes apply from the next round.")
    public @interface Config {
        @AttributeDefinition(name = "Drain (% of dirty pages per round)", min = "1", max = "100")
        int drainPercent() default SteadyFlushPolicy.DEFAULT_DRAIN_PERCENT;

        @AttributeDefinition(name = "Floor (pages per round)", min = "0", max = "2000000",
                description = "Pages written per round at least once the redo age reaches floorAgePercent; 0 for"
                        + " no floor.")
        long floorPages() default SteadyFlushPolicy.DEFAULT_FLOOR_PAGES;

        @AttributeDefinition(name = "Floor age (% of redo capacity)", min = "1", max = "100")
        int floorAgePercent() default SteadyFlushPolicy.DEFAULT_FLOOR_AGE_PERCENT;
    }

    private volatile SteadyFlushPolicy policy = new SteadyFlushPolicy();
    private volatile String rejectedConfiguration;

    @Activate
    @Modified
    void configure(Config config) {
        try {
            policy = new SteadyFlushPolicy(config.drainPercent(), config.floorPages(), config.floorAgePercent());
            rejectedConfiguration = null;
        } catch (InvalidSettingException e) {
            rejectedConfiguration = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "configuration " + PID + ": " + e.getMessage()
                    + "; keeping the previous settings");
        }
    }

    /** The policy rounds are planned with now. */
    SteadyFlushPolicy current() {
        return policy;
    }

    @Override
    public String name() {
        return SteadyFlushPolicy.NAME;
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
