package io.cairn.flush.adaptive;

import io.cairn.flush.FlushPolicy;
import io.cairn.testkit.BaseFlushPolicyTestCase;

class AdaptiveFlushPolicyConformanceTest extends BaseFlushPolicyTestCase {
    @Override
    protected FlushPolicy createPolicy() {
        return new AdaptiveFlushPolicy();
    }
}
