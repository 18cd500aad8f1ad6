package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The server distribution as an operator runs it: {@code java -jar cairn-server.jar} in a process
 * of its own, with no terminal and standard input closed.
 */
public class ServerProcessIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

    private Path home;
    private Path output;
    private Process process;

    @Before
    public void createHome() throws IOException {
        home = CairnOptions.newHome("server-process");
        output = home.resolveSibling(home.getFileName() + ".out");
    }

    @After
    public void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    public void execMustRunTheCommandPrintItsOutputAndExitZero() throws Exception {
        process = start("-Dcairn.exec=cairn:status");
        boolean exited = process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String out = read(output);
        assertTrue("the server must exit by itself after the command; output so far:\n" + out, exited);
        assertEquals("exit status; output:\n" + out, 0, process.exitValue());
        assertTrue("cairn:status output expected:\n" + out, out.lines().anyMatch(l -> l.startsWith("Cairn status")));
        assertTrue("the buffered backend must be listed:\n" + out, out.contains("buffered"));
        // cairn.exec waits until the engine finished opening, so the status is the running engine's.
        assertTrue("the engine is running:\n" + out, out.contains("engine: RUNNING"));
        assertTrue("the engine's home is the server's:\n" + out, out.contains("home: " + home.toAbsolutePath()));
    }

    /**
     * Frames live off the heap and outside the JVM's direct memory budget (which defaults to the
     * heap size), and their metadata costs under 64 heap bytes each: a 4 GiB pool runs in a 256 MiB
     * heap. The pool is configured through FileInstall, as an operator would.
     */
    @Test
    public void fourGibibytePoolMustRunWithA256MibHeap() throws Exception {
        Path operatorFile = home.resolve("etc").resolve("io.cairn.engine.cfg");
        Files.createDirectories(operatorFile.getParent());
        Files.writeString(operatorFile, "bufferPoolSizeMebibytes=4096\n");
        process = start("-Xmx256m", "-Dcairn.exec=cairn:status");
        boolean exited = process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // The server's log says which configuration the engine opened with and when it arrived.
        String out = read(output) + "\nlog/cairn.log:\n" + read(home.resolve("log").resolve("cairn.log"));
        assertTrue("the server must exit by itself after the command; output so far:\n" + out, exited);
        assertEquals("exit status; output:\n" + out, 0, process.exitValue());
        assertTrue("the engine is running:\n" + out, out.contains("engine: RUNNING"));
        assertTrue("4 GiB of 16 KiB frames:\n" + out, out.contains("buffer pool: lru, 262144 frames"));
        // FileInstall's write-back once emptied this file at start (LaunchProperties.FILEINSTALL_CONFIG_SAVE).
        assertEquals("the operator's file must be left as written", "bufferPoolSizeMebibytes=4096\n",
            Files.readString(operatorFile));
    }

    @Test
    public void sigtermMustStopTheServerCleanlyWithStatusZero() throws Exception {
        process = start();
        Path log = home.resolve("log").resolve("cairn.log");
        awaitLine(log, line -> line.contains("Cairn server started"), START_TIMEOUT);
        assertFalse("FileInstall must not create ./load next to the server", Files.exists(home.resolve("load")));

        process.destroy(); // SIGTERM on Linux
        boolean exited = process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String out = read(output);
        assertTrue("the server must stop after SIGTERM; output:\n" + out, exited);
        assertEquals("exit status after SIGTERM; output:\n" + out, 0, process.exitValue());

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int signal = indexOf(lines, l -> l.contains("Received SIGTERM"));
        int stopped = indexOf(lines, l -> l.contains("Cairn server stopped"));
        assertTrue("the log must record the signal:\n" + String.join("\n", lines), signal >= 0);
        // The launch bundle stops last (start level 1): this line comes after every component deactivated.
        assertTrue("the log must end with a clean stop:\n" + String.join("\n", lines), stopped > signal);
        for (String line : lines) {
            String[] fields = line.split(" ", 3);
            if (fields.length >= 2 && (fields[1].equals("WARN") || fields[1].equals("ERROR"))) {
                fail("nothing may warn during a clean start and stop:\n" + String.join("\n", lines));
            }
        }
    }

    /**
     * Issue 3: every backend bundle starts in a real Felix and shows what it detected. The
     * fault-injecting backend ships only in the test distribution, which is the server plus it.
     */
    @Test
    public void everyBackendMustStartAndReportWhatItDetected() throws Exception {
        process = startJar(System.getProperty("cairn.test.jar", "../distributions/test/target/cairn-test.jar"),
            "-Dcairn.exec=cairn:status");
        boolean exited = process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String out = read(output);
        assertTrue("the test distribution must exit after the command; output:\n" + out, exited);
        assertEquals("exit status; output:\n" + out, 0, process.exitValue());
        assertTrue("four backends expected:\n" + out, out.contains("storage backends (4):"));
        for (String backend : List.of("buffered", "direct", "zfs", "faultinject")) {
            assertTrue(backend + " must be listed with what it detected:\n" + out,
                out.lines().anyMatch(l -> l.startsWith("    " + backend + ": ")));
        }
        assertEquals("every backend reports detected facts:\n" + out, 4,
            out.lines().filter(l -> l.trim().startsWith("detected: fileSystem=")).count());
    }

    /**
     * An operator edits {@code etc/io.cairn.engine.cfg} while the server runs: FileInstall applies
     * it, and the engine moves its data and redo files to the O_DIRECT backend without reopening,
     * the table's contents intact, then back when the lines are removed again.
     */
    @Test
    public void editingTheEngineCfgMustMoveTheFilesToAnotherBackendWhileTheServerRuns() throws Exception {
        Path etc = home.resolve("etc");
        ServerConsole.writeAtomically(etc, "io.cairn.engine.cfg", "bufferPoolSizeMebibytes=32\n");
        Path jar = Paths.get(System.getProperty("cairn.server.jar", "../distributions/server/target/cairn-server.jar"));
        try (ServerConsole server = ServerConsole.start(jar, home)) {
            server.awaitStatus("the engine must run on the buffered backend", s -> s.contains("engine: RUNNING")
                && s.contains("data backend: buffered, redo backend: buffered"), START_TIMEOUT);
            assertEquals("created table cfg_edit", server.run("cairn:create cfg_edit", START_TIMEOUT));
            assertEquals("ok", server.run("cairn:put cfg_edit ada Lovelace", START_TIMEOUT));

            ServerConsole.writeAtomically(etc, "io.cairn.engine.cfg", "bufferPoolSizeMebibytes=32\n"
                + "dataBackend.target=(cairn.backend=direct)\n" + "redoBackend.target=(cairn.backend=direct)\n");
            String status = server.awaitStatus("the edited file must move the files to the direct backend",
                s -> s.contains("data backend: direct, redo backend: direct"), START_TIMEOUT);
            assertFalse("the edit must be applied without a problem:\n" + status, status.contains("problem"));
            assertEquals("Lovelace", server.run("cairn:get cfg_edit ada", START_TIMEOUT));
            assertEquals("ok", server.run("cairn:put cfg_edit grace Hopper", START_TIMEOUT));

            ServerConsole.writeAtomically(etc, "io.cairn.engine.cfg", "bufferPoolSizeMebibytes=32\n");
            server.awaitStatus("removing the lines must move the files back to the default backend",
                s -> s.contains("data backend: buffered, redo backend: buffered"), START_TIMEOUT);
            assertEquals("Hopper", server.run("cairn:get cfg_edit grace", START_TIMEOUT));
            List<String> log = Files.readAllLines(home.resolve("log/cairn.log"), StandardCharsets.UTF_8);
            assertEquals("the engine must open once, the edits move files, they do not reopen it: " + log, 1,
                log.stream().filter(l -> l.contains("engine running in")).count());
            assertEquals("exit status after cairn:shutdown; output:\n" + server.output(), 0, server.shutdown());
            assertEquals("the operator's file is left as written", "bufferPoolSizeMebibytes=32\n",
                Files.readString(etc.resolve("io.cairn.engine.cfg"), StandardCharsets.UTF_8));
        }
    }

    /** Starts the server jar with a fresh home, no terminal and standard input closed. */
    private Process start(String... systemProperties) throws IOException {
        return startJar(System.getProperty("cairn.server.jar", "../distributions/server/target/cairn-server.jar"),
            systemProperties);
    }

    private Process startJar(String jarPath, String... systemProperties) throws IOException {
        Path jar = Paths.get(jarPath).toAbsolutePath().normalize();
        assertTrue("the server distribution must be built first: " + jar, Files.isRegularFile(jar));
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dcairn.home=" + home);
        command.addAll(List.of(systemProperties));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return builder.start();
    }

    /** Waits until a line of {@code file} matches, checking every 100 ms; fails on timeout or exit. */
    private void awaitLine(Path file, Predicate<String> match, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file) && Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(match)) {
                return;
            }
            if (!process.isAlive()) {
                fail("the server exited with status " + process.exitValue() + " before it started; output:\n"
                    + read(output));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        fail("no matching line in " + file + " within " + timeout.toSeconds() + " s; output:\n" + read(output));
    }

    private static int indexOf(List<String> lines, Predicate<String> match) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (match.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
