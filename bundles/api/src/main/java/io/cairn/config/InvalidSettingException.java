package io.cairn.config;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A configuration value that cannot be used. The message has one fixed shape, for example
 * {@code invalid setting flushMethod=O_DIRCT: allowed values are fsync, O_DSYNC, O_DIRECT,
 * O_DIRECT_NO_FSYNC}, optionally followed by a reason.
 */
@ProviderType
public class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final String allowed;

    /**
     * @param key the setting's name as the user writes it
     * @param value the rejected value (its {@code toString()}, or {@code "null"})
     * @param allowed what is allowed, as a phrase: {@code "an integer from 100 to 100000"}
     */
    public InvalidSettingException(String key, Object value, String allowed) {
        this(key, value, allowed, null);
    }

    /**
     * @param reason why the value cannot be used here, when "allowed" alone does not explain it
     *     (for example "the device at /dev/sda has a volatile write cache"); may be null
     */
    public InvalidSettingException(String key, Object value, String allowed, String reason) {
        super("invalid setting " + key + "=" + value + ": " + (reason == null ? "" : reason + "; ")
                + "allowed: " + allowed);
        this.key = key;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    /** The setting's name. */
    public String key() {
        return key;
    }

    /** The rejected value. */
    public String value() {
        return value;
    }

    /** What is allowed. */
    public String allowed() {
        return allowed;
    }

    /** Checks that {@code value} lies in {@code [min, max]}, returning it. */
    public static long requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(key, value, "an integer from " + min + " to " + max);
        }
        return value;
    }

    /** Parses {@code value} as the constant of {@code type} with that name, ignoring case. */
    public static <E extends Enum<E>> E requireEnum(String key, String value, Class<E> type) {
        if (value != null) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value.trim())) {
                    return constant;
                }
            }
        }
        StringBuilder allowed = new StringBuilder("one of ");
        E[] constants = type.getEnumConstants();
        for (int i = 0; i < constants.length; i++) {
            allowed.append(i == 0 ? "" : ", ").append(constants[i].name());
        }
        throw new InvalidSettingException(key, value, allowed.toString());
    }
}
