package io.cairn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InvalidSettingExceptionTest {

    @Test
    void rangeCheckMustNameKeyValueAndRange() {
        assertEquals(200, InvalidSettingException.requireRange("ioCapacity", 200, 100, 100_000));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> InvalidSettingException.requireRange("ioCapacity", 50, 100, 100_000));
        assertEquals("invalid setting ioCapacity=50: allowed: an integer from 100 to 100000", e.getMessage());
        assertEquals("ioCapacity", e.key());
        assertEquals("50", e.value());
    }

    @Test
    void enumParseMustIgnoreCaseAndListConstantsOnFailure() {
        assertEquals(TimeUnit.SECONDS, InvalidSettingException.requireEnum("unit", "seconds", TimeUnit.class));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> InvalidSettingException.requireEnum("unit", "fortnights", TimeUnit.class));
        assertEquals("invalid setting unit=fortnights: allowed: one of NANOSECONDS, MICROSECONDS, MILLISECONDS,"
                + " SECONDS, MINUTES, HOURS, DAYS", e.getMessage());
    }

    @Test
    void reasonMustPrecedeWhatIsAllowed() {
        InvalidSettingException e = new InvalidSettingException("flushMethod", "O_DIRECT_NO_FSYNC",
                "O_DIRECT, O_DSYNC", "device sda has a volatile write cache");
        assertEquals("invalid setting flushMethod=O_DIRECT_NO_FSYNC: device sda has a volatile write cache;"
                + " allowed: O_DIRECT, O_DSYNC", e.getMessage());
    }
}
