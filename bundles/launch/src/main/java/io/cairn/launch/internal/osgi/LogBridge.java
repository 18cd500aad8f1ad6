package io.cairn.launch.internal.osgi;

import java.util.logging.Level;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import io.cairn.launch.logging.CairnLogging;

/**
 * Forwards OSGi log entries at WARN and above (from SCR, the framework, ConfigAdmin, FileInstall,
 * ...) into Cairn's log, under the logger {@code io.cairn.osgi.<bundle-symbolic-name>}.
 *
 * <p>Only loaded when {@code org.osgi.service.log} is wired (the import is optional).
 */
final class LogBridge implements LogListener {

    /** Prefix of the loggers that bridged entries are logged to. */
    static final String LOGGER_PREFIX = CairnLogging.ROOT_LOGGER_NAME + ".osgi.";

    private final ServiceTracker<LogReaderService, LogReaderService> readers;

    LogBridge(BundleContext context) {
        readers = new ServiceTracker<>(context, LogReaderService.class, null) {
            @Override
            public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
                LogReaderService reader = super.addingService(reference);
                if (reader != null) {
                    reader.addLogListener(LogBridge.this);
                }
                return reader;
            }

            @Override
            public void removedService(ServiceReference<LogReaderService> reference, LogReaderService reader) {
                try {
                    reader.removeLogListener(LogBridge.this);
                } catch (IllegalStateException serviceGone) {
                    // the log service's bundle is stopping: it drops its listeners itself
                }
                super.removedService(reference, reader);
            }
        };
    }

    void open() {
        readers.open();
    }

    void close() {
        readers.close();
    }

    @Override
    public void logged(LogEntry entry) {
        Level level = toJul(entry.getLogLevel());
        if (level == null) {
            return;
        }
        Bundle bundle = entry.getBundle();
        String bsn = bundle == null || bundle.getSymbolicName() == null ? "unknown" : bundle.getSymbolicName();
        StringBuilder message = new StringBuilder(String.valueOf(entry.getMessage()));
        ServiceReference<?> service = entry.getServiceReference();
        if (service != null) {
            message.append(" [service.id=").append(service.getProperty("service.id")).append(']');
        }
        CairnLogging.logAs(LOGGER_PREFIX + bsn, level, message.toString(), entry.getException(),
            entry.getThreadInfo());
    }

    /** The JUL level for an OSGi level, or {@code null} for entries below WARN. */
    static Level toJul(LogLevel level) {
        switch (level) {
            case AUDIT:
                return Level.INFO; // audit entries are meant to be recorded whatever the level
            case ERROR:
                return Level.SEVERE;
            case WARN:
                return Level.WARNING;
            default:
                return null;
        }
    }
}
