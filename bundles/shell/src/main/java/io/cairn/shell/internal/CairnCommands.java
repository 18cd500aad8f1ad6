package io.cairn.shell.internal;

import io.cairn.engine.Engine;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.shell.ServiceInfo;
import io.cairn.shell.StatusReport;
import io.cairn.status.StatusService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Gogo commands of scope {@code cairn}. Services come and go while the shell runs (that is the
 * point of Cairn), so every reference is dynamic and the commands read whatever is bound now.
 */
@Component(service = CairnCommands.class, immediate = true, property = {
    "osgi.command.scope=cairn",
    "osgi.command.function=status",
    "osgi.command.function=shutdown"
})
public final class CairnCommands {

    private final Map<ServiceReference<StorageBackend>, StorageBackend> backends = new ConcurrentHashMap<>();
    private final Map<ServiceReference<FlushPolicy>, FlushPolicy> policies = new ConcurrentHashMap<>();
    private final Map<ServiceReference<io.cairn.bufferpool.BufferPoolProvider>, io.cairn.bufferpool.BufferPoolProvider>
            pools = new ConcurrentHashMap<>();
    private final Map<ServiceReference<io.cairn.redo.RedoLogProvider>, io.cairn.redo.RedoLogProvider>
            redoLogs = new ConcurrentHashMap<>();
    private volatile Engine engine;
    /** The engine service's {@code cairn.applied.bufferPool}: which pool implementation it uses. */
    private volatile String poolInUse;
    /** The engine service's {@code cairn.applied.redoLog}: which redo log implementation holds its log. */
    private volatile String redoLogInUse;
    private volatile StatusService statusService;

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, updated = "updatedEngine")
    void setEngine(Engine engine, Map<String, Object> properties) {
        this.engine = engine;
        updatedEngine(engine, properties);
    }

    void updatedEngine(Engine engine, Map<String, Object> properties) {
        Object pool = properties.get("cairn.applied.bufferPool");
        poolInUse = pool == null ? null : pool.toString();
        Object redoLog = properties.get("cairn.applied.redoLog");
        redoLogInUse = redoLog == null ? null : redoLog.toString();
    }

    void unsetEngine(Engine engine) {
        if (this.engine == engine) {
            this.engine = null;
            poolInUse = null;
            redoLogInUse = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPool(ServiceReference<io.cairn.bufferpool.BufferPoolProvider> ref, io.cairn.bufferpool.BufferPoolProvider pool) {
        pools.put(ref, pool);
    }

    void removePool(ServiceReference<io.cairn.bufferpool.BufferPoolProvider> ref) {
        pools.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRedoLog(ServiceReference<io.cairn.redo.RedoLogProvider> ref, io.cairn.redo.RedoLogProvider redoLog) {
        redoLogs.put(ref, redoLog);
    }

    void removeRedoLog(ServiceReference<io.cairn.redo.RedoLogProvider> ref) {
        redoLogs.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setStatusService(StatusService service) {
        this.statusService = service;
    }

    void unsetStatusService(StatusService service) {
        if (this.statusService == service) {
            this.statusService = null;
        }
    }

    @Descriptor("show what is installed and running: storage backends, flush policies, engine phase")
    public String status() {
        Engine currentEngine = engine;
        StatusService currentStatus = statusService;
        return StatusReport.format(
                describe(backends, StorageBackend.NAME_PROPERTY, StorageBackend::describe, CairnCommands::probeDataDirectory),
                describe(policies, FlushPolicy.NAME_PROPERTY, FlushPolicy::describe, policy -> Map.of()),
                describe(pools, "cairn.bufferpool", pool -> pool.name() + " buffer pool", pool -> Map.of()),
                currentEngine == null ? null : poolInUse,
                describe(redoLogs, io.cairn.redo.RedoLogProvider.NAME_PROPERTY, redoLog -> redoLog.name() + " redo log",
                        redoLog -> Map.of()),
                currentEngine == null ? null : redoLogInUse,
                currentEngine == null ? null : currentEngine.phase(),
                currentStatus == null ? null : currentStatus.engineStatus());
    }

    @Descriptor("stop the server cleanly: components deactivate, the process exits with status 0")
    public String shutdown() {
        Thread exit = new Thread(() -> System.exit(0), "cairn-shutdown");
        exit.start();
        return "Cairn is shutting down";
    }

    /**
     * What a backend detects for the home's data directory (created if needed, as the engine
     * would). A failing probe is shown as its one-line message, never as a stack trace.
     */
    private static Map<String, String> probeDataDirectory(StorageBackend backend) {
        String home = System.getProperty("cairn.home");
        if (home == null) {
            return Map.of("probe", "cairn.home is not set");
        }
        try {
            java.nio.file.Path data = java.nio.file.Path.of(home, "data").toAbsolutePath();
            backend.createDirectories(data);
            return StatusReport.detected(backend.probe(data));
        } catch (Exception e) {
            return Map.of("probeError", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static <S> List<ServiceInfo> describe(Map<ServiceReference<S>, S> services, String nameProperty,
            java.util.function.Function<S, String> describer, java.util.function.Function<S, Map<String, String>> detector) {
        List<ServiceInfo> infos = new ArrayList<>();
        services.forEach((ref, service) -> {
            String description;
            try {
                description = describer.apply(service);
            } catch (RuntimeException e) {
                // A plug-in's describe() must not break the status command.
                description = "(describe failed: " + e + ")";
            }
            Map<String, String> detected;
            try {
                detected = detector.apply(service);
            } catch (RuntimeException e) {
                detected = Map.of("probeError", String.valueOf(e.getMessage()));
            }
            infos.add(new ServiceInfo(String.valueOf(ref.getProperty(nameProperty)), description,
                    cairnProperties(ref), bundleName(ref.getBundle()), detected));
        });
        infos.sort(Comparator.comparing(ServiceInfo::name));
        return infos;
    }

    private static Map<String, String> cairnProperties(ServiceReference<?> ref) {
        Map<String, String> properties = new TreeMap<>();
        for (String key : ref.getPropertyKeys()) {
            if (key.startsWith("cairn.") || key.equals(Constants.SERVICE_RANKING)) {
                Object value = ref.getProperty(key);
                properties.put(key, value instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(value));
            }
        }
        return properties;
    }

    private static String bundleName(Bundle bundle) {
        return bundle == null ? "unregistered" : bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
