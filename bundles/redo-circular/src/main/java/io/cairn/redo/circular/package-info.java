/**
 * A second redo log implementation: {@link io.cairn.redo.circular.CircularRedoLog}, one
 * preallocated file used circularly (InnoDB before 8.0.30), and its provider. It exists so that a
 * running engine can hand its log over to another implementation ({@code canContinueAtLsn}); the
 * format is private to the package and described in {@code CircularFormat}.
 *
 * <p>Exported so that embedded users can open a log without OSGi, with
 * {@link io.cairn.redo.circular.CircularRedoLogOptions}. Cairn implements everything here:
 * <b>provider role</b>.
 */
@Export
@Version("1.0.0")
package io.cairn.redo.circular;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
