package io.cairn.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of a library on the class path, from the pom.properties its jar carries. */
final class MavenVersions {

    private MavenVersions() {
    }

    /** The version, or "unknown" when the jar carries no pom.properties (the shade plugin keeps them). */
    static String of(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = MavenVersions.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
