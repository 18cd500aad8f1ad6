package io.cairn.io;

import java.io.IOException;

/**
 * A system call failed with an {@code errno}. Backends that call the C library directly throw it,
 * so callers can act on the cause (a ZFS-aware backend treats {@code ENOMEM}, {@code EINVAL} and
 * {@code EIO} from a direct write as "move this file to the buffered path", field report 1)
 * without parsing messages.
 */
public class NativeIoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Linux x86-64 and aarch64 values of the errno numbers Cairn acts on. */
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EOPNOTSUPP = 95;

    private final int errno;
    private final String syscall;

    public NativeIoException(String syscall, int errno, String message) {
        super(syscall + " failed: errno " + errno + ": " + message);
        this.syscall = syscall;
        this.errno = errno;
    }

    /** The error number the call returned. */
    public int errno() {
        return errno;
    }

    /** The name of the failed call ({@code pwrite}, {@code open}, ...). */
    public String syscall() {
        return syscall;
    }
}
