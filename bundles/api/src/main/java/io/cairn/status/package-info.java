/**
 * Status snapshots: immutable records describing a running engine, for the shell, JMX and web
 * consoles. Nothing in the engine depends on this package; it depends on the others, so a
 * snapshot can reuse their value types.
 *
 * <p><b>Role: provider types.</b> Cairn builds these records and the {@link io.cairn.status.StatusService};
 * tools only read them. Callers import {@code [1.0,2.0)}. Records may gain components in a minor
 * version (keeping the existing constructors).
 */
@Export
@Version("1.0.0")
package io.cairn.status;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
