package io.cairn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReconfigurableStorageBackendTest {

    private static final class Component extends ReconfigurableStorageBackend {
        void apply(String flushMethod) {
            reconfigure("direct", "io.cairn.io.direct", () -> {
                if (!flushMethod.equals("O_DIRECT")) {
                    throw new InvalidSettingException("flushMethod", flushMethod, "O_DIRECT");
                }
                StorageBackend working = new UnusableStorageBackend("direct", "stands in for a working backend");
                return new FilterStorageBackend() { // not an UnusableStorageBackend: counts as working
                    @Override
                    protected StorageBackend delegate() {
                        return working;
                    }
                };
            });
        }
    }

    @Test
    void badFirstConfigurationMustRefuseIoWithTheOneLineReason() {
        Component component = new Component();
        component.apply("O_DIRCT");
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> component.open(Path.of("/tmp/x"), OpenOptions.of(FileRole.DATA, CreateMode.OPEN_OR_CREATE, 0)));
        assertEquals("backend 'direct' is unusable: invalid setting flushMethod=O_DIRCT: allowed: O_DIRECT", e.getMessage());
        assertTrue(component.describe().endsWith("[rejected configuration: invalid setting flushMethod=O_DIRCT: allowed: O_DIRECT]"),
                component.describe());
        assertEquals("direct", component.name());
    }

    @Test
    void badUpdateMustKeepTheWorkingSettingsAndSaySoUntilFixed() {
        Component component = new Component();
        component.apply("O_DIRECT");
        component.apply("bogus");
        assertEquals("direct: unusable: stands in for a working backend [rejected configuration: invalid setting"
                + " flushMethod=bogus: allowed: O_DIRECT]", component.describe());
        component.apply("O_DIRECT");
        assertNull(component.rejectedConfiguration());
    }
}
