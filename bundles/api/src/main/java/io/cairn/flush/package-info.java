/**
 * The flush policy SPI: how many dirty pages the page cleaner writes each round.
 *
 * <p>A {@link io.cairn.flush.FlushPolicy} is a pure function from an immutable
 * {@link io.cairn.flush.FlushState} snapshot to a {@link io.cairn.flush.FlushPlan}. The engine
 * builds the state each round, asks the bound policy, checks the answer, and enforces its hard
 * limits whatever the policy says (a free-frame floor, sync flushing near redo capacity, a cap on
 * the plan size, urgent flushes for waiters). A policy that throws, answers nonsense or takes too
 * long is replaced by the built-in safe policy for that round; it can never stop the cleaner.
 *
 * <p><b>Role: consumer types.</b> Flush policies are the plug-in third parties are expected to
 * write, against this package alone, and Cairn calls them: {@code FlushPolicy} is
 * {@code @ConsumerType}, so a policy bundle imports {@code [1.0,2.0)} and keeps working across
 * minor releases. {@code FlushState} and {@code FlushPlan} are records Cairn builds and reads;
 * a later minor version may add state components (keeping the existing constructors), which a
 * 1.0 policy simply does not read.
 */
@Export
@Version("1.1.0")
package io.cairn.flush;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
