package io.cairn.engine.internal;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.config.InvalidSettingException;
import io.cairn.engine.Engine;
import io.cairn.engine.core.CairnEngine;
import io.cairn.engine.core.DoublewriteMode;
import io.cairn.engine.core.EngineConfig;
import io.cairn.engine.core.EngineSupervisor;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLogProvider;
import io.cairn.status.StatusService;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.condition.Condition;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * DS adapter: tells an {@link EngineSupervisor} what the framework offers (storage backends and
 * flush policies, as they come, go or change) and what the configuration says, and registers the
 * engine as the {@link Engine} and {@link StatusService} services once it runs.
 *
 * <p>The component is never deactivated by a swap. Backends and policies are dynamic references
 * to every service of their type; the configuration's {@code dataBackend.target},
 * {@code redoBackend.target} and {@code flushPolicy.target} are filters the supervisor applies
 * itself, so that a target nothing matches (for example the active backend's bundle stopped)
 * moves the files to another backend instead of deactivating the engine, and a changed target is
 * a swap. A changed configuration arrives in {@link #modified}; settings that only apply at start
 * are reported in status as waiting for a restart.
 *
 * <p>Buffer pool and redo log implementations are offered the same way and chosen by
 * {@code bufferPool.target} and {@code redoLog.target}; a change replaces the pool or hands the log
 * over in the running engine.
 *
 * <p>Opening may recover for a long time, so it runs on the supervisor's thread and the services
 * appear only when the engine is RUNNING. A setting the engine cannot use, a home held by another
 * process or a part that refuses to work is reported in one line; the component stays active so
 * that a corrected configuration is all the operator has to provide.
 */
@Component(service = {}, immediate = true, configurationPid = EngineComponent.PID)
@Designate(ocd = EngineComponent.Config.class)
public final class EngineComponent {

    static final String PID = "io.cairn.engine";

    /** The framework property naming the server's home (set by io.cairn.launch). */
    static final String HOME_PROPERTY = "cairn.home";

    /** The condition registered when opening ended, successfully or not. */
    public static final String OPENED_CONDITION_ID = "cairn.engine.opened";

    /** Service properties of the registered engine naming what is applied now (see {@link EngineSupervisor#applied()}). */
    public static final String APPLIED_PREFIX = "cairn.applied.";

    private static final System.Logger LOG = System.getLogger("io.cairn.engine");

    @ObjectClassDefinition(name = "Cairn engine",
            description = "The engine's home, sizes, durability and the parts it is assembled from.")
    public @interface Config {
        @AttributeDefinition(name = "Home directory",
                description = "Where data, redo and the doublewrite file live; empty for the server's cairn.home.")
        String home() default "";

        @AttributeDefinition(name = "Page size (KiB)",
                description = "4, 8, 16, 32 or 64 for a new home; 0 keeps the home's own (16 for a new one).")
        int pageSizeKibibytes() default 0;

        @AttributeDefinition(name = "Buffer pool size (MiB)", description = "At least 1; changes while running.")
        long bufferPoolSizeMebibytes() default 128;

        @AttributeDefinition(name = "Redo capacity (MiB)", description = "From 1 to 1048576; changes while running.")
        long redoCapacityMebibytes() default 100;

        @AttributeDefinition(name = "Commit durability",
                description = "0 (PERIODIC), 1 (SYNC_ON_COMMIT) or 2 (WRITE_ON_COMMIT), as innodb_flush_log_at_trx_commit;"
                        + " changes with the next commit.")
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

        @AttributeDefinition(name = "Wait for a storage backend (ms)",
                description = "While no storage backend is available (the active one's bundle stopped and no other takes"
                        + " the files), how long I/O waits for one before it fails; from 0 to 3600000.")
        long noBackendWaitMillis() default EngineSupervisor.Wanted.DEFAULT_NO_BACKEND_WAIT_MILLIS;

        @AttributeDefinition(name = "Data backend filter",
                description = "Which StorageBackend serves data files; a change moves them while the engine runs.")
        String dataBackend_target() default "(cairn.backend=buffered)";

        @AttributeDefinition(name = "Redo backend filter",
                description = "Which StorageBackend serves redo files; a change moves them while the engine runs.")
        String redoBackend_target() default "(cairn.backend=buffered)";

        @AttributeDefinition(name = "Buffer pool filter",
                description = "Which BufferPoolProvider to use; a change replaces the pool while the engine runs"
                        + " (after a full checkpoint; the old pool's pages are copied into the new one).")
        String bufferPool_target() default "(cairn.bufferpool=lru)";

        @AttributeDefinition(name = "Redo log filter",
                description = "Which RedoLogProvider to use; a change hands the log over while the engine runs"
                        + " (after a full checkpoint, the new log continues at the old one's end).")
        String redoLog_target() default "(cairn.redo=cairn)";

        @AttributeDefinition(name = "Flush policy filter",
                description = "Which FlushPolicy plans the page cleaner's rounds; without one the built-in safe policy does.")
        String flushPolicy_target() default "(cairn.policy=adaptive)";
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;

    private final EngineSupervisor supervisor = new EngineSupervisor(new Host());
    private final Object lock = new Object();
    private BundleContext context; // guarded by lock
    private String serverHome;
    private Map<String, Object> delivered = Map.of(); // guarded by lock: the configuration SCR gave us last
    private Config lastUsable; // guarded by lock
    private ServiceRegistration<?> registration; // guarded by lock
    private CairnEngine registered; // guarded by lock
    private ServiceRegistration<?> openedCondition; // guarded by lock
    private Map<String, String> applied = Map.of(); // guarded by lock
    private boolean deactivated; // guarded by lock

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        synchronized (lock) {
            context = bundleContext;
            serverHome = bundleContext.getProperty(HOME_PROPERTY);
        }
        properties = newest(properties);
        OperatorConfigurationFile file = unloadedConfigurationFile(properties);
        if (file == null) {
            configure(properties, "");
        } else {
            // The operator's file is there but the configuration does not hold its settings yet:
            // FileInstall may not have loaded it, or SCR activated us with the empty configuration
            // FileInstall creates first (OperatorConfigurationFile). Opening now would use the
            // defaults and leave start-only settings for a restart.
            LOG.log(System.Logger.Level.INFO, "waiting for " + file + " to be loaded before the engine opens");
            synchronized (lock) {
                provisional = properties;
                provisionalUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONFIGURATION_FILE_WAIT_MILLIS);
            }
        }
        supervisor.start();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        properties = newest(properties);
        synchronized (lock) {
            if (provisional != null) {
                if (unloadedConfigurationFile(properties) != null) {
                    provisional = properties; // still not the file's settings: keep waiting
                    return;
                }
                provisional = null;
            }
        }
        configure(properties, "");
    }

    /**
     * What ConfigAdmin holds now, if it holds anything, else {@code delivered}. SCR's delivery is a
     * notification that may be stale: with two updates in quick succession (FileInstall creates a
     * configuration with only its marker and then fills it in), SCR has delivered the older one
     * after the newer one (osgi-build.md).
     */
    private Map<String, Object> newest(Map<String, Object> delivered) {
        Map<String, Object> held = heldByConfigurationAdmin();
        return held == null ? delivered : held;
    }

    /** The engine's configuration as ConfigAdmin holds it now, or null if none or no ConfigAdmin. */
    private Map<String, Object> heldByConfigurationAdmin() {
        ConfigurationAdmin admin = configurationAdmin;
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return null;
            }
            return toMap(found[0].getProperties());
        } catch (java.io.IOException | InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    /** How long the engine waits at activation for FileInstall to load {@code etc/io.cairn.engine.cfg}. */
    private static final long CONFIGURATION_FILE_WAIT_MILLIS = 10_000;

    /** The configuration given at activation while the file's is awaited, or null. */
    private Map<String, Object> provisional; // guarded by lock
    private long provisionalUntilNanos; // guarded by lock

    /**
     * The server home's {@code etc/io.cairn.engine.cfg} (or {@code .config}) if it exists and
     * {@code properties} do not hold its settings yet; else null.
     */
    private OperatorConfigurationFile unloadedConfigurationFile(Map<String, Object> properties) {
        OperatorConfigurationFile file = OperatorConfigurationFile.find(serverHome, PID);
        return file == null || file.isReflectedBy(properties) ? null : file;
    }

    /** Hands a configuration to the supervisor, or the last usable one with the reason this one is not. */
    private void configure(Map<String, Object> properties, String source) {
        Config config = configOf(properties);
        EngineSupervisor.Wanted wanted;
        Config usable;
        synchronized (lock) {
            delivered = relevant(properties);
            usable = lastUsable;
        }
        try {
            wanted = wanted(config, serverHome, null);
            usable = config;
        } catch (InvalidSettingException e) {
            String problem = "configuration " + PID + source + ": " + e.getMessage();
            if (usable == null) {
                LOG.log(System.Logger.Level.ERROR, problem + "; the engine does not start until it is corrected");
                registerOpenedConditionIfNone(problem);
                return;
            }
            LOG.log(System.Logger.Level.ERROR, problem + "; keeping the previous settings");
            wanted = wanted(usable, serverHome, problem + "; keeping the previous settings");
        }
        synchronized (lock) {
            lastUsable = usable;
        }
        supervisor.configure(wanted);
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            deactivated = true;
            unregister(registration);
            registration = null;
            unregister(openedCondition);
            openedCondition = null;
        }
        supervisor.close(); // closes the engine after its services are gone
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
    }

    // ------------------------------------------------------------------------ parts on offer

    @Reference(name = "backends", service = StorageBackend.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeBackend", updated = "updatedBackend")
    void addBackend(StorageBackend backend, Map<String, Object> properties) {
        supervisor.offerBackend(serviceId(properties), backend, properties);
    }

    void updatedBackend(StorageBackend backend, Map<String, Object> properties) {
        supervisor.offerBackend(serviceId(properties), backend, properties);
    }

    void removeBackend(StorageBackend backend, Map<String, Object> properties) {
        supervisor.withdrawBackend(serviceId(properties));
    }

    @Reference(name = "policies", service = FlushPolicy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removePolicy", updated = "updatedPolicy")
    void addPolicy(FlushPolicy policy, Map<String, Object> properties) {
        supervisor.offerPolicy(serviceId(properties), policy, properties);
    }

    void updatedPolicy(FlushPolicy policy, Map<String, Object> properties) {
        supervisor.offerPolicy(serviceId(properties), policy, properties);
    }

    void removePolicy(FlushPolicy policy, Map<String, Object> properties) {
        supervisor.withdrawPolicy(serviceId(properties));
    }

    @Reference(name = "pools", service = BufferPoolProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removePool", updated = "updatedPool")
    void addPool(BufferPoolProvider provider, Map<String, Object> properties) {
        supervisor.offerPool(serviceId(properties), provider, properties);
    }

    void updatedPool(BufferPoolProvider provider, Map<String, Object> properties) {
        supervisor.offerPool(serviceId(properties), provider, properties);
    }

    void removePool(BufferPoolProvider provider, Map<String, Object> properties) {
        supervisor.withdrawPool(serviceId(properties));
    }

    @Reference(name = "redoLogs", service = RedoLogProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeRedoLog", updated = "updatedRedoLog")
    void addRedoLog(RedoLogProvider provider, Map<String, Object> properties) {
        supervisor.offerRedoLog(serviceId(properties), provider, properties);
    }

    void updatedRedoLog(RedoLogProvider provider, Map<String, Object> properties) {
        supervisor.offerRedoLog(serviceId(properties), provider, properties);
    }

    void removeRedoLog(RedoLogProvider provider, Map<String, Object> properties) {
        supervisor.withdrawRedoLog(serviceId(properties));
    }

    private static long serviceId(Map<String, Object> properties) {
        return (Long) properties.get(Constants.SERVICE_ID);
    }

    // ------------------------------------------------------------------------ the host side

    private final class Host implements EngineSupervisor.Host {
        @Override
        public BufferPoolProvider bufferPool() {
            return null; // the configuration always names one (bufferPool.target), chosen from the offers
        }

        @Override
        public RedoLogProvider redoLog() {
            return null; // the configuration always names one (redoLog.target), chosen from the offers
        }

        @Override
        public void opened(CairnEngine engine) {
            synchronized (lock) {
                if (deactivated) {
                    return; // the supervisor closes it
                }
                try {
                    registration = context.registerService(
                            new String[] {Engine.class.getName(), StatusService.class.getName()}, engine,
                            serviceProperties(engine));
                    registered = engine;
                    // Only now: whoever waits for the condition expects to find the engine's services.
                    registerOpenedCondition("running");
                } catch (IllegalStateException bundleStopping) {
                    registration = null;
                }
            }
        }

        @Override
        public void openFailed(String problem) {
            registerOpenedConditionIfNone(problem);
        }

        @Override
        public void applied(Map<String, String> now) {
            synchronized (lock) {
                applied = now;
                if (registration != null) {
                    try {
                        registration.setProperties(serviceProperties(registered));
                    } catch (IllegalStateException bundleStopping) {
                        // going away anyway
                    }
                }
            }
        }

        /**
         * SCR can coalesce back-to-back updates of one configuration and deliver an older one
         * last (osgi-build.md): compare with what ConfigAdmin holds and apply that if it differs.
         */
        @Override
        public void recheck() {
            Map<String, Object> waiting;
            boolean expired;
            synchronized (lock) {
                waiting = provisional;
                expired = waiting != null && System.nanoTime() > provisionalUntilNanos;
                if (expired) {
                    provisional = null;
                }
            }
            if (expired) {
                LOG.log(System.Logger.Level.WARNING, "the configuration file in " + serverHome + "/etc was not loaded"
                        + " within " + CONFIGURATION_FILE_WAIT_MILLIS / 1000 + " s; the engine opens with the"
                        + " configuration it was given");
                configure(waiting, "");
                return;
            }
            Map<String, Object> current = heldByConfigurationAdmin();
            if (current == null) {
                return;
            }
            Map<String, Object> last;
            synchronized (lock) {
                last = delivered;
            }
            Map<String, Object> held = relevant(current);
            if (waiting != null && unloadedConfigurationFile(current) != null) {
                return; // ConfigAdmin does not hold the file's settings yet either
            }
            if (waiting != null) {
                synchronized (lock) {
                    provisional = null;
                }
            }
            if (waiting != null) {
                LOG.log(System.Logger.Level.INFO, "configuration " + PID + ": loaded from "
                        + current.get(OperatorConfigurationFile.FILEINSTALL_MARKER) + "; the engine opens with it");
                configure(current, " (from ConfigAdmin)");
            } else if (!held.equals(last)) {
                LOG.log(System.Logger.Level.INFO, "configuration " + PID + ": ConfigAdmin holds " + held
                        + ", the component was given " + last + " last (an update SCR coalesced?); applying ConfigAdmin's");
                configure(current, " (from ConfigAdmin)");
            }
        }
    }

    private Dictionary<String, Object> serviceProperties(CairnEngine engine) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("cairn.home", engine.home().toString());
        applied.forEach((key, value) -> properties.put(APPLIED_PREFIX + key, value));
        String data = applied.get("dataBackend");
        String redo = applied.get("redoBackend");
        if (data != null) {
            properties.put(StorageBackend.NAME_PROPERTY + ".data", data);
        }
        if (redo != null) {
            properties.put(StorageBackend.NAME_PROPERTY + ".redo", redo);
        }
        return properties;
    }

    /** Tells scripts waiting for the server ({@code cairn.exec}) that opening ended, either way. */
    private void registerOpenedConditionIfNone(String outcome) {
        synchronized (lock) {
            if (openedCondition == null) {
                registerOpenedCondition(outcome);
            }
        }
    }

    private void registerOpenedCondition(String outcome) {
        if (deactivated || context == null) {
            return;
        }
        unregister(openedCondition);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Condition.CONDITION_ID, OPENED_CONDITION_ID);
        properties.put("cairn.engine.outcome", outcome);
        try {
            openedCondition = context.registerService(Condition.class, Condition.INSTANCE, properties);
        } catch (IllegalStateException bundleStopping) {
            openedCondition = null;
        }
    }

    // ------------------------------------------------------------------------ configuration

    /** The configuration keys of {@link Config}, as properties are named (an underscore is a dot). */
    private static final Map<String, Method> KEYS = new TreeMap<>();

    static {
        for (Method m : Config.class.getDeclaredMethods()) {
            KEYS.put(m.getName().replace('_', '.'), m);
        }
    }

    /** Only the keys this component reads, with values as strings: what "the same configuration" means. */
    private static Map<String, Object> relevant(Map<String, Object> properties) {
        Map<String, Object> kept = new TreeMap<>();
        for (String key : KEYS.keySet()) {
            Object value = properties.get(key);
            if (value != null) {
                kept.put(key, String.valueOf(value));
            }
        }
        return kept;
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, dictionary.get(key));
        }
        return map;
    }

    /**
     * A {@link Config} backed by a property map (values as SCR or ConfigAdmin hold them, or
     * strings from a {@code .cfg} file), falling back to the annotation's defaults.
     */
    static Config configOf(Map<String, Object> properties) {
        Map<String, Object> copy = new HashMap<>(properties);
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return Config.class;
                        case "toString":
                            return "Config" + relevant(copy);
                        case "hashCode":
                            return copy.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            break;
                    }
                    Object value = copy.get(method.getName().replace('_', '.'));
                    return value == null ? method.getDefaultValue() : convert(method, value);
                });
    }

    private static Object convert(Method method, Object value) {
        Class<?> type = method.getReturnType();
        String key = method.getName().replace('_', '.');
        if (type == String.class) {
            return String.valueOf(value);
        }
        String text = String.valueOf(value).trim();
        try {
            if (type == int.class) {
                return value instanceof Number n ? n.intValue() : Integer.parseInt(text);
            }
            if (type == long.class) {
                return value instanceof Number n ? n.longValue() : Long.parseLong(text);
            }
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, text, "a whole number");
        }
        throw new IllegalStateException("no conversion to " + type + " for " + key);
    }

    /** What the supervisor should apply for {@code config}; throws naming the first unusable setting. */
    static EngineSupervisor.Wanted wanted(Config config, String serverHome, String problem) {
        InvalidSettingException.requireRange("noBackendWaitMillis", config.noBackendWaitMillis(), 0, 3_600_000);
        return new EngineSupervisor.Wanted(engineConfig(config, serverHome),
                selector("dataBackend.target", config.dataBackend_target()),
                selector("redoBackend.target", config.redoBackend_target()),
                selector("flushPolicy.target", config.flushPolicy_target()), problem, config.noBackendWaitMillis(),
                selector("bufferPool.target", config.bufferPool_target()),
                selector("redoLog.target", config.redoLog_target()));
    }

    private static EngineSupervisor.Selector selector(String key, String filterText) {
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter(filterText);
        } catch (InvalidSyntaxException e) {
            throw new InvalidSettingException(key, filterText, "an LDAP filter such as (cairn.backend=direct)");
        }
        return new EngineSupervisor.Selector(filterText, filter::matches);
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
