package io.cairn.io.zfs.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The two C library calls detection needs and the JDK does not offer: {@code statfs} (for
 * {@code f_type}, the file system magic) and {@code statx} (for a file's {@code st_blksize}). Bound
 * by JNA direct mapping; structures are read from byte arrays at their LP64 Linux offsets.
 */
final class NativeFs {

    static {
        Native.register(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    /** Large enough for {@code struct statfs} (120 bytes on x86-64 and arm64). */
    static final int STATFS_SIZE_BYTES = 256;
    /** {@code f_type} is the first member, an 8-byte {@code __fsword_t} on LP64. */
    static final int STATFS_TYPE_OFFSET = 0;

    static final int AT_FDCWD = -100;
    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_SIZE_BYTES = 256;
    static final int STATX_BLKSIZE_OFFSET = 4;
    static final int STATX_SIZE_OFFSET = 40;

    private NativeFs() {
    }

    static native int statfs(String path, byte[] statfsBuffer) throws LastErrorException;

    static native int statx(int dirFd, String path, int flags, int mask, byte[] statxBuffer) throws LastErrorException;
}
