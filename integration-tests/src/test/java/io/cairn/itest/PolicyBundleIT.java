package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 7: the third-party flush policy example ({@code examples/policy-bundle}) works as its
 * README promises. It builds on its own against this build's Cairn artifacts (its tests, the
 * conformance kit among them, run in that build), its jar dropped into a running server becomes a
 * policy the engine can be switched to, and {@code new-policy.sh} gives a policy author a project
 * that builds and passes its tests.
 *
 * <p>The project is built in a copy, so the checkout stays as it is; see {@link NestedMaven} for
 * where the nested build finds its artifacts.
 */
public class PolicyBundleIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(60);
    /** FileInstall polls every 2 s; the rest is bundle start and SCR. */
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(30);

    private Path work;
    private ServerConsole server;

    @Before
    public void createWork() throws IOException {
        work = CairnOptions.newHome("policy-bundle");
    }

    @After
    public void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void examplePolicyMustBuildAloneDeployIntoARunningServerAndBecomeTheEnginesPolicy() throws Exception {
        long started = System.nanoTime();
        Path project = work.resolve("policy-bundle");
        NestedMaven.copyProject(NestedMaven.reactorRoot().resolve("examples/policy-bundle"), project);
        NestedMaven maven = NestedMaven.shared();
        maven.build(project, work.resolve("policy-bundle-build.log"), "-Dcairn.version=" + maven.cairnVersion(),
            "package");
        Path jar = onlyJar(project.resolve("target"));
        assertTestsRanAndPassed(project.resolve("target/surefire-reports"),
            "org.example.flush.steady.SteadyFlushPolicyConformanceTest");
        long built = System.nanoTime();

        Path home = work.resolve("home");
        Files.createDirectories(home);
        server = ServerConsole.start(serverJar(), home);
        String status = server.awaitStatus("the engine must run with its default policy",
            s -> s.contains("engine: RUNNING") && s.contains("policy adaptive"), ENGINE_TIMEOUT);
        assertFalse("no policy named steady before the bundle is deployed:\n" + status, status.contains("    steady: "));

        ServerConsole.placeAtomically(jar, home.resolve("deploy"), jar.getFileName().toString());
        status = server.awaitStatus("the deployed bundle must register its policy",
            s -> s.contains("    steady: "), DEPLOY_TIMEOUT);
        assertTrue("the policy comes from the example's bundle:\n" + status,
            status.lines().anyMatch(l -> l.startsWith("    steady: ") && l.contains("[org.example.flush.steady ")));
        assertTrue("with its service property:\n" + status, status.contains("cairn.policy=steady"));
        assertTrue("the deployment alone must not change the engine's policy:\n" + status,
            status.contains("policy adaptive"));

        // cairn:policy writes the engine's configuration and returns once the engine reports the
        // policy in use; the engine switches in place, it does not reopen.
        assertEquals("flush policy: steady (from the next page cleaner round)",
            server.run("cairn:policy steady", COMMAND_TIMEOUT));
        status = server.awaitStatus("the engine must run with the steady policy",
            s -> s.contains("engine: RUNNING") && s.contains(", policy steady"), ENGINE_TIMEOUT);
        assertEquals("the engine opened once: " + Files.readAllLines(home.resolve("log/cairn.log")), 1,
            Files.readAllLines(home.resolve("log/cairn.log")).stream().filter(l -> l.contains("engine running in")).count());

        assertEquals("created table policy_it", server.run("cairn:create policy_it", COMMAND_TIMEOUT));
        assertEquals("ok", server.run("cairn:put policy_it ada Lovelace", COMMAND_TIMEOUT));
        assertEquals("Lovelace", server.run("cairn:get policy_it ada", COMMAND_TIMEOUT));
        status = server.run("cairn:status", COMMAND_TIMEOUT);
        assertTrue("the engine must still be on the steady policy after serving:\n" + status,
            status.contains("engine: RUNNING") && status.contains(", policy steady"));

        int exitStatus = server.shutdown();
        assertEquals("exit status after cairn:shutdown; output:\n" + server.output(), 0, exitStatus);
        assertCleanLog(home.resolve("log/cairn.log"));
        System.out.printf("PolicyBundleIT: nested build %d s, server part %d s%n",
            TimeUnit.NANOSECONDS.toSeconds(built - started), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - built));
    }

    @Test
    public void newPolicyScriptMustGiveAProjectThatBuildsAndPassesItsTests() throws Exception {
        Path target = work.resolve("flush-burst");
        Path scriptOutput = work.resolve("new-policy.out");
        int status = Processes.run(new ProcessBuilder("bash",
            NestedMaven.reactorRoot().resolve("examples/policy-bundle/new-policy.sh").toString(), "burst",
            target.toString()).directory(work.toFile()), scriptOutput, Duration.ofSeconds(60));
        assertEquals("new-policy.sh exit status; output:\n" + Processes.tail(scriptOutput), 0, status);
        try (Stream<Path> files = Files.walk(target)) {
            List<String> leftovers = new ArrayList<>();
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    if (file.toString().toLowerCase().contains("steady")
                        || Files.readString(file, StandardCharsets.UTF_8).toLowerCase().contains("steady")) {
                        leftovers.add(target.relativize(file).toString());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals("the copy must not mention the example's name anywhere", List.of(), leftovers);
        }

        NestedMaven maven = NestedMaven.shared();
        maven.build(target, work.resolve("flush-burst-build.log"), "-Dcairn.version=" + maven.cairnVersion(),
            "package");
        Path jar = onlyJar(target.resolve("target"));
        assertTestsRanAndPassed(target.resolve("target/surefire-reports"),
            "org.example.flush.burst.BurstFlushPolicyConformanceTest");
        try (JarFile bundle = new JarFile(jar.toFile())) {
            assertEquals("org.example.flush.burst", bundle.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
            String component = new String(bundle.getInputStream(
                bundle.getEntry("OSGI-INF/org.example.flush.burst.BurstFlushPolicyComponent.xml")).readAllBytes(),
                StandardCharsets.UTF_8);
            assertTrue("the service property must carry the new name:\n" + component,
                component.contains("name=\"cairn.policy\" type=\"String\" value=\"burst\""));
            assertTrue("the configuration PID must follow the package:\n" + component,
                component.contains("configuration-pid=\"org.example.flush.burst\""));
        }
    }

    private static Path serverJar() {
        return Paths.get(System.getProperty("cairn.server.jar", "../distributions/server/target/cairn-server.jar"));
    }

    private static Path onlyJar(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
            assertEquals("one bundle expected in " + directory + ": " + jars, 1, jars.size());
            return jars.get(0);
        }
    }

    /** The nested build ran its tests: reports exist, {@code suite}'s among them, and none failed. */
    private static void assertTestsRanAndPassed(Path reports, String suite) throws IOException {
        assertTrue("the nested build must have run its tests: " + reports, Files.isDirectory(reports));
        int tests = 0;
        try (Stream<Path> files = Files.list(reports)) {
            for (Path report : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("TEST-"))::iterator) {
                String xml = Files.readString(report, StandardCharsets.UTF_8);
                String header = xml.substring(xml.indexOf("<testsuite "), xml.indexOf('>', xml.indexOf("<testsuite ")));
                assertTrue("no failures in " + report.getFileName() + ": " + header,
                    header.contains(" failures=\"0\"") && header.contains(" errors=\"0\""));
                tests += Integer.parseInt(header.replaceAll(".* tests=\"(\\d+)\".*", "$1"));
            }
        }
        assertTrue(suite + " must have run: " + reports, Files.isRegularFile(reports.resolve("TEST-" + suite + ".xml")));
        assertTrue("tests must have run: " + tests, tests > 0);
    }

    private static void assertCleanLog(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue("the log must end with a clean stop:\n" + String.join("\n", lines),
            lines.stream().anyMatch(l -> l.contains("Cairn server stopped")));
        for (String line : lines) {
            String[] fields = line.split(" ", 3);
            assertFalse("nothing may fail while a policy is deployed and selected:\n" + String.join("\n", lines),
                fields.length >= 2 && fields[1].equals("ERROR"));
        }
    }
}
