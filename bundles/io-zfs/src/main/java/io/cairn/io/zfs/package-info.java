/**
 * The ZFS-aware storage backend: detects OpenZFS or zfs-fuse under a path, its version, module
 * parameters and dataset properties ({@link io.cairn.io.zfs.ZfsDetector}), chooses direct or
 * buffered I/O per file from a decision table ({@link io.cairn.io.zfs.ZfsIoPolicy}), and moves a
 * file to buffered I/O when direct I/O fails at run time ({@link io.cairn.io.zfs.ZfsStorageBackend}).
 *
 * <p>Exported so that embedded users can construct the backend directly and so that status tools
 * can run detection and the decision table on their own. Cairn implements everything here:
 * <b>provider role</b>. {@link io.cairn.io.zfs.ZfsEnvironment} is the one interface meant to be
 * implemented elsewhere, by tests that replay other machines' answers.
 */
@Export
@Version("1.0.0")
package io.cairn.io.zfs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
