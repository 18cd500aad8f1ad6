/**
 * The fault-injecting storage backend: simulated power loss and I/O errors for tests.
 *
 * <p>Exported so that tests and test distributions can drive crashes and faults through
 * {@link io.cairn.io.faultinject.FaultInjectingStorageBackend}. Cairn implements everything here:
 * <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.io.faultinject;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
