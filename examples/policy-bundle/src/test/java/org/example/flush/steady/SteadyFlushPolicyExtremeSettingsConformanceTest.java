package org.example.flush.steady;

import io.cairn.flush.FlushPolicy;
import io.cairn.testkit.BaseFlushPolicyTestCase;

/**
 * The kit again with the settings at the ends of their ranges: the smallest drain and the largest
 * floor from the lowest redo age, where the floor decides almost every plan.
 */
class SteadyFlushPolicyExtremeSettingsConformanceTest extends BaseFlushPolicyTestCase {
    @Override
    protected FlushPolicy createPolicy() {
        return new SteadyFlushPolicy(1, SteadyFlushPolicy.MAX_FLOOR_PAGES, 1);
    }
}
