package io.cairn.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system tools the file-system fixtures need (mkfs, mount, zpool, zfs). */
final class Commands {

    /** What a finished command left: its exit status and its standard output and error, merged. */
    record Result(int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }

        /** The first non-blank line of the output, for one-line failure messages. */
        String firstLine() {
            return output.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("(no output)");
        }
    }

    private Commands() {
    }

    /**
     * Runs {@code command}, its first element looked up on the PATH and in the sbin directories
     * (root's tools are often missing from the PATH of a build). Times out with an exception after
     * {@code timeoutMillis}; a non-zero exit is a result, not an exception.
     */
    static Result run(List<String> command, long timeoutMillis) throws IOException, InterruptedException {
        Path executable = findOnPath(command.get(0));
        if (executable == null) {
            throw new IOException(command.get(0) + " is not installed (not on the PATH, /sbin or /usr/sbin)");
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, executable.toString());
        // Output goes to a file, not a pipe: a reader blocked on a pipe could outlive the timeout.
        Path output = Files.createTempFile("cairn-command-", ".out");
        ProcessBuilder builder = new ProcessBuilder(resolved).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // Failure texts are matched ("busy"), so they must not be translated.
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutMillis + " ms");
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            }
            Files.deleteIfExists(output);
        }
    }

    /** Runs {@code command} and fails with its output unless it exits with 0; returns the output. */
    static String runOrFail(List<String> command, long timeoutMillis) throws IOException, InterruptedException {
        Result result = run(command, timeoutMillis);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " failed with exit status " + result.exitCode()
                    + ": " + result.output().trim());
        }
        return result.output();
    }

    /** The executable {@code name} on the PATH or in the sbin directories, or null. */
    static Path findOnPath(String name) {
        if (name.contains("/")) {
            Path path = Path.of(name);
            return Files.isExecutable(path) && !Files.isDirectory(path) ? path : null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
