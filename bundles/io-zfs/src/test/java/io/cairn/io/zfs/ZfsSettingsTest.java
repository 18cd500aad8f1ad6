package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class ZfsSettingsTest {

    @Test
    void directIoMustAcceptAutoAndOffInAnyCase() {
        assertEquals(DirectIoMode.AUTO, ZfsSettings.parseDirectIo(" Auto "));
        assertEquals(DirectIoMode.OFF, ZfsSettings.parseDirectIo("OFF"));
    }

    @Test
    void unknownDirectIoMustBeRejectedNamingKeyValueAndChoices() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> ZfsSettings.parseDirectIo("always"));
        assertEquals("invalid setting directIo=always: allowed: auto or off", e.getMessage());
        assertEquals("directIo", e.key());
    }

    @Test
    void pageSizeThatIsNotASupportedPowerOfTwoMustBeRejected() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ZfsSettings.defaults().withPageSizeBytes(12288));
        assertEquals("invalid setting pageSizeBytes=12288: allowed: 4096, 8192, 16384, 32768 or 65536", e.getMessage());
        assertThrows(InvalidSettingException.class, () -> ZfsSettings.defaults().withPageSizeBytes(131072));
    }

    @Test
    void timeoutsAndCacheTimesOutOfRangeMustBeRejected() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new ZfsSettings(DirectIoMode.AUTO, 16384, 0, "zfs", 0));
        assertEquals("invalid setting cliTimeoutMillis=0: allowed: an integer from 100 to 600000", e.getMessage());
        assertThrows(InvalidSettingException.class, () -> ZfsSettings.defaults().withPropertyCacheMillis(-1));
    }

    @Test
    void zfsCommandWithArgumentsMustBeRejected() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> ZfsSettings.defaults().withZfsCommand("sudo zfs"));
        assertEquals("zfsCommand", e.key());
        assertThrows(InvalidSettingException.class, () -> ZfsSettings.defaults().withZfsCommand(" "));
    }
}
