/**
 * The workload driver behind {@code cairn:bench} and the embedded benchmarks: point gets, point
 * updates, inserts, range scans and a read/write mix over a {@link io.cairn.kv.Table}, with uniform
 * or zipfian keys, per-second progress with latency percentiles, and a load with a progress bar.
 *
 * <p><b>Role: consumer types.</b> Callers use the driver; nobody implements its types.
 */
@Export
@Version("1.0.0")
package io.cairn.kv.workload;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
