/**
 * The direct storage backend: {@code O_DIRECT} / {@code O_DSYNC} I/O through the C library.
 *
 * <p>Exported so that embedded users can construct {@link io.cairn.io.direct.DirectStorageBackend}
 * directly, and so that the ZFS-aware backend reuses it for its direct path. Cairn implements
 * everything here: <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.io.direct;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
