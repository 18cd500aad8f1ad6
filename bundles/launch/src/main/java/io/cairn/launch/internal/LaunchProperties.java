package io.cairn.launch.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The system properties the launch bundle sets for bundles that start after it, and the rules
 * that decide them. It remembers what it set so that {@link #restore()} can undo it.
 *
 * <p>Bundles read these with {@code BundleContext.getProperty}, which answers a framework property
 * first and a system property otherwise. So a value given as a framework property (or as
 * {@code -D} on the command line) always wins: {@link #setIfAbsent} does not touch it.
 */
public final class LaunchProperties {

    /** Gogo shell's arguments, read once when the shell starts. */
    public static final String GOSH_ARGS = "gosh.args";

    /** Gogo shell argument for a shell that reads no input and never stops the framework. */
    public static final String GOSH_HEADLESS = "--nointeractive";

    /** FileInstall's watched directories (comma separated); its default is ./load. */
    public static final String FILEINSTALL_DIR = "felix.fileinstall.dir";

    /** FileInstall scans once at start instead of waiting one poll interval. */
    public static final String FILEINSTALL_NO_INITIAL_DELAY = "felix.fileinstall.noInitialDelay";

    /**
     * Whether FileInstall writes configuration changes back into the {@code .cfg} files. Cairn
     * turns it off: the write-back truncates the file and rewrites it in place, and a scan that
     * reads it in between loads an empty configuration and writes that back, which left an
     * operator's {@code etc/io.cairn.engine.cfg} empty about once in 50 starts (FileInstall 3.7.4).
     * Changes made with commands therefore last until the server stops; the files are the
     * operator's alone.
     */
    public static final String FILEINSTALL_CONFIG_SAVE = "felix.fileinstall.enableConfigSave";

    private final UnaryOperator<String> lookup;
    private final Map<String, String> previous = new LinkedHashMap<>();
    private final Map<String, String> applied = new LinkedHashMap<>();

    /** @param lookup how bundles will see a property (framework property, else system property) */
    public LaunchProperties(UnaryOperator<String> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * The Gogo arguments to set, if any: headless when there is no console (stdin or stdout is
     * not a terminal) and nobody configured {@code gosh.args}. An interactive Gogo without input
     * stops the framework about a second after it starts.
     */
    public static Optional<String> goshArgs(boolean hasConsole, String configured) {
        if (configured != null || hasConsole) {
            return Optional.empty();
        }
        return Optional.of(GOSH_HEADLESS);
    }

    /** FileInstall's directories for a home: configuration first, then bundles. */
    public static String fileInstallDirectories(CairnHome home) {
        return home.etc() + "," + home.deploy();
    }

    /** Sets a system property unless the property is already visible to bundles. */
    public synchronized boolean setIfAbsent(String key, String value) {
        if (lookup.apply(key) != null) {
            return false;
        }
        set(key, value);
        return true;
    }

    /** Sets a system property whatever its value was. */
    public synchronized void set(String key, String value) {
        String old = System.setProperty(key, value);
        previous.putIfAbsent(key, old);
        applied.put(key, value);
    }

    /** Restores every property changed here that nobody has changed since. */
    public synchronized void restore() {
        previous.forEach((key, old) -> {
            if (Objects.equals(System.getProperty(key), applied.get(key))) {
                if (old == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, old);
                }
            }
        });
        previous.clear();
        applied.clear();
    }
}
