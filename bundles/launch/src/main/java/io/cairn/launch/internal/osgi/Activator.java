package io.cairn.launch.internal.osgi;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.condition.Condition;

import io.cairn.launch.internal.CairnHome;
import io.cairn.launch.internal.LaunchProperties;
import io.cairn.launch.internal.ServerShutdown;
import io.cairn.launch.internal.Signals;
import io.cairn.launch.logging.CairnLogging;

/**
 * The launch bundle's OSGi adapter. It starts first (start level 1 in the distributions) and stops
 * last, so what it sets up is in place for every other bundle:
 * <ol>
 * <li>the home directory, published as the system property {@code cairn.home};</li>
 * <li>Cairn's log sink, and the bridge of OSGi log entries into it;</li>
 * <li>{@code gosh.args=--nointeractive} when there is no console, before Gogo's shell starts;</li>
 * <li>FileInstall's directories ({@code <home>/etc}, {@code <home>/deploy}) before it starts;</li>
 * <li>the shutdown hook and the TERM/INT handlers for a clean stop.</li>
 * </ol>
 * When every bundle's start level has been reached it logs "Cairn server started" and registers the
 * condition {@value #STARTED_CONDITION} (an {@code org.osgi.service.condition.Condition} service).
 */
public final class Activator implements BundleActivator, FrameworkListener {

    /** {@code osgi.condition.id} of the condition registered once the server has started. */
    public static final String STARTED_CONDITION = "cairn.server.started";

    private static final Logger LOG = System.getLogger("io.cairn.launch");

    private BundleContext context;
    private Bundle systemBundle;
    private LaunchProperties properties;
    private LogBridge logBridge;
    private Signals signals;
    private ServerShutdown shutdown;
    private ServiceRegistration<Condition> started; // guarded by this
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void start(BundleContext context) throws IOException {
        this.context = context;
        this.systemBundle = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.properties = new LaunchProperties(context::getProperty);
        try {
            setUp();
        } catch (IOException | RuntimeException e) {
            // The framework does not call stop() after a failed start: undo what was done.
            tearDown();
            throw e;
        }
    }

    private void setUp() throws IOException {
        CairnHome home = CairnHome.resolve(context.getProperty(CairnHome.PROPERTY),
            Path.of(System.getProperty("user.dir"))).create();
        properties.set(CairnHome.PROPERTY, home.root().toString());

        Path logFile = CairnLogging.install(home.log());
        LOG.log(Level.INFO, "Cairn server starting: home {0}, log {1}, Java {2}", home, logFile,
            Runtime.version());
        openLogBridge();

        LaunchProperties.goshArgs(System.console() != null, context.getProperty(LaunchProperties.GOSH_ARGS))
            .ifPresent(args -> {
                properties.set(LaunchProperties.GOSH_ARGS, args);
                warnIfAlreadyActive("org.apache.felix.gogo.shell", LaunchProperties.GOSH_ARGS);
            });
        if (properties.setIfAbsent(LaunchProperties.FILEINSTALL_DIR, LaunchProperties.fileInstallDirectories(home))) {
            properties.setIfAbsent(LaunchProperties.FILEINSTALL_NO_INITIAL_DELAY, "true");
            properties.setIfAbsent(LaunchProperties.FILEINSTALL_CONFIG_SAVE, "false");
            warnIfAlreadyActive("org.apache.felix.fileinstall", LaunchProperties.FILEINSTALL_DIR);
        }

        shutdown = new ServerShutdown(new SystemBundleControl(), ServerShutdown.DEFAULT_TIMEOUT);
        shutdown.install();
        installSignalHandlers();

        context.addFrameworkListener(this);
        checkStarted();
    }

    @Override
    public void stop(BundleContext context) {
        boolean frameworkStopping = systemBundle.getState() == Bundle.STOPPING;
        LOG.log(Level.INFO, frameworkStopping ? "Cairn server stopped" : "Cairn launch bundle stopped");
        tearDown();
    }

    /** Undoes {@link #setUp()}, also a partial one. */
    private void tearDown() {
        context.removeFrameworkListener(this);
        synchronized (this) {
            if (started != null) {
                started.unregister();
                started = null;
            }
        }
        if (signals != null) {
            signals.restore();
        }
        if (shutdown != null) {
            // Returns false while the JVM is shutting down: the hook is the one stopping us then.
            shutdown.remove();
        }
        if (logBridge != null) {
            logBridge.close();
        }
        CairnLogging.uninstall();
        properties.restore();
        stopped.countDown();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
            checkStarted();
        }
    }

    /**
     * The server has started when the framework is active and its start level has reached the
     * start level of every bundle: the bnd launcher starts the framework at level 1 (where
     * {@code STARTED} fires) and only then raises the level to start the other bundles.
     */
    private synchronized void checkStarted() {
        if (started != null || systemBundle.getState() != Bundle.ACTIVE) {
            return;
        }
        int frameworkLevel = systemBundle.adapt(FrameworkStartLevel.class).getStartLevel();
        for (Bundle bundle : context.getBundles()) {
            BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
            if (level != null && level.isPersistentlyStarted() && level.getStartLevel() > frameworkLevel) {
                return;
            }
        }
        LOG.log(Level.INFO, "Cairn server started in {0} ({1} bundles, start level {2})", jvmUptime(),
            context.getBundles().length, frameworkLevel);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Condition.CONDITION_ID, STARTED_CONDITION);
        started = context.registerService(Condition.class, Condition.INSTANCE, props);
    }

    /** Time since the JVM started ("?" on a runtime without java.management). */
    private static String jvmUptime() {
        try {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms";
        } catch (LinkageError noManagementModule) {
            return "?";
        }
    }

    private void openLogBridge() {
        try {
            logBridge = new LogBridge(context);
            logBridge.open();
        } catch (NoClassDefFoundError noLogApi) {
            logBridge = null;
            LOG.log(Level.DEBUG, "No OSGi Log API wired: OSGi log entries are not bridged");
        }
    }

    private void installSignalHandlers() {
        try {
            Signals handlers = new Signals();
            handlers.install();
            signals = handlers;
        } catch (LinkageError noSunMisc) {
            LOG.log(Level.WARNING, "sun.misc is not available (add it to -runsystempackages): "
                + "SIGTERM and Ctrl-C will exit with status 143/130");
        }
    }

    private void warnIfAlreadyActive(String bsn, String property) {
        for (Bundle bundle : context.getBundles()) {
            if (bsn.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                LOG.log(Level.WARNING, "{0} started before io.cairn.launch and has not seen {1}: "
                    + "give io.cairn.launch a lower start level", bsn, property);
            }
        }
    }

    /** Stops the framework through the system bundle. */
    private final class SystemBundleControl implements ServerShutdown.Framework {
        @Override
        public void requestStop() throws Exception {
            systemBundle.stop();
        }

        @Override
        public boolean awaitStopped(Duration timeout) throws InterruptedException {
            if (systemBundle instanceof Framework) {
                FrameworkEvent event = ((Framework) systemBundle).waitForStop(timeout.toMillis());
                return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
            }
            // Not every framework hands out its Framework object: our own stop comes near the end.
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
