/**
 * Configuration errors shared by every Cairn component and plug-in.
 *
 * <p>A bad setting is reported the same way everywhere: one exception naming the key, the value
 * that was given and what is allowed, so the message alone tells an operator what to fix.
 *
 * <p><b>Role: provider types.</b> Cairn defines these classes and plug-ins only throw or catch
 * them; nobody outside Cairn implements them, so additions are minor changes.
 */
@Export
@Version("1.0.0")
package io.cairn.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
