package io.cairn.launch.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnLoggingTest {

    @TempDir
    Path dir;

    @AfterEach
    void uninstall() {
        CairnLogging.uninstall();
    }

    @Test
    void installMustWriteInfoAndAboveToTheFileInOneLinePerRecord() throws IOException {
        Path file = CairnLogging.install(dir.resolve("log"));
        assertEquals(dir.resolve("log").resolve("cairn.log"), file);

        System.Logger log = System.getLogger("io.cairn.test.one");
        log.log(System.Logger.Level.DEBUG, "not written");
        log.log(System.Logger.Level.INFO, "hello {0}", "world");
        log.log(System.Logger.Level.WARNING, "two\nlines");

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z INFO io\\.cairn\\.test\\.one \\[[^]]+] hello world"),
            lines.get(0));
        assertTrue(lines.get(1).endsWith(" WARN io.cairn.test.one [" + Thread.currentThread().getName() + "] two\\nlines"),
            lines.get(1));
    }

    @Test
    void exceptionsMustFollowTheirRecord() throws IOException {
        Path file = CairnLogging.install(dir);
        System.getLogger("io.cairn.test.two").log(System.Logger.Level.ERROR, "failed", new IllegalStateException("boom"));
        String text = Files.readString(file);
        assertTrue(text.contains(" ERROR io.cairn.test.two ["), text);
        assertTrue(text.contains("java.lang.IllegalStateException: boom"), text);
        assertTrue(text.contains("\tat io.cairn.launch.logging.CairnLoggingTest"), text);
    }

    @Test
    void installMustBeIdempotentAndUninstallMustRestoreTheLogger() throws IOException {
        Logger cairn = Logger.getLogger("io.cairn");
        int handlersBefore = cairn.getHandlers().length;
        Level levelBefore = cairn.getLevel();

        Path first = CairnLogging.install(dir);
        Path second = CairnLogging.install(dir);
        assertEquals(first, second);
        assertEquals(handlersBefore + 2, cairn.getHandlers().length);
        assertFalse(cairn.getUseParentHandlers());
        assertEquals(first, CairnLogging.logFile().orElseThrow());

        assertTrue(CairnLogging.uninstall());
        assertFalse(CairnLogging.uninstall());
        assertEquals(handlersBefore, cairn.getHandlers().length);
        assertEquals(levelBefore, cairn.getLevel());
        assertTrue(cairn.getUseParentHandlers());
        assertTrue(CairnLogging.logFile().isEmpty());
        assertFalse(Files.exists(dir.resolve("cairn.log.lck")), "the file handler's lock must be released");
    }

    @Test
    void installingForAnotherDirectoryMustMoveTheSink() throws IOException {
        Path first = CairnLogging.install(dir.resolve("a"));
        Path second = CairnLogging.install(dir.resolve("b"));
        System.getLogger("io.cairn.test.three").log(System.Logger.Level.INFO, "after the move");
        assertFalse(Files.readString(first).contains("after the move"));
        assertTrue(Files.readString(second).contains("after the move"));
        assertEquals(2, Logger.getLogger("io.cairn").getHandlers().length);
    }

    @Test
    void aLogManagerResetMustNotSilenceTheFile() throws IOException {
        Path file = CairnLogging.install(dir);
        // What the JVM's logging shutdown hook does while other hooks still log.
        LogManager.getLogManager().reset();
        System.getLogger("io.cairn.test.four").log(System.Logger.Level.INFO, "after reset");
        assertTrue(Files.readString(file).contains("after reset"));
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void logAsMustNameTheOriginalThread() throws IOException {
        Path file = CairnLogging.install(dir);
        CairnLogging.logAs("io.cairn.osgi.org.apache.felix.scr", Level.WARNING, "unsatisfied {0}", null,
            "SCR Component Actor");
        String text = Files.readString(file);
        assertTrue(text.contains(" WARN io.cairn.osgi.org.apache.felix.scr [SCR Component Actor] unsatisfied {0}"), text);
    }

    @Test
    void levelNamesMustBeThoseOfSystemLogger() {
        assertEquals("ERROR", CairnLogFormatter.levelName(Level.SEVERE));
        assertEquals("WARN", CairnLogFormatter.levelName(Level.WARNING));
        assertEquals("INFO", CairnLogFormatter.levelName(Level.INFO));
        assertEquals("DEBUG", CairnLogFormatter.levelName(Level.FINE));
        assertEquals("TRACE", CairnLogFormatter.levelName(Level.FINER));
    }
}
