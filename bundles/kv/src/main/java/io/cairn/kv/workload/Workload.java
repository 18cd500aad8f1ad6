package io.cairn.kv.workload;

import io.cairn.config.InvalidSettingException;
import java.util.Arrays;
import java.util.Locale;

/** What each operation of a run does. */
public enum Workload {
    /** Get one existing key. */
    POINT_GET,
    /** Replace the value of one existing key (one durable commit). */
    POINT_UPDATE,
    /** Put a key that did not exist (one durable commit). */
    INSERT,
    /** Read up to the scan length of consecutive entries from an existing key. */
    RANGE_SCAN,
    /** Gets and updates of existing keys, the read share given by the settings. */
    MIX;

    /** The name as typed on a command line: {@code point-get}, {@code range-scan}, ... */
    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #option()} names. */
    public static Workload parse(String setting, String value) {
        for (Workload w : values()) {
            if (w.option().equals(value)) {
                return w;
            }
        }
        throw new InvalidSettingException(setting, value,
                String.join(", ", Arrays.stream(values()).map(Workload::option).toList()));
    }
}
