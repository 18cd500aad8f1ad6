package io.cairn.flush.fixed.internal;

import io.cairn.config.InvalidSettingException;
import io.cairn.flush.FlushPlan;
import io.cairn.flush.FlushPolicy;
import io.cairn.flush.FlushState;
import io.cairn.flush.fixed.FixedFlushPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter registering {@link FixedFlushPolicy} as the {@link FlushPolicy} service named
 * {@value FixedFlushPolicy#NAME}. A configuration change applies from the next round; a value that
 * cannot be used is reported in one line and the previous budget stays (the default, if it is the
 * first configuration).
 */
@Component(
        service = FlushPolicy.class,
        configurationPid = FixedFlushPolicyComponent.PID,
        property = FlushPolicy.NAME_PROPERTY + "=" + FixedFlushPolicy.NAME)
@Designate(ocd = FixedFlushPolicyComponent.Config.class)
public final class FixedFlushPolicyComponent implements FlushPolicy {

    static final String PID = "io.cairn.flush.fixed";

    private static final System.Logger LOG = System.getLogger("io.cairn.flush.fixed");

    @ObjectClassDefinition(name = "Cairn fixed flush policy",
            description = "The same number of pages per second whatever the load. Changes apply from the next"
                    + " page cleaner round.")
    public @interface Config {
        @AttributeDefinition(name = "Pages per second", min = "1", max = "2000000",
                description = "Flush-list pages written per second, spread over the page cleaner's rounds.")
        long pagesPerSecond() default FixedFlushPolicy.DEFAULT_PAGES_PER_SECOND;
    }

    private volatile FixedFlushPolicy policy = new FixedFlushPolicy();
    private volatile String rejectedConfiguration;

    @Activate
    @Modified
    void configure(Config config) {
        try {
            policy = new FixedFlushPolicy(config.pagesPerSecond());
            rejectedConfiguration = null;
        } catch (InvalidSettingException e) {
            rejectedConfiguration = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "configuration " + PID + ": " + e.getMessage()
                    + "; keeping the previous settings");
        }
    }

    /** The budget rounds are planned with now. */
    long currentPagesPerSecond() {
        return policy.pagesPerSecond();
    }

    @Override
    public String name() {
        return FixedFlushPolicy.NAME;
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
