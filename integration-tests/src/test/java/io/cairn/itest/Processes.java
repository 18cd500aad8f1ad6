package io.cairn.itest;

import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a helper process of a test to its end, and never leaves it, or anything it started, behind. */
final class Processes {

    private Processes() {
    }

    /**
     * Starts {@code builder} with standard input closed and its output (stdout and stderr) in
     * {@code log}, and waits for it; fails, with the end of the log, when it does not exit within
     * {@code timeout}. The process and its descendants are destroyed on a timeout, an interrupt or
     * any other way out of the wait.
     *
     * @return the exit status
     */
    static int run(ProcessBuilder builder, Path log, Duration timeout) throws IOException, InterruptedException {
        Process process = builder
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        boolean exited = false;
        try {
            exited = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        } finally {
            if (!exited) {
                destroyWithDescendants(process);
            }
        }
        if (!exited) {
            fail(String.join(" ", builder.command()) + " did not finish within " + timeout.toSeconds()
                + " s; end of its output:\n" + tail(log));
        }
        return process.exitValue();
    }

    /** The last lines of {@code log}, for failure messages. */
    static String tail(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Descendants first collected, then killed with their parent: a forked test JVM must not outlive Maven. */
    private static void destroyWithDescendants(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
