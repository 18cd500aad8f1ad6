package io.cairn.launch.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats one log record per line:
 * {@code 2025-01-31T12:00:00.123Z INFO io.cairn.engine [main] message}, followed by the stack
 * trace of the record's exception, if any, on the next lines.
 *
 * <p>Levels are written with the names of {@link System.Logger.Level} (ERROR, WARN, INFO, DEBUG,
 * TRACE), because that is the API Cairn's code logs with. Line breaks inside a message are written
 * as {@code \n} so that every record starts on its own line and {@code grep} finds whole records.
 *
 * <p>The thread is the one that logged: {@code java.util.logging} handlers format synchronously in
 * the logging thread. A bridge that forwards records from another thread (for example OSGi log
 * entries) names the original thread with {@link CairnLogging#logAs}.
 */
public final class CairnLogFormatter extends Formatter {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160);
        Instant when = record.getInstant().truncatedTo(ChronoUnit.MILLIS);
        line.append(TIMESTAMP.format(when)).append(' ')
            .append(levelName(record.getLevel())).append(' ')
            .append(record.getLoggerName() == null ? "-" : record.getLoggerName()).append(' ')
            .append('[').append(CairnLogging.threadNameFor(record)).append("] ");
        appendEscaped(line, formatMessage(record));
        line.append(System.lineSeparator());
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                thrown.printStackTrace(out);
            }
            line.append(trace);
        }
        return line.toString();
    }

    /** The {@link System.Logger.Level} name that corresponds to a {@code java.util.logging} level. */
    static String levelName(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (value >= Level.WARNING.intValue()) {
            return "WARN";
        } else if (value >= Level.INFO.intValue()) {
            return "INFO";
        } else if (value >= Level.CONFIG.intValue()) {
            return "CONFIG";
        } else if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static void appendEscaped(StringBuilder line, String message) {
        if (message == null) {
            line.append("null");
            return;
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else {
                line.append(c);
            }
        }
    }
}
