package io.cairn.engine.core;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.IoCapabilities;

/**
 * Whether page writes go through the doublewrite file first (innodb.md 3.9).
 */
public enum DoublewriteMode {
    /** Every page batch is written and synced to the doublewrite file before the in-place writes. */
    ON,
    /** No doublewrite: torn pages are detected by their checksums and reported, never repaired. */
    OFF,
    /** Only detection, as OFF; kept as a separate name so operators can say what they mean. */
    DETECT_ONLY,
    /**
     * OFF when the data backend guarantees that a page write is atomic (an atomic write unit of
     * at least the page size, as ZFS with recordsize &ge; page size reports), ON otherwise.
     */
    AUTO;

    /**
     * The mode named {@code value} (case-insensitive), as configuration gives it.
     *
     * @throws InvalidSettingException naming {@code key} when the value is not a mode
     */
    public static DoublewriteMode parse(String key, String value) {
        return InvalidSettingException.requireEnum(key, value, DoublewriteMode.class);
    }

    /** Whether pages must go through the doublewrite file on a backend with {@code capabilities}. */
    public boolean writesThrough(IoCapabilities capabilities, int pageSizeBytes) {
        return switch (this) {
            case ON -> true;
            case OFF, DETECT_ONLY -> false;
            case AUTO -> capabilities.atomicWriteUnitBytes() < pageSizeBytes;
        };
    }
}
