package org.example.flush.steady;

import io.cairn.flush.FlushPolicy;
import io.cairn.testkit.BaseFlushPolicyTestCase;

/** Cairn's conformance kit: every rule of the FlushPolicy contract, run against this policy. */
class SteadyFlushPolicyConformanceTest extends BaseFlushPolicyTestCase {
    @Override
    protected FlushPolicy createPolicy() {
        return new SteadyFlushPolicy();
    }
}
