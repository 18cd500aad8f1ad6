package io.cairn.io.zfs;

/** What kind of file system holds a path, as far as the ZFS backend cares. */
public enum ZfsKind {
    /** Not ZFS (ext4, xfs, tmpfs, overlay, unknown...). */
    NOT_ZFS,
    /** OpenZFS (ZFS on Linux), the kernel module: mount type {@code zfs}, statfs magic {@code 0x2fc12fc1}. */
    OPENZFS,
    /**
     * zfs-fuse, ZFS in a FUSE daemon: mount type {@code fuse.zfs}. Copy-on-write like OpenZFS, but
     * {@code O_DIRECT} is accepted without bypassing any cache, statfs reports 512-byte blocks
     * whatever the recordsize, and there is no {@code /sys/module/zfs}.
     */
    ZFS_FUSE
}
