package io.cairn.redo.log;

import io.cairn.config.InvalidSettingException;

/**
 * Tuning of {@link CairnRedoLog} beyond {@link io.cairn.redo.RedoLogConfig}; the defaults suit
 * production, tests shrink them.
 *
 * @param logBufferBytes the log buffer (a ring the appenders copy into), a power of two from
 *     64 KiB to 1 GiB; also the largest group (InnoDB's {@code innodb_log_buffer_size})
 * @param fileSizeBytes the size of each log file, a multiple of 4096 from 64 KiB, or 0 to derive
 *     it from the capacity (a sixteenth, between 64 KiB and 1 GiB)
 * @param zeroFillFiles write zeros over new log files instead of only reserving the space, so
 *     later syncs of the file are pure data syncs (no extent conversion in the file system)
 * @param waitWarningMillis a thread waiting longer than this for redo capacity or durability logs
 *     a warning naming what it waits for, and again at every multiple
 */
public record RedoLogOptions(int logBufferBytes, long fileSizeBytes, boolean zeroFillFiles, long waitWarningMillis) {

    public static final int DEFAULT_LOG_BUFFER_BYTES = 16 << 20;
    public static final long MIN_FILE_SIZE_BYTES = 64 << 10;
    public static final long MAX_FILE_SIZE_BYTES = 1L << 30;

    public RedoLogOptions {
        if (logBufferBytes < (64 << 10) || logBufferBytes > (1 << 30) || Integer.bitCount(logBufferBytes) != 1) {
            throw new InvalidSettingException("logBufferBytes", logBufferBytes,
                    "a power of two from 65536 (64 KiB) to 1073741824 (1 GiB)");
        }
        if (fileSizeBytes != 0 && (fileSizeBytes < MIN_FILE_SIZE_BYTES || fileSizeBytes > MAX_FILE_SIZE_BYTES
                || fileSizeBytes % LogFormat.MAX_UNIT_BYTES != 0)) {
            throw new InvalidSettingException("fileSizeBytes", fileSizeBytes,
                    "0 (derived from the capacity) or a multiple of 4096 from 65536 to 1073741824");
        }
        if (waitWarningMillis <= 0) {
            throw new InvalidSettingException("waitWarningMillis", waitWarningMillis, "an integer > 0");
        }
    }

    /** 16 MiB buffer, files a sixteenth of the capacity, zero-filled, warnings after 10 s. */
    public static RedoLogOptions defaults() {
        return new RedoLogOptions(DEFAULT_LOG_BUFFER_BYTES, 0, true, 10_000);
    }

    public RedoLogOptions withLogBufferBytes(int bytes) {
        return new RedoLogOptions(bytes, fileSizeBytes, zeroFillFiles, waitWarningMillis);
    }

    public RedoLogOptions withFileSizeBytes(long bytes) {
        return new RedoLogOptions(logBufferBytes, bytes, zeroFillFiles, waitWarningMillis);
    }

    public RedoLogOptions withZeroFillFiles(boolean zeroFill) {
        return new RedoLogOptions(logBufferBytes, fileSizeBytes, zeroFill, waitWarningMillis);
    }

    public RedoLogOptions withWaitWarningMillis(long millis) {
        return new RedoLogOptions(logBufferBytes, fileSizeBytes, zeroFillFiles, millis);
    }

    /** The size of log files created while the capacity is {@code capacityBytes}. */
    long fileSizeFor(long capacityBytes) {
        if (fileSizeBytes != 0) {
            return fileSizeBytes;
        }
        long derived = LogFormat.roundUp(capacityBytes / 16, LogFormat.MAX_UNIT_BYTES);
        return Math.max(MIN_FILE_SIZE_BYTES, Math.min(MAX_FILE_SIZE_BYTES, derived));
    }
}
