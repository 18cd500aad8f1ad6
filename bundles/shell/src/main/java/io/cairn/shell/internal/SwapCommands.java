package io.cairn.shell.internal;

import io.cairn.engine.Engine;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.status.EngineStatus;
import io.cairn.status.StatusService;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The swap commands of scope {@code cairn}: {@code backend}, {@code policy}, {@code durability} and
 * {@code pool} and {@code redolog}.
 * Each writes the configuration (the same as editing {@code etc/io.cairn.engine.cfg}) and returns
 * once the running engine reports the change applied, or with the engine's reason why not.
 */
@Component(service = SwapCommands.class, immediate = true, property = {
    "osgi.command.scope=cairn",
    "osgi.command.function=backend",
    "osgi.command.function=policy",
    "osgi.command.function=durability",
    "osgi.command.function=pool",
    "osgi.command.function=redolog"
})
public final class SwapCommands {

    private static final long TIMEOUT_MILLIS = 60_000;

    private final Map<ServiceReference<StorageBackend>, StorageBackend> backends = new ConcurrentHashMap<>();
    private final Map<ServiceReference<FlushPolicy>, FlushPolicy> policies = new ConcurrentHashMap<>();
    private final Map<ServiceReference<io.cairn.bufferpool.BufferPoolProvider>, io.cairn.bufferpool.BufferPoolProvider>
            pools = new ConcurrentHashMap<>();
    private final Map<ServiceReference<io.cairn.redo.RedoLogProvider>, io.cairn.redo.RedoLogProvider>
            redoLogs = new ConcurrentHashMap<>();
    private volatile ConfigurationAdmin configurationAdmin;
    private volatile ServiceReference<Engine> engine;
    private volatile StatusService status;
    private final Swaps swaps = new Swaps(new AdminStore(), new View(), TIMEOUT_MILLIS,
            Swaps.DEFAULT_RETRY_AFTER_MILLIS);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin = admin;
    }

    void unsetConfigurationAdmin(ConfigurationAdmin admin) {
        if (configurationAdmin == admin) {
            configurationAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, service = Engine.class)
    void setEngine(ServiceReference<Engine> ref) {
        engine = ref;
    }

    void unsetEngine(ServiceReference<Engine> ref) {
        if (ref.equals(engine)) {
            engine = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setStatus(StatusService service) {
        status = service;
    }

    void unsetStatus(StatusService service) {
        if (status == service) {
            status = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(ServiceReference<StorageBackend> ref, StorageBackend backend) {
        backends.put(ref, backend);
    }

    void removeBackend(ServiceReference<StorageBackend> ref) {
        backends.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(ServiceReference<FlushPolicy> ref, FlushPolicy policy) {
        policies.put(ref, policy);
    }

    void removePolicy(ServiceReference<FlushPolicy> ref) {
        policies.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPool(ServiceReference<io.cairn.bufferpool.BufferPoolProvider> ref, io.cairn.bufferpool.BufferPoolProvider pool) {
        pools.put(ref, pool);
    }

    void removePool(ServiceReference<io.cairn.bufferpool.BufferPoolProvider> ref) {
        pools.remove(ref);
    }

    @Descriptor("replace the buffer pool implementation while the engine runs (a full checkpoint, then the old"
            + " pool's pages are copied into the new one)")
    public String pool(@Descriptor("NAME (the provider's cairn.bufferpool)") String... args) {
        return swaps.pool(installedName("pool", "buffer pool", pools, "cairn.bufferpool", args));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRedoLog(ServiceReference<io.cairn.redo.RedoLogProvider> ref, io.cairn.redo.RedoLogProvider redoLog) {
        redoLogs.put(ref, redoLog);
    }

    void removeRedoLog(ServiceReference<io.cairn.redo.RedoLogProvider> ref) {
        redoLogs.remove(ref);
    }

    @Descriptor("hand the redo log over to another implementation while the engine runs (a full checkpoint, then the"
            + " new log continues at the old one's end)")
    public String redolog(@Descriptor("NAME (the provider's cairn.redo)") String... args) {
        return swaps.redoLog(installedName("redolog", "redo log implementation", redoLogs, "cairn.redo", args));
    }

    /** The one name {@code args} holds, if a service of {@code services} has it as {@code property}. */
    private static String installedName(String command, String what, Map<? extends ServiceReference<?>, ?> services,
            String property, String... args) {
        if (args.length != 1) {
            throw new IllegalArgumentException(command + " takes one " + what + " name, got " + args.length
                    + " arguments; usage: cairn:" + command + " NAME");
        }
        boolean installed = services.keySet().stream().anyMatch(ref -> args[0].equals(ref.getProperty(property)));
        if (!installed) {
            throw new IllegalArgumentException("no " + what + " named '" + args[0] + "' is installed; installed: "
                    + names(services, property));
        }
        return args[0];
    }

    private static final String BACKEND_USAGE = "cairn:backend data|redo NAME [key=value ...]";

    @Descriptor("move the data or redo files to another storage backend while the engine runs, optionally"
            + " changing that backend's settings first (for example flushMethod=O_DSYNC for direct)")
    public String backend(@Descriptor("data|redo NAME [key=value ...]") String... args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("backend takes a role and a backend name, got " + args.length
                    + " arguments; usage: " + BACKEND_USAGE);
        }
        String role = args[0];
        if (!role.equals("data") && !role.equals("redo")) {
            throw new IllegalArgumentException("the role must be data or redo, was '" + role + "'; usage: " + BACKEND_USAGE);
        }
        String name = args[1];
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a backend option is key=value, was '" + args[i] + "'; usage: "
                        + BACKEND_USAGE);
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        if (backendNamed(name) == null) {
            throw new IllegalArgumentException("no storage backend named '" + name + "' is installed; installed: "
                    + names(backends, StorageBackend.NAME_PROPERTY));
        }
        return swaps.backend(role, name, options, () -> {
            // The backend shows its new settings as service properties once it applied them
            // (DS publishes configuration properties); only then is its description the new one.
            for (Map.Entry<ServiceReference<StorageBackend>, StorageBackend> e : backends.entrySet()) {
                if (name.equals(e.getKey().getProperty(StorageBackend.NAME_PROPERTY)) && shows(e.getKey(), options)) {
                    return e.getValue().describe();
                }
            }
            return null;
        });
    }

    @Descriptor("use another flush policy from the next page cleaner round")
    public String policy(@Descriptor("NAME (the policy service's cairn.policy)") String... args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("policy takes one policy name, got " + args.length
                    + " arguments; usage: cairn:policy NAME");
        }
        String name = args[0];
        FlushPolicy policy = null;
        for (Map.Entry<ServiceReference<FlushPolicy>, FlushPolicy> e : policies.entrySet()) {
            if (name.equals(e.getKey().getProperty(FlushPolicy.NAME_PROPERTY))) {
                policy = e.getValue();
            }
        }
        if (policy == null) {
            throw new IllegalArgumentException("no flush policy named '" + name + "' is installed; installed: "
                    + names(policies, FlushPolicy.NAME_PROPERTY));
        }
        return swaps.policy(name, policy.name());
    }

    @Descriptor("set the default commit durability from the next commit: 0 (written and synced about once a second),"
            + " 1 (durable on return), 2 (written on return, synced about once a second)")
    public String durability(@Descriptor("0|1|2") String... args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("durability takes one level, got " + args.length
                    + " arguments; usage: cairn:durability 0|1|2");
        }
        CommitDurability level = CommitDurability.parse("durability", args[0]);
        return swaps.durability(args[0], level.name());
    }

    private static boolean shows(ServiceReference<?> ref, Map<String, String> options) {
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (!option.getValue().equals(String.valueOf(ref.getProperty(option.getKey())))) {
                return false;
            }
        }
        return true;
    }

    private StorageBackend backendNamed(String name) {
        for (Map.Entry<ServiceReference<StorageBackend>, StorageBackend> e : backends.entrySet()) {
            if (name.equals(e.getKey().getProperty(StorageBackend.NAME_PROPERTY))) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String names(Map<? extends ServiceReference<?>, ?> services, String property) {
        TreeSet<String> names = new TreeSet<>();
        services.keySet().forEach(ref -> names.add(String.valueOf(ref.getProperty(property))));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** ConfigAdmin, with configurations bound to any location as the server's .cfg files are. */
    private final class AdminStore implements Swaps.ConfigStore {
        @Override
        public Map<String, Object> read(String pid) {
            Map<String, Object> properties = new LinkedHashMap<>();
            try {
                Configuration[] found = admin().listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
                if (found != null && found.length > 0 && found[0].getProperties() != null) {
                    Dictionary<String, Object> d = found[0].getProperties();
                    for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                        String key = keys.nextElement();
                        properties.put(key, d.get(key));
                    }
                }
            } catch (IOException | InvalidSyntaxException e) {
                throw new IllegalStateException("cannot read the configuration " + pid + ": " + e.getMessage(), e);
            }
            properties.remove(Constants.SERVICE_PID);
            properties.remove("felix.fileinstall.filename"); // FileInstall's own bookkeeping, kept by it
            return properties;
        }

        @Override
        public void write(String pid, Map<String, Object> properties) {
            try {
                Configuration configuration = admin().getConfiguration(pid, "?");
                Dictionary<String, Object> d = configuration.getProperties() == null ? new Hashtable<>()
                        : configuration.getProperties();
                for (Map.Entry<String, Object> e : properties.entrySet()) {
                    d.put(e.getKey(), e.getValue());
                }
                configuration.update(d);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the configuration " + pid + ": " + e.getMessage(), e);
            }
        }

        private ConfigurationAdmin admin() {
            ConfigurationAdmin admin = configurationAdmin;
            if (admin == null) {
                throw new IllegalStateException("ConfigAdmin is not running: the change cannot be made");
            }
            return admin;
        }
    }

    private final class View implements Swaps.EngineView {
        @Override
        public Map<String, String> applied() {
            ServiceReference<Engine> ref = engine;
            Map<String, String> applied = new LinkedHashMap<>();
            if (ref != null) {
                for (String key : ref.getPropertyKeys()) {
                    if (key.startsWith("cairn.applied.")) {
                        applied.put(key.substring("cairn.applied.".length()), String.valueOf(ref.getProperty(key)));
                    }
                }
            }
            return applied;
        }

        @Override
        public String problem() {
            EngineStatus s = engineStatus();
            return s == null ? null : s.configurationProblem();
        }

        @Override
        public String backendDescription(String role) {
            EngineStatus s = engineStatus();
            if (s == null) {
                return null;
            }
            return role.equals("data") ? s.dataBackend().description() : s.redoBackend().description();
        }

        private EngineStatus engineStatus() {
            StatusService service = status;
            return service == null ? null : service.engineStatus();
        }
    }
}
