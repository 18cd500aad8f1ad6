package io.cairn.engine.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's configuration file for a PID in the server home's {@code etc/}, as FileInstall
 * loads it, and whether a configuration delivered by SCR already reflects it.
 *
 * <p>Why this exists: FileInstall first creates a new configuration holding nothing but its own
 * {@code felix.fileinstall.filename} marker and then updates it with the file's settings. SCR can
 * activate a component with that first, empty version, and deliver the second one a moment later
 * (or coalesce the two). An engine opened with the empty version starts with its defaults and
 * leaves start-only settings for the next restart, so the component waits until the delivered
 * configuration holds every key of the file.
 */
final class OperatorConfigurationFile {

    /** FileInstall's service property naming the file a configuration was loaded from. */
    static final String FILEINSTALL_MARKER = "felix.fileinstall.filename";

    private final Path file;

    private OperatorConfigurationFile(Path file) {
        this.file = file;
    }

    /** The file {@code <home>/etc/<pid>.cfg} (or {@code .config}) if it exists, else null. */
    static OperatorConfigurationFile find(String home, String pid) {
        if (home == null) {
            return null;
        }
        for (String name : new String[] {pid + ".cfg", pid + ".config"}) {
            Path candidate = Path.of(home, "etc", name);
            if (Files.isRegularFile(candidate)) {
                return new OperatorConfigurationFile(candidate);
            }
        }
        return null;
    }

    Path path() {
        return file;
    }

    /**
     * Whether {@code properties} came from this file and hold each key it sets. A file that cannot
     * be read counts as reflected: FileInstall cannot load it either, and waiting would not help.
     */
    boolean isReflectedBy(Map<String, Object> properties) {
        if (properties.get(FILEINSTALL_MARKER) == null) {
            return false;
        }
        Set<String> keys;
        try {
            keys = keys();
        } catch (IOException | IllegalArgumentException unreadable) {
            return true;
        }
        return properties.keySet().containsAll(keys);
    }

    /**
     * The keys the file sets. A {@code .cfg} file is a properties file; a {@code .config} file has
     * one {@code key = typed value} per line, and its keys are what precedes the first {@code =}.
     */
    Set<String> keys() throws IOException {
        Set<String> keys = new TreeSet<>();
        if (file.getFileName().toString().endsWith(".cfg")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            }
            keys.addAll(properties.stringPropertyNames());
            return keys;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            int equals = trimmed.indexOf('=');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || equals <= 0) {
                continue;
            }
            keys.add(trimmed.substring(0, equals).trim());
        }
        return keys;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
