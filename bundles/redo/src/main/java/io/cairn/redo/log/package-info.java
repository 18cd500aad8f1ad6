/**
 * Cairn's redo log implementation: {@link io.cairn.redo.log.CairnRedoLog} and its provider.
 *
 * <p>Exported so that embedded users can open a log without OSGi, with
 * {@link io.cairn.redo.log.RedoLogOptions} beyond what {@link io.cairn.redo.RedoLogConfig} carries.
 * Cairn implements everything here: <b>provider role</b>. The file format is private to the
 * package and documented in {@code LogFormat}.
 */
@Export
@Version("1.0.0")
package io.cairn.redo.log;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
