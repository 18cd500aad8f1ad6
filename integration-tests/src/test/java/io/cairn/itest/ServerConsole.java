package io.cairn.itest;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A server distribution running in a process of its own with its Gogo console on a pipe, so that a
 * test types commands into the running server as an operator would and reads what they print.
 *
 * <p>{@code cairn.exec} runs one command and exits, and a second process cannot open the same home
 * (the engine locks it), so watching a server change while it runs needs its console. Without a
 * terminal the launch bundle makes Gogo headless; setting {@code gosh.args} explicitly
 * ({@code --noshutdown}) keeps the console reading standard input, and keeps the framework running
 * should that input end.
 *
 * <p>Each command is framed by two {@code echo} lines with tokens of their own: what lies between
 * them in the output is that command's output. {@link #close()} stops the process whatever state
 * the test left it in.
 */
final class ServerConsole implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

    private final Path home;
    private final Path output;
    private final Process process;
    private final OutputStream input;
    private int commands;

    private ServerConsole(Path home, Path output, Process process) {
        this.home = home;
        this.output = output;
        this.process = process;
        this.input = process.getOutputStream();
    }

    /** Starts {@code jar} on {@code home}, its console output (stdout and stderr) in {@code home}'s sibling {@code .out}. */
    static ServerConsole start(Path jar, Path home, String... systemProperties) throws IOException {
        Path absoluteJar = jar.toAbsolutePath().normalize();
        assertTrue("the distribution must be built first: " + absoluteJar, Files.isRegularFile(absoluteJar));
        Path output = home.resolveSibling(home.getFileName() + ".out");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dcairn.home=" + home);
        command.add("-Dgosh.args=--noshutdown");
        command.addAll(List.of(systemProperties));
        command.add("-jar");
        command.add(absoluteJar.toString());
        Process process = new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
        return new ServerConsole(home, output, process);
    }

    Path home() {
        return home;
    }

    /**
     * Types {@code commandLine} into the console and returns what it printed (the result, or
     * Gogo's one-line error), without prompts.
     */
    String run(String commandLine, Duration timeout) throws IOException {
        int n = ++commands;
        String begin = "cairn-itest-begin-" + n;
        String end = "cairn-itest-end-" + n;
        type("echo " + begin + "\n" + commandLine + "\n" + "echo " + end + "\n");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = outputLines();
            int from = indexOfToken(lines, begin, 0);
            int to = from < 0 ? -1 : indexOfToken(lines, end, from + 1);
            if (to >= 0) {
                List<String> printed = new ArrayList<>();
                for (String line : lines.subList(from + 1, to)) {
                    printed.add(withoutPrompt(line));
                }
                return String.join("\n", printed).strip();
            }
            if (!process.isAlive()) {
                fail("the server exited with status " + process.exitValue() + " while running '" + commandLine
                    + "'; output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                fail("'" + commandLine + "' printed no end within " + timeout.toSeconds() + " s; output:\n" + output());
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /**
     * Runs {@code cairn:status} until its output matches, returning that output; fails with the
     * last one after {@code timeout}.
     */
    String awaitStatus(String what, Predicate<String> condition, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status;
        do {
            status = run("cairn:status", timeout);
            if (condition.test(status)) {
                return status;
            }
            LockSupport.parkNanos(POLL.toNanos());
        } while (System.nanoTime() < deadline);
        fail(what + " within " + timeout.toSeconds() + " s; the last cairn:status said:\n" + status);
        return status;
    }

    /** Stops the server through {@code cairn:shutdown}, returning its exit status. */
    int shutdown() throws IOException, InterruptedException {
        type("cairn:shutdown\n");
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            fail("the server did not exit within " + STOP_TIMEOUT.toSeconds() + " s of cairn:shutdown; output:\n"
                + output());
        }
        return process.exitValue();
    }

    /**
     * Puts {@code source} into {@code directory} in one step: FileInstall polls the directory and
     * must never see a half-written file.
     */
    static void placeAtomically(Path source, Path directory, String fileName) throws IOException {
        Files.createDirectories(directory);
        Path staging = directory.resolveSibling(directory.getFileName() + "-" + fileName + ".part");
        Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code text} as {@code directory/fileName} in one step, see {@link #placeAtomically}. */
    static void writeAtomically(Path directory, String fileName, String text) throws IOException {
        Files.createDirectories(directory);
        Path staging = directory.resolveSibling(directory.getFileName() + "-" + fileName + ".part");
        Files.writeString(staging, text, StandardCharsets.UTF_8);
        Files.move(staging, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    String output() throws IOException {
        return Files.isRegularFile(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    private List<String> outputLines() throws IOException {
        return output().lines().toList();
    }

    private void type(String text) throws IOException {
        try {
            input.write(text.getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            fail("cannot type into the server's console (" + e.getMessage() + "); exited: " + !process.isAlive()
                + "; output:\n" + output());
        }
    }

    /** The echo's own line: the prompt may stand before it, nothing after it. */
    private static int indexOfToken(List<String> lines, String token, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (withoutPrompt(lines.get(i)).equals(token)) {
                return i;
            }
        }
        return -1;
    }

    private static String withoutPrompt(String line) {
        String rest = line;
        while (rest.startsWith("g! ")) {
            rest = rest.substring(3);
        }
        return rest;
    }

    /** SIGTERM first, for a clean stop; a server that does not stop in time is killed. */
    @Override
    public void close() throws InterruptedException {
        try {
            input.close();
        } catch (IOException alreadyClosed) {
            // the process may be gone already
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
