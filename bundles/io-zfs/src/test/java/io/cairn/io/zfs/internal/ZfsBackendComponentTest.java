package io.cairn.io.zfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageUnavailableException;
import io.cairn.io.zfs.DirectIoMode;
import io.cairn.io.zfs.ZfsSettings;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZfsBackendComponentTest {

    /** A configuration as DS would pass it: the annotation's defaults, overridden by {@code values}. */
    private static ZfsBackendComponent.Config config(Map<String, Object> values) {
        return (ZfsBackendComponent.Config) Proxy.newProxyInstance(ZfsBackendComponent.Config.class.getClassLoader(),
                new Class<?>[] {ZfsBackendComponent.Config.class},
                (proxy, method, args) -> values.containsKey(method.getName())
                        ? values.get(method.getName()) : method.getDefaultValue());
    }

    @Test
    void defaultsMustMatchTheSettingsDefaults() {
        assertEquals(ZfsSettings.defaults(), ZfsBackendComponent.settings(config(Map.of())));
    }

    @Test
    void settingsMustBeTakenFromTheConfiguration() {
        ZfsSettings settings = ZfsBackendComponent.settings(config(Map.of("directIo", "OFF", "pageSizeBytes", 8192,
                "cliTimeoutMillis", 250L, "zfsCommand", "/usr/sbin/zfs", "propertyCacheMillis", 0L)));
        assertEquals(new ZfsSettings(DirectIoMode.OFF, 8192, 250, "/usr/sbin/zfs", 0), settings);
    }

    @Test
    void aBadFirstConfigurationMustLeaveABackendThatRefusesIoWithTheOneLineReason() {
        ZfsBackendComponent component = new ZfsBackendComponent();
        component.configure(config(Map.of("directIo", "always")));
        assertEquals("invalid setting directIo=always: allowed: auto or off", component.rejectedConfiguration());
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> component.open(
                Path.of("/tmp/x"), OpenOptions.of(FileRole.DATA, CreateMode.OPEN_OR_CREATE, 16384)));
        assertTrue(e.getMessage().contains("invalid setting directIo=always"), e.getMessage());
    }

    @Test
    void aGoodConfigurationMustRegisterTheZfsBackend() {
        ZfsBackendComponent component = new ZfsBackendComponent();
        component.configure(config(Map.of("pageSizeBytes", 4096)));
        assertEquals("zfs", component.name());
        assertTrue(component.describe().startsWith("zfs(directIo=auto, pageSizeBytes=4096"), component.describe());
    }
}
