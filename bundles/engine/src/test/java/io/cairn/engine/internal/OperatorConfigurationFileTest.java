package io.cairn.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigurationFileTest {

    private static final String PID = "io.cairn.engine";

    @TempDir
    Path home;

    @Test
    void noFileMeansNothingToWaitFor() {
        assertNull(OperatorConfigurationFile.find(home.toString(), PID));
        assertNull(OperatorConfigurationFile.find(null, PID));
    }

    /** What FileInstall creates first: its marker and nothing else. SCR may activate with it. */
    @Test
    void aConfigurationHoldingOnlyFileInstallsMarkerMustNotCountAsLoaded() throws Exception {
        OperatorConfigurationFile file = write(PID + ".cfg", "# operator settings\nbufferPoolSizeMebibytes=4096\n");
        String marker = file.path().toUri().toString();

        assertFalse(file.isReflectedBy(Map.of("service.pid", PID)), "no marker: not loaded");
        assertFalse(file.isReflectedBy(Map.of("service.pid", PID, OperatorConfigurationFile.FILEINSTALL_MARKER, marker)),
                "marker without the file's settings: not loaded yet");
        assertTrue(file.isReflectedBy(Map.of("service.pid", PID, OperatorConfigurationFile.FILEINSTALL_MARKER, marker,
                "bufferPoolSizeMebibytes", "4096")));
    }

    @Test
    void aFileWithoutSettingsIsLoadedOnceTheMarkerIsThere() throws Exception {
        OperatorConfigurationFile file = write(PID + ".cfg", "# nothing set\n");
        assertTrue(file.isReflectedBy(Map.of(OperatorConfigurationFile.FILEINSTALL_MARKER, "x")));
        assertFalse(file.isReflectedBy(Map.of()));
    }

    @Test
    void typedConfigFileKeysArePrecedingTheEqualsSign() throws Exception {
        OperatorConfigurationFile file = write(PID + ".config",
                "# typed\nbufferPoolSizeMebibytes=L\"4096\"\n  commitDurability = \"2\"\n\n");
        assertEquals(Set.of("bufferPoolSizeMebibytes", "commitDurability"), file.keys());
    }

    @Test
    void cfgIsPreferredOverConfig() throws Exception {
        write(PID + ".config", "a=\"1\"\n");
        write(PID + ".cfg", "b=2\n");
        OperatorConfigurationFile found = OperatorConfigurationFile.find(home.toString(), PID);
        assertNotNull(found);
        assertEquals(Set.of("b"), found.keys());
    }

    private OperatorConfigurationFile write(String name, String text) throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc").resolve(name), text);
        return OperatorConfigurationFile.find(home.toString(), PID);
    }
}
