package io.cairn.io.direct;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.LastErrorException;
import io.cairn.io.direct.internal.LibC;
import java.nio.file.Files;
import java.nio.file.Path;

/** Skips a test, saying why, where the file system under the test directory refuses O_DIRECT. */
final class DirectIoAssumptions {

    private DirectIoAssumptions() {
    }

    static void assumeDirectIo(Path directory) throws Exception {
        Path probe = Files.createTempFile(directory, "odirect-probe", "");
        try {
            int fd = LibC.open(probe.toString(), LibC.O_RDWR | LibC.O_DIRECT | LibC.O_CLOEXEC, 0600);
            LibC.close(fd);
        } catch (LastErrorException e) {
            assumeTrue(false, "O_DIRECT is not supported on " + Files.getFileStore(directory).type()
                    + " at " + directory + " (errno " + e.getErrorCode() + ")");
        } finally {
            Files.delete(probe);
        }
    }
}
