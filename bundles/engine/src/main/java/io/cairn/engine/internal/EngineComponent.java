package io.cairn.engine.internal;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.config.InvalidSettingException;
import io.cairn.engine.Engine;
import io.cairn.engine.core.CairnEngine;
import io.cairn.engine.core.DoublewriteMode;
import io.cairn.engine.core.EngineConfig;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLogProvider;
import io.cairn.status.StatusService;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.condition.Condition;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter that opens a {@link CairnEngine} from the configured parts and registers it as the
 * {@link Engine} and {@link StatusService} services once it runs.
 *
 * <p>Opening may recover for a long time, so it runs on its own thread and the services appear
 * only when the engine is RUNNING: SCR's thread is never held by recovery. A setting the engine
 * cannot use, a home held by another process or a part that refuses to work is reported in one
 * line and nothing is registered; the component stays active so that a corrected configuration
 * (which reactivates it) is all the operator has to provide.
 *
 * <p>The parts are static references: when one goes away the engine closes cleanly and opens
 * again with the replacement. Swapping without a restart belongs to {@code EngineControl}.
 */
@Component(service = {}, immediate = true, configurationPid = EngineComponent.PID)
@Designate(ocd = EngineComponent.Config.class)
public final class EngineComponent {

    static final String PID = "io.cairn.engine";

    /** The framework property naming the server's home (set by io.cairn.launch). */
    static final String HOME_PROPERTY = "cairn.home";

    /** The condition registered when opening ended, successfully or not. */
    public static final String OPENED_CONDITION_ID = "cairn.engine.opened";

    private static final System.Logger LOG = System.getLogger("io.cairn.engine");
    private static final long OPEN_PROGRESS_LOG_MILLIS = TimeUnit.SECONDS.toMillis(5);

    @ObjectClassDefinition(name = "Cairn engine",
            description = "The engine's home, sizes, durability and the parts it is assembled from.")
    public @interface Config {
        @AttributeDefinition(name = "Home directory",
                description = "Where data, redo and the doublewrite file live; empty for the server's cairn.home.")
        String home() default "";

        @AttributeDefinition(name = "Page size (KiB)",
                description = "4, 8, 16, 32 or 64 for a new home; 0 keeps the home's own (16 for a new one).")
        int pageSizeKibibytes() default 0;

        @AttributeDefinition(name = "Buffer pool size (MiB)", description = "At least 1.")
        long bufferPoolSizeMebibytes() default 128;

        @AttributeDefinition(name = "Redo capacity (MiB)", description = "From 1 to 1048576.")
        long redoCapacityMebibytes() default 100;

        @AttributeDefinition(name = "Commit durability",
                description = "0 (PERIODIC), 1 (SYNC_ON_COMMIT) or 2 (WRITE_ON_COMMIT), as innodb_flush_log_at_trx_commit.")
        String commitDurability() default "1";

        @AttributeDefinition(name = "Doublewrite", description = "ON, OFF, DETECT_ONLY or AUTO.")
        String doublewrite() default "AUTO";

        @AttributeDefinition(name = "Page cleaner interval (ms)", description = "From 10 to 60000.")
        long cleanerIntervalMillis() default 1000;

        @AttributeDefinition(name = "I/O capacity (pages/s)", description = "The normal flushing budget.")
        long ioCapacityPagesPerSecond() default 200;

        @AttributeDefinition(name = "Maximum I/O capacity (pages/s)", description = "The budget near the redo limit.")
        long ioCapacityMaxPagesPerSecond() default 2000;

        @AttributeDefinition(name = "Watchdog threshold (ms)", description = "Waits longer than this are logged.")
        long watchdogThresholdMillis() default 5000;

        @AttributeDefinition(name = "Buffer pool instances",
                description = "From 1 to 64, or 0 for 8 from 1 GiB up and 1 below (innodb_buffer_pool_instances).")
        int bufferPoolInstances() default 0;

        @AttributeDefinition(name = "Page cleaner threads",
                description = "From 1 to 64 threads writing a round's pages, at most one per buffer pool instance"
                        + " (innodb_page_cleaners).")
        int pageCleanerThreads() default EngineConfig.DEFAULT_PAGE_CLEANER_THREADS;

        @AttributeDefinition(name = "Data backend filter", description = "Which StorageBackend serves data files.")
        String dataBackend_target() default "(cairn.backend=buffered)";

        @AttributeDefinition(name = "Redo backend filter", description = "Which StorageBackend serves redo files.")
        String redoBackend_target() default "(cairn.backend=buffered)";

        @AttributeDefinition(name = "Buffer pool filter", description = "Which BufferPoolProvider to use.")
        String bufferPool_target() default "(cairn.bufferpool=lru)";

        @AttributeDefinition(name = "Redo log filter", description = "Which RedoLogProvider to use.")
        String redoLog_target() default "(cairn.redo=cairn)";

        @AttributeDefinition(name = "Flush policy filter",
                description = "Which FlushPolicy plans the page cleaner's rounds; without one the built-in safe policy does.")
        String flushPolicy_target() default "(cairn.policy=adaptive)";
    }

    @Reference(name = "dataBackend", target = "(cairn.backend=buffered)")
    private StorageBackend dataBackend;

    @Reference(name = "redoBackend", target = "(cairn.backend=buffered)")
    private StorageBackend redoBackend;

    @Reference(name = "bufferPool", target = "(cairn.bufferpool=lru)")
    private BufferPoolProvider bufferPool;

    @Reference(name = "redoLog", target = "(cairn.redo=cairn)")
    private RedoLogProvider redoLog;

    private volatile FlushPolicy flushPolicy;

    private final Object lock = new Object();
    private Thread opener;
    private CairnEngine engine; // guarded by lock
    private ServiceRegistration<?> registration; // guarded by lock
    private ServiceRegistration<?> openedCondition; // guarded by lock
    private boolean deactivated; // guarded by lock

    @Activate
    void activate(BundleContext context, Config config) {
        EngineConfig engineConfig;
        try {
            engineConfig = engineConfig(config, context.getProperty(HOME_PROPERTY));
        } catch (InvalidSettingException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration " + PID + ": " + e.getMessage()
                    + "; the engine does not start until it is corrected");
            return;
        }
        CairnEngine.Parts parts = new CairnEngine.Parts(dataBackend, redoBackend, bufferPool, redoLog, flushPolicy);
        opener = new Thread(() -> open(context, engineConfig, parts), "cairn-engine-open");
        opener.start();
    }

    private void open(BundleContext context, EngineConfig engineConfig, CairnEngine.Parts parts) {
        CairnEngine opened;
        try {
            opened = CairnEngine.open(engineConfig, parts);
        } catch (Exception e) {
            // The engine's exceptions say what was wrong and what is allowed; the stack adds nothing.
            String problem = "the engine in " + engineConfig.home() + " did not start: " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, problem);
            synchronized (lock) {
                registerOpenedCondition(context, problem);
            }
            return;
        }
        synchronized (lock) {
            if (deactivated) {
                closeQuietly(opened);
                return;
            }
            engine = opened;
            opened.switchFlushPolicy(flushPolicy); // it may have changed while the engine opened
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("cairn.home", engineConfig.home().toString());
            properties.put(StorageBackend.NAME_PROPERTY + ".data", dataBackend.name());
            properties.put(StorageBackend.NAME_PROPERTY + ".redo", redoBackend.name());
            try {
                registration = context.registerService(
                        new String[] {Engine.class.getName(), StatusService.class.getName()}, opened, properties);
                // Only now: whoever waits for the condition expects to find the engine's services.
                registerOpenedCondition(context, "running");
            } catch (IllegalStateException bundleStopping) {
                engine = null;
                closeQuietly(opened);
            }
        }
    }

    /**
     * Tells scripts waiting for the server ({@code cairn.exec}) that opening ended, either way, so
     * they neither run before the engine is there nor wait for an engine that failed.
     */
    private void registerOpenedCondition(BundleContext context, String outcome) {
        if (deactivated) {
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Condition.CONDITION_ID, OPENED_CONDITION_ID);
        properties.put("cairn.engine.outcome", outcome);
        try {
            openedCondition = context.registerService(Condition.class, Condition.INSTANCE, properties);
        } catch (IllegalStateException bundleStopping) {
            openedCondition = null;
        }
    }

    /**
     * Optional and dynamic: a policy may come, go or be replaced while the engine runs; the next
     * page cleaner round uses the new one (the built-in safe policy while there is none).
     */
    @Reference(name = "flushPolicy", target = "(cairn.policy=adaptive)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindFlushPolicy")
    void bindFlushPolicy(FlushPolicy policy) {
        flushPolicy = policy;
        applyFlushPolicy();
    }

    void unbindFlushPolicy(FlushPolicy policy) {
        if (flushPolicy == policy) { // a greedy replacement binds the new policy before unbinding the old
            flushPolicy = null;
            applyFlushPolicy();
        }
    }

    private void applyFlushPolicy() {
        CairnEngine running;
        synchronized (lock) {
            running = engine;
        }
        if (running != null) {
            running.switchFlushPolicy(flushPolicy);
        }
    }

    @Deactivate
    void deactivate() {
        Thread starting;
        synchronized (lock) {
            deactivated = true;
            starting = opener;
        }
        awaitOpener(starting);
        CairnEngine running;
        synchronized (lock) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework unregisters a stopping bundle's services itself
                }
                registration = null;
            }
            if (openedCondition != null) {
                try {
                    openedCondition.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // as above
                }
                openedCondition = null;
            }
            running = engine;
            engine = null;
        }
        if (running != null) {
            closeQuietly(running);
        }
    }

    /** Recovery cannot be abandoned halfway, so deactivation waits for it, saying so every few seconds. */
    private static void awaitOpener(Thread starting) {
        if (starting == null) {
            return;
        }
        long startedMillis = System.currentTimeMillis();
        try {
            while (starting.isAlive()) {
                starting.join(OPEN_PROGRESS_LOG_MILLIS);
                if (starting.isAlive()) {
                    LOG.log(System.Logger.Level.INFO, "stopping: waiting for the engine to finish opening ("
                            + (System.currentTimeMillis() - startedMillis) / 1000 + " s so far)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(CairnEngine engine) {
        try {
            engine.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "the engine in " + engine.home() + " did not close cleanly: " + e.getMessage()
                    + "; the next start recovers from redo");
        }
    }

    /**
     * The engine settings {@code config} describes.
     *
     * @param serverHome the framework's {@value #HOME_PROPERTY}, or null
     * @throws InvalidSettingException naming the first setting that cannot be used
     */
    static EngineConfig engineConfig(Config config, String serverHome) {
        String home = config.home().isBlank() ? (serverHome == null ? "cairn-home" : serverHome) : config.home();
        int pageSizeKibibytes = config.pageSizeKibibytes();
        if (pageSizeKibibytes != 0 && (pageSizeKibibytes < 4 || pageSizeKibibytes > 64
                || Integer.bitCount(pageSizeKibibytes) != 1)) {
            throw new InvalidSettingException("pageSizeKibibytes", pageSizeKibibytes, "0, 4, 8, 16, 32 or 64");
        }
        InvalidSettingException.requireRange("bufferPoolSizeMebibytes", config.bufferPoolSizeMebibytes(), 1, 1L << 30);
        InvalidSettingException.requireRange("redoCapacityMebibytes", config.redoCapacityMebibytes(), 1, 1L << 20);
        return new EngineConfig(Path.of(home).toAbsolutePath(), pageSizeKibibytes << 10,
                config.bufferPoolSizeMebibytes() << 20, config.redoCapacityMebibytes() << 20,
                CommitDurability.parse("commitDurability", config.commitDurability()),
                DoublewriteMode.parse("doublewrite", config.doublewrite()),
                config.cleanerIntervalMillis(), config.ioCapacityPagesPerSecond(),
                config.ioCapacityMaxPagesPerSecond(), config.watchdogThresholdMillis(), config.bufferPoolInstances(),
                config.pageCleanerThreads());
    }
}
