package io.cairn.launch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaunchPropertiesTest {

    private static final String KEY = "cairn.test.launch.property";

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    @Test
    void goshMustBeHeadlessOnlyWithoutConsoleAndWithoutConfiguration() {
        assertEquals(Optional.of("--nointeractive"), LaunchProperties.goshArgs(false, null));
        assertEquals(Optional.empty(), LaunchProperties.goshArgs(true, null));
        assertEquals(Optional.empty(), LaunchProperties.goshArgs(false, "--noshutdown"));
    }

    @Test
    void fileInstallMustWatchEtcThenDeploy() {
        CairnHome home = CairnHome.resolve("/srv/cairn", Path.of("/"));
        assertEquals("/srv/cairn/etc,/srv/cairn/deploy", LaunchProperties.fileInstallDirectories(home));
    }

    @Test
    void setIfAbsentMustNotOverrideAVisibleValue() {
        LaunchProperties props = new LaunchProperties(key -> key.equals(KEY) ? "from framework" : null);
        assertFalse(props.setIfAbsent(KEY, "ours"));
        assertNull(System.getProperty(KEY));
    }

    @Test
    void restoreMustUndoOnlyWhatNobodyChangedSince() {
        LaunchProperties props = new LaunchProperties(System::getProperty);
        assertTrue(props.setIfAbsent(KEY, "ours"));
        assertEquals("ours", System.getProperty(KEY));
        props.restore();
        assertNull(System.getProperty(KEY));

        System.setProperty(KEY, "before");
        props.set(KEY, "ours");
        props.restore();
        assertEquals("before", System.getProperty(KEY));

        props.set(KEY, "ours");
        System.setProperty(KEY, "someone else");
        props.restore();
        assertEquals("someone else", System.getProperty(KEY));
    }
}
