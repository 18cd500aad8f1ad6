package io.cairn.flush.fixed;

import io.cairn.flush.FlushPolicy;
import io.cairn.testkit.BaseFlushPolicyTestCase;

class FixedFlushPolicyConformanceTest extends BaseFlushPolicyTestCase {
    @Override
    protected FlushPolicy createPolicy() {
        return new FixedFlushPolicy();
    }
}
