/**
 * The buffered storage backend: page-cache I/O through {@link java.nio.channels.FileChannel}.
 *
 * <p>Exported so that embedded users can construct {@link io.cairn.io.buffered.BufferedStorageBackend}
 * directly, and so that other backends (direct, ZFS-aware) reuse it for directory operations and
 * for their buffered fallback path instead of repeating it. Cairn implements everything here:
 * <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.io.buffered;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
