/**
 * The adaptive flush policy: InnoDB's adaptive flushing as a {@link io.cairn.flush.FlushPolicy}.
 *
 * <p>Exported so that embedded users and tests can construct
 * {@link io.cairn.flush.adaptive.AdaptiveFlushPolicy} with their own
 * {@link io.cairn.flush.adaptive.AdaptiveFlushSettings} without the OSGi component. Cairn
 * implements everything here: <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.flush.adaptive;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
