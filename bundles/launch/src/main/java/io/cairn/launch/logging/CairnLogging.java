package io.cairn.launch.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Installs Cairn's log sink on the {@code io.cairn} {@code java.util.logging} logger.
 *
 * <p>Once installed, every record of a logger named {@code io.cairn} or {@code io.cairn.*} at
 * {@link Level#INFO} or above is written to {@code <logDirectory>/cairn.log} in the
 * {@link CairnLogFormatter one-line format}, and records at {@link Level#WARNING} or above are
 * also written to standard error. Records do not propagate to the root logger's handlers, so
 * nothing is printed twice.
 *
 * <p>{@link #install} is idempotent: installing again for the same directory changes nothing,
 * installing for another directory moves the sink. {@link #uninstall} restores the logger as it
 * was and closes the file. Both are thread-safe.
 *
 * <p>Surviving JVM shutdown: {@code java.util.logging.LogManager} registers its own shutdown hook
 * that resets the logging configuration, which removes and closes every handler, while other
 * shutdown hooks (the one that stops the OSGi framework, for example) may still be logging
 * "component deactivated" messages. The handlers installed here therefore treat a close that
 * {@link #uninstall} did not ask for as a reset: they flush and attach themselves again, so the
 * last records of a stopping server still reach the file.
 */
public final class CairnLogging {

    /** Name of the logger every Cairn logger descends from. */
    public static final String ROOT_LOGGER_NAME = "io.cairn";

    /** Name of the log file inside the log directory. */
    public static final String LOG_FILE_NAME = "cairn.log";

    /** Lowest level written to the file. */
    public static final Level FILE_LEVEL = Level.INFO;

    /** Lowest level written to standard error. */
    public static final Level CONSOLE_LEVEL = Level.WARNING;

    private static final ThreadLocal<String> FOREIGN_THREAD = new ThreadLocal<>();

    private static final Object LOCK = new Object();

    /** The current installation; guarded by {@link #LOCK}. */
    private static Installation installed;

    private CairnLogging() {
    }

    /**
     * Writes Cairn's log to {@code <logDirectory>/cairn.log} (created if missing) and its warnings
     * to standard error.
     *
     * @param logDirectory directory of the log file
     * @return the log file
     * @throws IOException if the directory or the file cannot be created
     */
    public static Path install(Path logDirectory) throws IOException {
        Path file = logDirectory.toAbsolutePath().normalize().resolve(LOG_FILE_NAME);
        synchronized (LOCK) {
            if (installed != null) {
                if (installed.file.equals(file)) {
                    return file;
                }
                installed.release();
                installed = null;
            }
            Files.createDirectories(file.getParent());
            installed = new Installation(file);
            return file;
        }
    }

    /**
     * Removes the handlers that {@link #install} added, closes the log file and restores the
     * {@code io.cairn} logger's level and parent-handler setting.
     *
     * @return whether anything was installed
     */
    public static boolean uninstall() {
        synchronized (LOCK) {
            if (installed == null) {
                return false;
            }
            installed.release();
            installed = null;
            return true;
        }
    }

    /** @return the log file while the sink is installed */
    public static Optional<Path> logFile() {
        synchronized (LOCK) {
            return installed == null ? Optional.empty() : Optional.of(installed.file);
        }
    }

    /**
     * Logs a record on behalf of another thread, for bridges that receive log entries
     * asynchronously (the record then names {@code threadName}, not the bridge's thread).
     *
     * @param loggerName logger to log to, normally below {@code io.cairn}
     * @param level level of the record
     * @param message the message, logged as is (no parameter substitution)
     * @param thrown exception to attach, or {@code null}
     * @param threadName name of the thread the entry came from, or {@code null} if unknown
     */
    public static void logAs(String loggerName, Level level, String message, Throwable thrown, String threadName) {
        Logger logger = Logger.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(loggerName);
        record.setThrown(thrown);
        String previous = FOREIGN_THREAD.get();
        FOREIGN_THREAD.set(threadName == null ? "unknown" : threadName);
        try {
            logger.log(record);
        } finally {
            if (previous == null) {
                FOREIGN_THREAD.remove();
            } else {
                FOREIGN_THREAD.set(previous);
            }
        }
    }

    /** The thread name to print for a record being formatted in the current thread. */
    static String threadNameFor(LogRecord record) {
        String foreign = FOREIGN_THREAD.get();
        return foreign != null ? foreign : Thread.currentThread().getName();
    }

    /** One installation: the handlers, and what they changed on the logger. */
    private static final class Installation {
        // A strong reference: LogManager holds loggers weakly, and a collected logger would come
        // back without our handlers.
        private final Logger logger = Logger.getLogger(ROOT_LOGGER_NAME);
        private final Path file;
        private final Level previousLevel;
        private final boolean previousUseParentHandlers;
        private final ResilientHandler fileHandler;
        private final ResilientHandler consoleHandler;

        Installation(Path file) throws IOException {
            this.file = file;
            CairnLogFormatter formatter = new CairnLogFormatter();

            // FileHandler patterns treat '%' specially; limit 0 and count 1 keep the name exactly
            // cairn.log, append keeps earlier runs.
            FileHandler toFile = new FileHandler(file.toString().replace("%", "%%"), 0, 1, true);
            toFile.setEncoding(StandardCharsets.UTF_8.name());
            toFile.setFormatter(formatter);
            toFile.setLevel(FILE_LEVEL);

            ConsoleHandler toStderr = new ConsoleHandler();
            toStderr.setFormatter(formatter);
            toStderr.setLevel(CONSOLE_LEVEL);

            previousLevel = logger.getLevel();
            previousUseParentHandlers = logger.getUseParentHandlers();
            fileHandler = new ResilientHandler(logger, toFile);
            consoleHandler = new ResilientHandler(logger, toStderr);
            if (previousLevel == null) {
                logger.setLevel(FILE_LEVEL);
            }
            logger.setUseParentHandlers(false);
            logger.addHandler(fileHandler);
            logger.addHandler(consoleHandler);
        }

        void release() {
            fileHandler.release();
            consoleHandler.release();
            logger.setLevel(previousLevel);
            logger.setUseParentHandlers(previousUseParentHandlers);
        }
    }

    /**
     * A handler that only {@link #release()} really closes. A close from anyone else (in practice
     * {@code LogManager.reset()} from the JVM's shutdown hooks) flushes and re-attaches the handler.
     */
    private static final class ResilientHandler extends Handler {
        private final Logger logger;
        private final Handler delegate;
        private volatile boolean released;

        ResilientHandler(Logger logger, Handler delegate) {
            this.logger = logger;
            this.delegate = delegate;
            setLevel(Level.ALL); // the delegate filters
        }

        @Override
        public void publish(LogRecord record) {
            if (!released) {
                delegate.publish(record); // FileHandler and ConsoleHandler flush each record
            }
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            delegate.flush();
            // LogManager.reset() removed us (and sets the level of non-root loggers to null,
            // which then inherits the root's INFO): attach again.
            for (Handler h : logger.getHandlers()) {
                if (h == this) {
                    return;
                }
            }
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        void release() {
            released = true;
            logger.removeHandler(this);
            delegate.close();
        }
    }
}
