package io.cairn.itest;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs Maven on a project outside the reactor, as a user of Cairn would: the third-party policy
 * example, a custom distribution. The nested build must see this build's fresh Cairn artifacts,
 * yet {@code mvn verify} installs nothing into the local repository, and whatever an earlier
 * {@code install} left there may be stale.
 *
 * <p>So the nested build gets a local repository of its own, holding only the reactor's root pom
 * and the jar and pom of every module under {@code bundles/} that this build packaged, copied from
 * their {@code target/} directories. Everything else (plug-ins, OSGi and JUnit artifacts) comes from the outer build's
 * local repository, declared as the nested build's {@code central} repository by a {@code file:}
 * URL: nothing is fetched from the network, the nested build runs with {@code -o} (offline mode
 * allows the {@code file} protocol through {@code aether.offline.protocols}), and what it can use is
 * exactly what the outer build had resolved. Snapshots are disabled for that repository, so a stale
 * {@code io.cairn} SNAPSHOT in the outer repository can never stand in for a fresh one.
 *
 * <p>The repository is made once per test JVM, fresh, under {@code target/itest-work}.
 */
final class NestedMaven {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern PARENT = Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    private static NestedMaven shared;

    private final Path reactorRoot;
    private final String cairnVersion;
    private final Path work;
    private final Path settings;
    private final Path globalSettings;

    private NestedMaven(Path reactorRoot, String cairnVersion, Path work) {
        this.reactorRoot = reactorRoot;
        this.cairnVersion = cairnVersion;
        this.work = work;
        this.settings = work.resolve("settings.xml");
        this.globalSettings = work.resolve("global-settings.xml");
    }

    /** The nested Maven of this test JVM, its repository prepared on first use. */
    static synchronized NestedMaven shared() throws IOException {
        if (shared == null) {
            Path work = Paths.get(System.getProperty("itest.work", "target/itest-work")).toAbsolutePath()
                .resolve("nested-maven");
            NestedMaven maven = new NestedMaven(reactorRoot(), System.getProperty("cairn.version", "1.0.0-SNAPSHOT"),
                work);
            maven.prepare();
            shared = maven;
        }
        return shared;
    }

    /** The root of the Cairn checkout this build runs in. */
    static Path reactorRoot() {
        return Paths.get(System.getProperty("cairn.reactor.root", "..")).toAbsolutePath().normalize();
    }

    /** The version of the reactor's artifacts, to pass to projects that depend on them. */
    String cairnVersion() {
        return cairnVersion;
    }

    private void prepare() throws IOException {
        deleteTree(work);
        Path repository = work.resolve("repository");
        Files.createDirectories(repository);
        install(repository, "cairn", reactorRoot.resolve("pom.xml"), "pom");
        try (Stream<Path> modules = Files.list(reactorRoot.resolve("bundles"))) {
            for (Path module : (Iterable<Path>) modules.sorted()::iterator) {
                Path pom = module.resolve("pom.xml");
                if (!Files.isRegularFile(pom)) {
                    continue;
                }
                String artifactId = artifactId(pom);
                Path jar = module.resolve("target").resolve(artifactId + "-" + cairnVersion + ".jar");
                // Maven builds every bundle this module depends on first (the pom lists them all); one
                // it does not depend on (embedded) may be unbuilt in a -pl run, and no nested build needs it.
                if (!Files.isRegularFile(jar)) {
                    continue;
                }
                install(repository, artifactId, jar, "jar");
                install(repository, artifactId, pom, "pom");
            }
        }
        Path outer = Paths.get(System.getProperty("cairn.outer.repository",
            Paths.get(System.getProperty("user.home"), ".m2", "repository").toString())).toAbsolutePath();
        assertTrue("the outer build's local repository must exist: " + outer, Files.isDirectory(outer));
        Files.writeString(settings, settingsXml(repository, outer), StandardCharsets.UTF_8);
        // An empty global settings file, so that a mirror configured for the machine cannot redirect central.
        Files.writeString(globalSettings, "<settings/>\n", StandardCharsets.UTF_8);
    }

    private void install(Path repository, String artifactId, Path file, String extension) throws IOException {
        Path directory = repository.resolve("io/cairn").resolve(artifactId).resolve(cairnVersion);
        Files.createDirectories(directory);
        Files.copy(file, directory.resolve(artifactId + "-" + cairnVersion + "." + extension),
            StandardCopyOption.REPLACE_EXISTING);
    }

    private static String artifactId(Path pom) throws IOException {
        String withoutParent = PARENT.matcher(Files.readString(pom, StandardCharsets.UTF_8)).replaceFirst("");
        Matcher m = ARTIFACT_ID.matcher(withoutParent);
        assertTrue("no artifactId in " + pom, m.find());
        return m.group(1).trim();
    }

    private static String settingsXml(Path repository, Path outer) {
        String url = outer.toUri().toString();
        String policies = "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
            + "<snapshots><enabled>false</enabled></snapshots>";
        return "<settings>\n"
            + "  <localRepository>" + repository + "</localRepository>\n"
            + "  <offline>true</offline>\n"
            + "  <profiles>\n"
            + "    <profile>\n"
            + "      <id>outer-build</id>\n"
            + "      <repositories><repository><id>central</id><url>" + url + "</url>" + policies
            + "</repository></repositories>\n"
            + "      <pluginRepositories><pluginRepository><id>central</id><url>" + url + "</url>" + policies
            + "</pluginRepository></pluginRepositories>\n"
            + "    </profile>\n"
            + "  </profiles>\n"
            + "  <activeProfiles><activeProfile>outer-build</activeProfile></activeProfiles>\n"
            + "</settings>\n";
    }

    /**
     * Runs {@code mvn -B -o -q ARGS} in {@code project}, its output in {@code log}; fails with the
     * end of the log unless it exits with status 0 within {@link #BUILD_TIMEOUT}.
     */
    void build(Path project, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mavenExecutable(), "-B", "-o", "-q",
            "-s", settings.toString(), "-gs", globalSettings.toString(), "-Daether.offline.protocols=file"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
        // The nested build is a plain Maven run: none of the outer run's options may leak into it.
        builder.environment().remove("MAVEN_OPTS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int status = Processes.run(builder, log, BUILD_TIMEOUT);
        if (status != 0) {
            String tail = Processes.tail(log);
            // The one way this setup fails where a networked build would not: the outer build never
            // fetched something, typically surefire's JUnit 5 provider when its unit tests were skipped.
            String hint = tail.contains("in central (file:") || tail.contains("was not found in file:")
                ? "\n(an artifact is missing from the outer build's local repository: let the outer build run"
                    + " its unit tests once, so that Maven fetches what a JUnit 5 test run needs)"
                : "";
            fail("mvn " + String.join(" ", args) + " in " + project + " exited with status " + status
                + "; end of its log (" + log + "):\n" + tail + hint);
        }
    }

    /** Maven of the outer build (failsafe passes maven.home), else the one on the PATH. */
    private static String mavenExecutable() {
        String home = System.getProperty("maven.home");
        if (home != null && !home.isBlank()) {
            Path mvn = Paths.get(home, "bin", "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        return "mvn";
    }

    /**
     * Copies a project directory without build output ({@code target/}), so that the copy builds
     * from its sources alone and the original stays as it is.
     */
    static void copyProject(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getFileName().toString().equals("target")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
