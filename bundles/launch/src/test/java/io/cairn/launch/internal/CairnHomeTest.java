package io.cairn.launch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnHomeTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultMustBeCairnHomeInTheWorkingDirectory() {
        assertEquals(dir.resolve("cairn-home"), CairnHome.resolve(null, dir).root());
        assertEquals(dir.resolve("cairn-home"), CairnHome.resolve("  ", dir).root());
    }

    @Test
    void relativeHomesMustBeResolvedAgainstTheWorkingDirectory() {
        assertEquals(dir.resolve("x/y"), CairnHome.resolve("x/./y", dir).root());
        assertEquals(Path.of("/opt/cairn"), CairnHome.resolve("/opt/cairn", dir).root());
    }

    @Test
    void createMustMakeEverySubdirectoryPrivate() throws IOException {
        CairnHome home = CairnHome.resolve("h", dir).create();
        for (String name : CairnHome.SUBDIRECTORIES) {
            Path sub = home.root().resolve(name);
            assertTrue(Files.isDirectory(sub), name);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)), name);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.root())));
        assertEquals(home.root().resolve("etc"), home.etc());
        assertEquals(home.root().resolve("deploy"), home.deploy());
        assertEquals(home.root().resolve("log"), home.log());
    }

    @Test
    void createMustBeRepeatableAndKeepExistingPermissions() throws IOException {
        CairnHome home = CairnHome.resolve("h", dir).create();
        Files.setPosixFilePermissions(home.data(), PosixFilePermissions.fromString("rwxr-x---"));
        home.create();
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.data())));
    }

    @Test
    void aFileInPlaceOfASubdirectoryMustFail() throws IOException {
        Path root = Files.createDirectories(dir.resolve("h"));
        Files.writeString(root.resolve("log"), "not a directory");
        assertThrows(IOException.class, () -> CairnHome.resolve("h", dir).create());
    }
}
