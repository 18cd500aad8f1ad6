package io.cairn.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * The framework every in-framework test runs in: the Cairn bundles of the server distribution
 * (without Gogo's console and FileInstall, which only make sense in a process of their own) on
 * Felix with SCR, ConfigAdmin, Metatype and Felix Log.
 *
 * <p>Bundles come from {@code target/bundles} by file URL: the dependency plugin copies the
 * reactor's fresh jars there before failsafe runs.
 */
final class CairnOptions {

    /**
     * Cairn bundles besides io.cairn.launch, by file name in target/bundles (= artifactId; the
     * symbolic name is {@code io.cairn.<artifactId>}). A new bundle of the server distribution is
     * added here and as a test dependency in the pom.
     */
    static final List<String> CAIRN_BUNDLES = List.of("api", "io-buffered", "io-direct", "io-faultinject", "io-zfs", "bufferpool", "bufferpool-clock", "redo", "redo-circular", "flush-adaptive", "flush-fixed", "engine", "kv", "shell");

    /** Third-party bundles the Cairn bundles need (besides the log service and SCR). */
    static final List<String> RUNTIME_BUNDLES = List.of(
        "slf4j-api",
        "org.osgi.util.function",
        "org.osgi.util.promise",
        "org.osgi.service.component",
        "org.apache.felix.scr",
        "org.apache.felix.configadmin",
        "org.apache.felix.metatype",
        "org.apache.felix.gogo.runtime",
        "jna");

    private CairnOptions() {
    }

    /** Directory the dependency plugin copied the bundles to. */
    static Path bundleDirectory() {
        return Paths.get(System.getProperty("itest.bundles", "target/bundles")).toAbsolutePath();
    }

    /** A fresh Cairn home under target/itest-work. */
    static Path newHome(String testName) throws java.io.IOException {
        Path work = Paths.get(System.getProperty("itest.work", "target/itest-work")).toAbsolutePath();
        Files.createDirectories(work);
        return Files.createTempDirectory(work, testName + "-");
    }

    /** Symbolic names of every Cairn bundle installed by {@link #cairnFramework}, sorted. */
    static List<String> cairnSymbolicNames() {
        List<String> names = new ArrayList<>();
        names.add("io.cairn.launch");
        CAIRN_BUNDLES.forEach(name -> names.add("io.cairn." + name));
        Collections.sort(names);
        return names;
    }

    static Option cairnFramework(Path home) {
        List<Option> bundles = new ArrayList<>();
        RUNTIME_BUNDLES.forEach(name -> bundles.add(fileBundle(name)));
        bundles.add(fileBundle("slf4j-simple").noStart()); // a fragment of slf4j-api
        CAIRN_BUNDLES.forEach(name -> bundles.add(fileBundle(name)));
        return composite(
            cleanCaches(true),
            // Pax Exam's own bundles log through slf4j (pax.exam.logging=none, see exam.properties).
            systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
            systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
            systemProperty("cairn.home").value(home.toString()),
            systemPackages("sun.misc"),
            // The log service and the launch bundle first, as in the distributions.
            fileBundle("org.apache.felix.log").startLevel(1),
            fileBundle("launch").startLevel(1),
            composite(bundles.toArray(new Option[0])),
            junitBundles());
    }

    private static org.ops4j.pax.exam.options.UrlProvisionOption fileBundle(String name) {
        File jar = bundleDirectory().resolve(name + ".jar").toFile();
        if (!jar.isFile()) {
            throw new IllegalStateException("Missing " + jar + ": run the build through Maven (mvn verify), "
                + "which copies the bundles to " + bundleDirectory());
        }
        return bundle(jar.toURI().toString());
    }
}
