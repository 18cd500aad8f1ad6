package io.cairn.io.direct.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library calls the direct backend needs, bound by JNA direct mapping (no per-call
 * reflection). Pointers are passed as {@code long} addresses: every supported platform is LP64.
 * Calls that report failure through {@code errno} declare {@link LastErrorException}, which JNA
 * throws with the errno captured right after the call.
 */
public final class LibC {

    static {
        Native.register(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_DSYNC = 0x1000;
    public static final int O_CLOEXEC = 0x80000;
    /** O_DIRECT differs between architectures: 0x4000 on x86-64, 0x10000 on arm64. */
    public static final int O_DIRECT = Platform.isARM() ? 0x10000 : 0x4000;

    public static final int AT_FDCWD = -100;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_DIOALIGN = 0x2000;
    /** sizeof(struct statx) in the kernel ABI. */
    public static final int STATX_SIZE_BYTES = 256;
    public static final int STATX_MASK_OFFSET = 0;
    public static final int STATX_DEV_MAJOR_OFFSET = 136;
    public static final int STATX_DEV_MINOR_OFFSET = 140;
    public static final int STATX_DIO_MEM_ALIGN_OFFSET = 152;
    public static final int STATX_DIO_OFFSET_ALIGN_OFFSET = 156;

    public static final int POSIX_FADV_NORMAL = 0;
    public static final int POSIX_FADV_RANDOM = 1;
    public static final int POSIX_FADV_SEQUENTIAL = 2;
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int POSIX_FADV_DONTNEED = 4;

    private LibC() {
    }

    public static native int open(String path, int flags, int mode) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native long pread(int fd, long bufferAddress, long count, long fileOffset) throws LastErrorException;

    public static native long pwrite(int fd, long bufferAddress, long count, long fileOffset) throws LastErrorException;

    public static native int fsync(int fd) throws LastErrorException;

    public static native int fdatasync(int fd) throws LastErrorException;

    /** Returns the new offset; used with SEEK_END only to learn the file size (pread/pwrite ignore the offset). */
    public static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    public static final int SEEK_END = 2;

    public static native int ftruncate(int fd, long sizeBytes) throws LastErrorException;

    /** Returns an error number directly (not through errno), or 0. */
    public static native int posix_fallocate(int fd, long fileOffset, long lengthBytes);

    /** Returns an error number directly (not through errno), or 0. */
    public static native int posix_fadvise(int fd, long fileOffset, long lengthBytes, int advice);

    public static native int statx(int dirFd, String path, int flags, int mask, byte[] statxBuffer)
            throws LastErrorException;
}
