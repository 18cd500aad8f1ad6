package io.cairn.launch.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into {@code System.exit(0)}, so that a server stopped by its service
 * manager or by Ctrl-C runs the shutdown hooks ({@link ServerShutdown}) and exits with status 0
 * instead of 143 or 130.
 *
 * <p>{@code sun.misc.Signal} is in the {@code jdk.unsupported} module, available on every JDK Cairn
 * supports. Inside OSGi the framework must export {@code sun.misc} (the distributions do, with
 * {@code -runsystempackages}); callers treat a {@link LinkageError} as "not available".
 */
public final class Signals {

    /** The signals handled. */
    public static final List<String> NAMES = List.of("TERM", "INT");

    private static final Logger LOG = System.getLogger("io.cairn.launch");

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    /** Installs the handlers; a signal the platform does not support is skipped. */
    public synchronized void install() {
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                SignalHandler old = Signal.handle(signal, this::exit);
                previous.put(signal, old);
            } catch (IllegalArgumentException unsupported) {
                LOG.log(Level.DEBUG, "Signal {0} cannot be handled here", name);
            }
        }
    }

    /** Puts back the handlers that were there before {@link #install()}. */
    public synchronized void restore() {
        previous.forEach((signal, old) -> {
            try {
                Signal.handle(signal, old);
            } catch (IllegalArgumentException ignored) {
                // cannot happen: it was accepted before
            }
        });
        previous.clear();
    }

    private void exit(Signal signal) {
        // System.exit blocks until the shutdown hooks are done: never block the signal dispatcher.
        Thread exiting = new Thread(() -> {
            LOG.log(Level.INFO, "Received SIG{0}: shutting down", signal.getName());
            System.exit(0);
        }, "cairn-signal-" + signal.getName());
        exiting.start();
    }
}
