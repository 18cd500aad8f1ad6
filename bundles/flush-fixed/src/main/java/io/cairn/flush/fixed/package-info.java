/**
 * The fixed flush policy: the same page budget per second whatever the load.
 *
 * <p>Exported so that embedded users, tests and benchmarks can construct
 * {@link io.cairn.flush.fixed.FixedFlushPolicy} without the OSGi component. Cairn implements
 * everything here: <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.flush.fixed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
