package io.cairn.io.zfs;

import io.cairn.config.InvalidSettingException;
import java.util.Locale;
import java.util.Objects;

/**
 * The ZFS backend's settings (configuration PID {@code io.cairn.io.zfs}). The canonical
 * constructor validates every value and throws {@link InvalidSettingException} naming the key,
 * the value and what is allowed.
 *
 * @param directIo whether direct I/O may be used at all
 * @param pageSizeBytes the engine's page size: what {@link ZfsStorageBackend#probe} assumes, and
 *     the recordsize it recommends for data datasets; 4, 8, 16, 32 or 64 KiB
 * @param cliTimeoutMillis how long one {@code zfs get} may run before it is destroyed
 * @param zfsCommand the {@code zfs} CLI: a name looked up on the PATH, or an absolute path
 * @param propertyCacheMillis how long dataset properties are reused before the CLI is asked again;
 *     0 asks on every open
 */
public record ZfsSettings(DirectIoMode directIo, int pageSizeBytes, long cliTimeoutMillis, String zfsCommand,
        long propertyCacheMillis) {

    /** The default page size: 16 KiB, InnoDB's and the OpenZFS docs' recordsize for database data. */
    public static final int DEFAULT_PAGE_SIZE_BYTES = 16 * 1024;

    public ZfsSettings {
        Objects.requireNonNull(directIo, "directIo");
        if (pageSizeBytes < 4096 || pageSizeBytes > 65536 || Integer.bitCount(pageSizeBytes) != 1) {
            throw new InvalidSettingException("pageSizeBytes", pageSizeBytes, "4096, 8192, 16384, 32768 or 65536");
        }
        InvalidSettingException.requireRange("cliTimeoutMillis", cliTimeoutMillis, 100, 600_000);
        if (zfsCommand == null || zfsCommand.isBlank() || zfsCommand.contains(" ")) {
            throw new InvalidSettingException("zfsCommand", zfsCommand,
                    "a program name on the PATH or an absolute path, without spaces or arguments");
        }
        InvalidSettingException.requireRange("propertyCacheMillis", propertyCacheMillis, 0, 3_600_000);
    }

    /** Direct I/O where safe, 16 KiB pages, 5 s CLI timeout, {@code zfs} from the PATH, 10 s property cache. */
    public static ZfsSettings defaults() {
        return new ZfsSettings(DirectIoMode.AUTO, DEFAULT_PAGE_SIZE_BYTES, 5_000, "zfs", 10_000);
    }

    /** Parses the {@code directIo} setting: {@code auto} or {@code off}, in any case. */
    public static DirectIoMode parseDirectIo(String value) {
        if (value != null) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (DirectIoMode mode : DirectIoMode.values()) {
                if (mode.name().equals(v)) {
                    return mode;
                }
            }
        }
        throw new InvalidSettingException("directIo", value, "auto or off");
    }

    /** This record with another direct-I/O mode. */
    public ZfsSettings withDirectIo(DirectIoMode mode) {
        return new ZfsSettings(mode, pageSizeBytes, cliTimeoutMillis, zfsCommand, propertyCacheMillis);
    }

    /** This record with another page size. */
    public ZfsSettings withPageSizeBytes(int bytes) {
        return new ZfsSettings(directIo, bytes, cliTimeoutMillis, zfsCommand, propertyCacheMillis);
    }

    /** This record with another property cache time. */
    public ZfsSettings withPropertyCacheMillis(long millis) {
        return new ZfsSettings(directIo, pageSizeBytes, cliTimeoutMillis, zfsCommand, millis);
    }

    /** This record with another CLI. */
    public ZfsSettings withZfsCommand(String command) {
        return new ZfsSettings(directIo, pageSizeBytes, cliTimeoutMillis, command, propertyCacheMillis);
    }
}
