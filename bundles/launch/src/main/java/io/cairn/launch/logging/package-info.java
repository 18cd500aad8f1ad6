/**
 * Cairn's logging set-up: one {@code java.util.logging} sink under the {@code io.cairn} logger.
 *
 * <p>Core code logs through {@link java.lang.System.Logger}; the JDK routes it to
 * {@code java.util.logging}, so the same calls work embedded in a plain JVM and inside an OSGi
 * framework. {@link io.cairn.launch.logging.CairnLogging} attaches the file and console handlers;
 * the server's launch bundle calls it at start and stop, and an embedded application may call it too.
 */
@Export
@Version("1.0.0")
package io.cairn.launch.logging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
