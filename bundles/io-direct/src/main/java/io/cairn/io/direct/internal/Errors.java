package io.cairn.io.direct.internal;

import com.sun.jna.LastErrorException;
import io.cairn.io.NativeIoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Turns errno values into the exceptions the storage SPI promises. */
public final class Errors {

    static final int ENOENT = 2;

    private Errors() {
    }

    /** The exception for a failed call on {@code path}. */
    public static IOException of(String syscall, LastErrorException e, Path path) {
        return of(syscall, e.getErrorCode(), path);
    }

    /** The exception for {@code errno} from {@code syscall} on {@code path}. */
    public static IOException of(String syscall, int errno, Path path) {
        String reason = syscall + " failed with errno " + errno + " (" + name(errno) + ")";
        switch (errno) {
            case ENOENT:
                return new NoSuchFileException(path.toString(), null, reason);
            case NativeIoException.EEXIST:
                return new FileAlreadyExistsException(path.toString(), null, reason);
            case NativeIoException.EACCES:
                return new AccessDeniedException(path.toString(), null, reason);
            default:
                return new NativeIoException(syscall, errno, name(errno) + " on " + path);
        }
    }

    /** The symbolic name of the errno values Cairn meets, else the number. */
    public static String name(int errno) {
        switch (errno) {
            case ENOENT: return "ENOENT";
            case NativeIoException.EINTR: return "EINTR";
            case NativeIoException.EIO: return "EIO";
            case NativeIoException.EAGAIN: return "EAGAIN";
            case NativeIoException.ENOMEM: return "ENOMEM";
            case NativeIoException.EACCES: return "EACCES";
            case NativeIoException.EEXIST: return "EEXIST";
            case NativeIoException.EINVAL: return "EINVAL";
            case NativeIoException.ENOSPC: return "ENOSPC";
            case NativeIoException.EROFS: return "EROFS";
            case NativeIoException.EOPNOTSUPP: return "EOPNOTSUPP";
            default: return "errno " + errno;
        }
    }
}
