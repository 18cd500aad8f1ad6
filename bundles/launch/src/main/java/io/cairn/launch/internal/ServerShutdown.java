package io.cairn.launch.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

/**
 * Stops the server cleanly when the JVM exits: a JVM shutdown hook asks the framework to stop and
 * waits, bounded, until it has stopped, so that every component deactivates before the JVM halts.
 *
 * <p>Without it a SIGTERM (or {@code System.exit}) ends the JVM with the framework still running:
 * no component is deactivated, nothing is flushed.
 */
public final class ServerShutdown {

    /** What the hook needs of the framework; the OSGi adapter implements it. */
    public interface Framework {
        /** Asks the framework to stop; returns at once, the framework stops in the background. */
        void requestStop() throws Exception;

        /**
         * Waits until the framework has stopped.
         *
         * @return {@code false} if it had not stopped within the timeout
         */
        boolean awaitStopped(Duration timeout) throws InterruptedException;
    }

    /** How long the hook waits for the framework to stop. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = System.getLogger("io.cairn.launch");

    private final Framework framework;
    private final Duration timeout;
    private final Thread hook;
    private boolean installed; // guarded by this

    public ServerShutdown(Framework framework, Duration timeout) {
        this.framework = Objects.requireNonNull(framework, "framework");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.hook = new Thread(this::stopFramework, "cairn-shutdown");
    }

    /** Registers the shutdown hook (once). */
    public synchronized void install() {
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(hook);
            installed = true;
        }
    }

    /**
     * Unregisters the hook, for a framework that stops normally (for example {@code stop 0}).
     *
     * @return {@code false} if the JVM is already shutting down (the hook is running or will run)
     */
    public synchronized boolean remove() {
        if (!installed) {
            return true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            installed = false;
            return true;
        } catch (IllegalStateException jvmShuttingDown) {
            return false;
        }
    }

    /** The hook's body; package-private so tests can run it without exiting the JVM. */
    void stopFramework() {
        LOG.log(Level.INFO, "JVM shutdown: stopping the framework (waiting up to {0} s)", timeout.toSeconds());
        try {
            framework.requestStop();
            if (!framework.awaitStopped(timeout)) {
                LOG.log(Level.WARNING, "The framework did not stop within {0} s; the JVM exits anyway",
                    timeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "Stopping the framework failed", e);
        }
    }
}
