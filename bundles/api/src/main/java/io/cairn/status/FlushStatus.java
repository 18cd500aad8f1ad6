package io.cairn.status;

import io.cairn.flush.FlushPlan;
import java.util.Set;

/**
 * The page cleaner's latest round.
 *
 * @param policyName the bound policy's name
 * @param lastPlan the plan carried out (after hard limits), or null before the first round
 * @param activeLimits the hard limits enforced in that round
 * @param policyFailures how often the policy failed since it was bound
 * @param lastPolicyFailure a one-line description of the latest failure, or null
 * @param rounds rounds since start
 */
public record FlushStatus(
        String policyName,
        FlushPlan lastPlan,
        Set<HardLimit> activeLimits,
        long policyFailures,
        String lastPolicyFailure,
        long rounds) {

    public FlushStatus {
        activeLimits = Set.copyOf(activeLimits);
    }
}
