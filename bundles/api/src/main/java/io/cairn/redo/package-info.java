/**
 * The redo log service: physical redo records, LSNs, group commit, checkpoints.
 *
 * <p>The engine describes every page change of a mini-transaction as {@link io.cairn.redo.RedoRecord}s
 * and appends them as one group; the {@link io.cairn.redo.RedoLog} gives the group its LSN range,
 * writes and syncs groups in batches (one write and one sync cover every commit below the flushed
 * LSN), keeps two alternating checkpoint headers, and replays groups in recovery. The record model
 * is part of the API so that a redo log implementation can be replaced without changing the engine.
 *
 * <p><b>Role: provider types.</b> Cairn implements the redo log (a replacement redo log is Cairn's
 * own or a close partner's, built against the exact minor version); everyone else only calls it.
 * {@code @ProviderType} lets the service grow by minor versions: an implementer imports
 * {@code [1.0,1.1)}, a caller {@code [1.0,2.0)}.
 */
@Export
@Version("1.1.0")
package io.cairn.redo;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
