package io.cairn.io.direct;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.LastErrorException;
import io.cairn.io.NativeIoException;
import io.cairn.io.direct.internal.LibC;
import java.nio.file.Files;
import java.nio.file.Path;

/** Skips a test, saying why, where the file system under the test directory does not behave as it needs. */
final class DirectIoAssumptions {

    private DirectIoAssumptions() {
    }

    /** Skips unless the file system under {@code directory} accepts {@code open(O_DIRECT)}. */
    static void assumeDirectIo(Path directory) throws Exception {
        int errno = openDirectErrno(directory);
        assumeTrue(errno == 0, () -> "O_DIRECT is not supported on " + fileSystemType(directory) + " at " + directory
                + " (errno " + errno + ")");
    }

    /**
     * Skips unless the file system under {@code directory} refuses {@code open(O_DIRECT)} with
     * EINVAL: which file systems refuse changes with the kernel (tmpfs gained O_DIRECT in 6.6).
     */
    static void assumeDirectIoRefused(Path directory) throws Exception {
        int errno = openDirectErrno(directory);
        assumeTrue(errno == NativeIoException.EINVAL, () -> fileSystemType(directory) + " at " + directory
                + (errno == 0 ? " accepts O_DIRECT" : " fails open(O_DIRECT) with errno " + errno + ", not EINVAL,")
                + " on kernel " + System.getProperty("os.version") + ", so no file system here refuses direct I/O");
    }

    /** The errno of {@code open(O_DIRECT)} of a new file in {@code directory}, 0 when it succeeds. */
    private static int openDirectErrno(Path directory) throws Exception {
        Path probe = Files.createTempFile(directory, "odirect-probe", "");
        try {
            int fd = LibC.open(probe.toString(), LibC.O_RDWR | LibC.O_DIRECT | LibC.O_CLOEXEC, 0600);
            LibC.close(fd);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        } finally {
            Files.delete(probe);
        }
    }

    private static String fileSystemType(Path directory) {
        try {
            return Files.getFileStore(directory).type();
        } catch (Exception e) {
            return "(unknown file system)";
        }
    }
}
