package io.cairn.redo.circular;

import io.cairn.config.InvalidSettingException;

/**
 * Tuning of {@link CircularRedoLog} beyond {@link io.cairn.redo.RedoLogConfig}.
 *
 * @param logBufferBytes the ring appenders copy into, a power of two from 64 KiB to 1 GiB; also
 *     the largest group
 * @param waitWarningMillis a thread waiting longer than this for redo capacity or durability logs
 *     a warning naming what it waits for, and again at every multiple
 */
public record CircularRedoLogOptions(int logBufferBytes, long waitWarningMillis) {

    public static final int DEFAULT_LOG_BUFFER_BYTES = 16 << 20;

    public CircularRedoLogOptions {
        if (logBufferBytes < (64 << 10) || logBufferBytes > (1 << 30) || Integer.bitCount(logBufferBytes) != 1) {
            throw new InvalidSettingException("logBufferBytes", logBufferBytes,
                    "a power of two from 65536 (64 KiB) to 1073741824 (1 GiB)");
        }
        if (waitWarningMillis <= 0) {
            throw new InvalidSettingException("waitWarningMillis", waitWarningMillis, "an integer > 0");
        }
    }

    /** A 16 MiB buffer, warnings after 10 s. */
    public static CircularRedoLogOptions defaults() {
        return new CircularRedoLogOptions(DEFAULT_LOG_BUFFER_BYTES, 10_000);
    }

    public CircularRedoLogOptions withLogBufferBytes(int bytes) {
        return new CircularRedoLogOptions(bytes, waitWarningMillis);
    }

    public CircularRedoLogOptions withWaitWarningMillis(long millis) {
        return new CircularRedoLogOptions(logBufferBytes, millis);
    }
}
