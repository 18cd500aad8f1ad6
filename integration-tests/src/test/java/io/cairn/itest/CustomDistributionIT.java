package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Test;

/**
 * Issue 7: the recipe of {@code docs/distributions.md} makes a distribution with exactly the parts
 * it names. The test does what a reader does, in a copy of the checkout: it runs the page's marked
 * shell blocks as they are written, writes its bndrun and module line where the page says, builds
 * with Maven, and runs the page's command line, then checks what {@code cairn:status} printed.
 *
 * <p>One step differs, by necessity: the page builds with {@code -pl distributions/mine -am} in a
 * full checkout, which builds the Cairn bundles first. The copy holds only what a distribution's
 * build reads (root pom, {@code bnd.bnd}, {@code cnf/}, the server distribution), and takes the
 * bundles this build has just made from {@link NestedMaven}'s repository; the distribution module
 * is built with the same plugins and the same poms.
 */
public class CustomDistributionIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    /** Start, engine open, one status and a clean stop; cairn.exec itself waits at most 2 minutes for the engine. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);
    private static final List<String> LEFT_OUT = List.of("io.cairn.io-direct", "io.cairn.io-zfs",
        "io.cairn.io-faultinject", "io.cairn.flush-adaptive");

    private Path work;

    @Before
    public void createWork() throws IOException {
        work = CairnOptions.newHome("custom-distribution");
    }

    @Test
    public void documentedRecipeMustGiveADistributionWithOnlyTheChosenBackendAndPolicy() throws Exception {
        long started = System.nanoTime();
        Path root = NestedMaven.reactorRoot();
        String page = Files.readString(root.resolve("docs/distributions.md"), StandardCharsets.UTF_8);
        Path checkout = work.resolve("checkout");
        Files.createDirectories(checkout);
        Files.copy(root.resolve("pom.xml"), checkout.resolve("pom.xml"));
        Files.copy(root.resolve("bnd.bnd"), checkout.resolve("bnd.bnd"));
        NestedMaven.copyProject(root.resolve("cnf"), checkout.resolve("cnf"));
        NestedMaven.copyProject(root.resolve("distributions/server"), checkout.resolve("distributions/server"));

        // 1. Copy a distribution.
        String copy = block(page, "recipe:copy");
        int copied = runScript(copy, checkout, work.resolve("copy.out"), SCRIPT_TIMEOUT);
        assertEquals("the copy block must run:\n" + copy + "\noutput:\n" + Processes.tail(work.resolve("copy.out")), 0,
            copied);
        // 2. Choose the bundles: the marker names the file the block is.
        String bndrunMarker = marker(page, "recipe:bndrun ");
        Path bndrun = checkout.resolve(bndrunMarker.substring("recipe:bndrun ".length()).trim());
        Files.writeString(bndrun, block(page, bndrunMarker) + "\n", StandardCharsets.UTF_8);
        // 3. Add the module to the reactor, after the other distributions.
        Path rootPom = checkout.resolve("pom.xml");
        String pom = Files.readString(rootPom, StandardCharsets.UTF_8);
        String lastDistribution = "    <module>distributions/test</module>\n";
        assertTrue("the root pom must list distributions/test for the module to follow it", pom.contains(lastDistribution));
        Files.writeString(rootPom, pom.replace(lastDistribution, lastDistribution + block(page, "recipe:module") + "\n"),
            StandardCharsets.UTF_8);

        // 4. Build.
        NestedMaven.shared().build(checkout, work.resolve("build.log"), "-f", "distributions/mine/pom.xml",
            "-DskipTests", "package");
        String resolved = Files.readString(bndrun, StandardCharsets.UTF_8);
        assertTrue("the resolver must have written -runbundles:\n" + resolved, resolved.contains("-runbundles:"));
        String runbundles = resolved.substring(resolved.indexOf("-runbundles:"));
        for (String chosen : List.of("io.cairn.io-buffered", "io.cairn.flush-fixed", "io.cairn.engine", "io.cairn.kv",
            "io.cairn.shell", "io.cairn.launch")) {
            assertTrue(chosen + " must be in the distribution:\n" + runbundles, runbundles.contains(chosen + ";"));
        }
        for (String leftOut : LEFT_OUT) {
            assertFalse(leftOut + " must not be in the distribution:\n" + runbundles, runbundles.contains(leftOut + ";"));
        }
        assertTrue("the jar must be where the page says",
            Files.isRegularFile(checkout.resolve("distributions/mine/target/cairn-mine.jar")));
        long built = System.nanoTime();

        // 5. Configure and run.
        Path runOutput = work.resolve("run.out");
        int status = runScript(block(page, "recipe:run"), checkout, runOutput, RUN_TIMEOUT);
        String out = Files.readString(runOutput, StandardCharsets.UTF_8);
        assertEquals("exit status of the page's command line; output:\n" + out, 0, status);
        assertTrue("the engine must run:\n" + out, out.contains("  engine: RUNNING"));
        assertTrue("on the buffered backend:\n" + out, out.contains("  data backend: buffered, redo backend: buffered"));
        assertTrue("with the fixed policy:\n" + out, out.lines().anyMatch(l -> l.startsWith("  page cleaner: ")
            && l.endsWith(", policy fixed")));
        assertTrue("exactly one backend:\n" + out, out.contains("  storage backends (1):\n    buffered: "));
        assertTrue("exactly one policy:\n" + out, out.contains("  flush policies (1):\n    fixed: "));
        for (String absent : List.of("direct", "zfs", "faultinject", "adaptive")) {
            assertFalse(absent + " must not be listed:\n" + out,
                out.lines().anyMatch(l -> l.startsWith("    " + absent + ": ")));
        }
        System.out.printf("CustomDistributionIT: nested build %d s, run %d s%n",
            TimeUnit.NANOSECONDS.toSeconds(built - started), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - built));
    }

    /** Runs {@code script} with bash in {@code directory}, with this JVM's Java first on the PATH. */
    private static int runScript(String script, Path directory, Path output, Duration timeout)
        throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(directory.toFile());
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().merge("PATH", javaBin, (path, bin) -> bin + java.io.File.pathSeparator + path);
        return Processes.run(builder, output, timeout);
    }

    /** The full text of the first marker comment starting with {@code prefix}. */
    private static String marker(String page, String prefix) {
        int at = page.indexOf("<!-- " + prefix);
        assertTrue("docs/distributions.md must have a block marked " + prefix, at >= 0);
        return page.substring(at + "<!-- ".length(), page.indexOf("-->", at)).trim();
    }

    /** The fenced block right after the comment {@code <!-- marker -->}, without its fences. */
    private static String block(String page, String marker) {
        String comment = "<!-- " + marker + " -->";
        int at = page.indexOf(comment);
        assertTrue("docs/distributions.md must have a block marked " + marker, at >= 0);
        int open = page.indexOf("```", at + comment.length());
        assertTrue("a fenced block must follow " + comment,
            open >= 0 && page.substring(at + comment.length(), open).isBlank());
        int bodyStart = page.indexOf('\n', open) + 1;
        int close = page.indexOf("\n```", bodyStart - 1);
        assertTrue("the block after " + comment + " must be closed", close >= bodyStart - 1);
        return page.substring(bodyStart, Math.max(bodyStart, close));
    }
}
