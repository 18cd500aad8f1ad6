package io.cairn.flush.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AdaptiveFlushSettingsTest {

    @Test
    void defaultsMustBeInnoDbsAndTakeTheEnginesIoCapacity() {
        assertEquals(new AdaptiveFlushSettings(200, 2000, false, 90, 10, 10, 30, 100), AdaptiveFlushSettings.defaults());
    }

    @Test
    void valuesOutOfRangeMustBeRejectedNamingKeyValueAndRange() {
        assertRejected("invalid setting ioCapacity=99: allowed: an integer from 100 to 1000000",
                () -> new AdaptiveFlushSettings(99, 2000, false, 90, 10, 10, 30, 100));
        assertRejected("invalid setting ioCapacityMax=2000001: allowed: an integer from 200 to 2000000",
                () -> new AdaptiveFlushSettings(200, 2_000_001, false, 90, 10, 10, 30, 100));
        assertRejected("invalid setting maxDirtyPagesPct=100: allowed: an integer from 0 to 99",
                () -> new AdaptiveFlushSettings(200, 2000, false, 100, 10, 10, 30, 100));
        assertRejected("invalid setting maxDirtyPagesPctLwm=-1: allowed: an integer from 0 to 90",
                () -> new AdaptiveFlushSettings(200, 2000, false, 90, -1, 10, 30, 100));
        assertRejected("invalid setting adaptiveFlushingLwm=71: allowed: an integer from 0 to 70",
                () -> new AdaptiveFlushSettings(200, 2000, false, 90, 10, 71, 30, 100));
        assertRejected("invalid setting flushingAvgLoops=0: allowed: an integer from 1 to 1000",
                () -> new AdaptiveFlushSettings(200, 2000, false, 90, 10, 10, 0, 100));
        assertRejected("invalid setting idleFlushPct=101: allowed: an integer from 0 to 100",
                () -> new AdaptiveFlushSettings(200, 2000, false, 90, 10, 10, 30, 101));
    }

    @Test
    void settingsThatContradictEachOtherMustBeRejectedWithTheReason() {
        assertRejected("invalid setting ioCapacityMax=1000: must not be below ioCapacity=2000;"
                        + " allowed: an integer from 2000 to 2000000",
                () -> new AdaptiveFlushSettings(2000, 1000, false, 90, 10, 10, 30, 100));
        assertRejected("invalid setting maxDirtyPagesPctLwm=60: must not be above maxDirtyPagesPct=50;"
                        + " allowed: an integer from 0 to 50",
                () -> new AdaptiveFlushSettings(200, 2000, false, 50, 60, 10, 30, 100));
    }

    @Test
    void boundsOfEveryRangeMustBeAccepted() {
        new AdaptiveFlushSettings(100, 100, true, 0, 0, 0, 1, 0);
        new AdaptiveFlushSettings(1_000_000, 2_000_000, false, 99, 99, 70, 1000, 100);
    }

    private static void assertRejected(String message, Executable construction) {
        assertEquals(message, assertThrows(InvalidSettingException.class, construction).getMessage());
    }
}
