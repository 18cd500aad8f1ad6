package io.cairn.shell;

import java.util.Map;
import java.util.TreeMap;

/**
 * A registered backend or policy as the status report shows it.
 *
 * @param name the service's {@code cairn.backend} or {@code cairn.policy} name
 * @param description the service's own one-line description
 * @param properties the service's {@code cairn.*} properties, sorted by key
 * @param bundle the providing bundle as {@code symbolic-name version}
 * @param detected for a backend, what it detected for the home's data directory (file system,
 *     alignment, chosen I/O path): capabilities and facts as {@code key=value}, or the probe's
 *     one-line error; empty for policies
 */
public record ServiceInfo(String name, String description, Map<String, String> properties, String bundle,
        Map<String, String> detected) {

    public ServiceInfo {
        properties = new TreeMap<>(properties);
        detected = new java.util.LinkedHashMap<>(detected);
    }

    /** A service without detected facts. */
    public ServiceInfo(String name, String description, Map<String, String> properties, String bundle) {
        this(name, description, properties, bundle, Map.of());
    }
}
