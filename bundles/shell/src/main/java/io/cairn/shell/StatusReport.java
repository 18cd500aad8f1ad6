package io.cairn.shell;

import io.cairn.engine.EnginePhase;
import io.cairn.status.EngineStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Formats what {@code cairn:status} prints. Plain Java so it is tested without a framework; the
 * Gogo command only collects the inputs.
 */
public final class StatusReport {

    private StatusReport() {
    }

    /**
     * @param backends the registered storage backends
     * @param policies the registered flush policies
     * @param enginePhase the engine's phase, or null when no engine is registered
     * @param engineStatus the engine's status snapshot, or null when no status service is registered
     */
    public static String format(List<ServiceInfo> backends, List<ServiceInfo> policies, EnginePhase enginePhase,
            EngineStatus engineStatus) {
        return format(backends, policies, List.of(), null, enginePhase, engineStatus);
    }

    /**
     * The same with the buffer pool implementations.
     *
     * @param pools the registered buffer pool providers
     * @param poolInUse the name of the one the engine uses, or null when unknown
     */
    public static String format(List<ServiceInfo> backends, List<ServiceInfo> policies, List<ServiceInfo> pools,
            String poolInUse, EnginePhase enginePhase, EngineStatus engineStatus) {
        return format(backends, policies, pools, poolInUse, List.of(), null, enginePhase, engineStatus);
    }

    /**
     * The same with the redo log implementations.
     *
     * @param redoLogs the registered redo log providers
     * @param redoLogInUse the name of the one holding the engine's log, or null when unknown
     */
    public static String format(List<ServiceInfo> backends, List<ServiceInfo> policies, List<ServiceInfo> pools,
            String poolInUse, List<ServiceInfo> redoLogs, String redoLogInUse, EnginePhase enginePhase,
            EngineStatus engineStatus) {
        StringBuilder out = new StringBuilder();
        out.append("Cairn status\n");
        out.append("  engine: ").append(enginePhase == null ? "no engine yet" : enginePhase.name()).append('\n');
        if (engineStatus != null) {
            appendEngine(out, engineStatus, poolInUse, redoLogInUse);
        }
        appendServices(out, "storage backends", backends);
        appendServices(out, "flush policies", policies);
        if (!pools.isEmpty()) {
            appendServices(out, "buffer pools", pools);
        }
        if (!redoLogs.isEmpty()) {
            appendServices(out, "redo logs", redoLogs);
        }
        return out.toString();
    }

    private static void appendServices(StringBuilder out, String title, List<ServiceInfo> services) {
        out.append("  ").append(title).append(" (").append(services.size()).append("):");
        if (services.isEmpty()) {
            out.append(" none installed\n");
            return;
        }
        out.append('\n');
        for (ServiceInfo s : services) {
            out.append("    ").append(s.name()).append(": ").append(s.description())
                    .append("  [").append(s.bundle()).append("]\n");
            if (!s.properties().isEmpty()) {
                out.append("      ").append(join(s.properties())).append('\n');
            }
            if (!s.detected().isEmpty()) {
                out.append("      detected: ").append(join(s.detected())).append('\n');
            }
        }
    }

    private static void appendEngine(StringBuilder out, EngineStatus s, String poolInUse, String redoLogInUse) {
        out.append("  home: ").append(s.home()).append(", page size ").append(s.pageSizeBytes()).append(" bytes\n");
        if (s.redo() != null) {
            long ageBytes = s.redo().currentLsn() - s.redo().checkpointLsn();
            out.append("  redo: ").append(redoLogInUse == null ? "" : redoLogInUse + ", ")
                    .append("current LSN ").append(s.redo().currentLsn())
                    .append(", flushed ").append(s.redo().flushedLsn())
                    .append(", checkpoint ").append(s.redo().checkpointLsn())
                    .append(String.format(java.util.Locale.ROOT, ", age %,d bytes (%.1f%% of %,d)", ageBytes,
                            100.0 * ageBytes / Math.max(1, s.redo().capacityBytes()), s.redo().capacityBytes()))
                    .append(", pressure ").append(s.redoPressure()).append('\n');
            out.append("  commit durability: ").append(s.redo().defaultDurability()).append('\n');
        }
        if (s.bufferPool() != null) {
            out.append(String.format(java.util.Locale.ROOT, "  buffer pool: %s%d frames, %d free, %.1f%% dirty, hit rate %.3f%n",
                    poolInUse == null ? "" : poolInUse + ", ", s.bufferPool().totalFrames(), s.bufferPool().freeFrames(), s.bufferPool().dirtyPct(),
                    s.bufferPool().hitRate()));
        }
        if (s.dataBackend() != null) {
            out.append("  data backend: ").append(s.dataBackend().name()).append(", redo backend: ")
                    .append(s.redoBackend() == null ? "?" : s.redoBackend().name()).append('\n');
        }
        if (s.flush() != null) {
            out.append("  page cleaner: ").append(s.flush().rounds()).append(" rounds, policy ")
                    .append(s.flush().policyName());
            if (!s.flush().activeLimits().isEmpty()) {
                out.append(", limits ").append(s.flush().activeLimits());
            }
            out.append('\n');
        }
        out.append("  tables and tablespaces (").append(s.tablespaces().size()).append(")");
        for (io.cairn.status.TablespaceStatus t : s.tablespaces()) {
            out.append(t == s.tablespaces().get(0) ? ": " : ", ").append(t.name()).append(" #").append(t.spaceId())
                    .append(' ').append(t.sizePages()).append(" pages");
            if (t.state() != io.cairn.engine.TablespaceState.ACTIVE) {
                out.append(' ').append(t.state());
            }
        }
        out.append('\n');
        for (io.cairn.status.WaitStatus w : s.waits()) {
            out.append("  waiting: ").append(w.waiter()).append(" for ").append(w.waitsFor()).append(" (")
                    .append(w.waitedMillis()).append(" ms, progress owner ").append(w.progressOwner()).append(")\n");
        }
        if (s.configurationProblem() != null) {
            out.append("  configuration problem: ").append(s.configurationProblem()).append('\n');
        }
    }

    /**
     * What a backend reports for a directory, flattened for display: capabilities first, then the
     * backend's own facts.
     */
    public static Map<String, String> detected(io.cairn.io.IoCapabilities caps) {
        Map<String, String> detected = new java.util.LinkedHashMap<>();
        detected.put("fileSystem", caps.fileSystemType());
        detected.put("direct", Boolean.toString(caps.direct()));
        detected.put("bufferAlignmentBytes", Integer.toString(caps.bufferAlignmentBytes()));
        detected.put("offsetAlignmentBytes", Integer.toString(caps.offsetAlignmentBytes()));
        detected.put("atomicWriteUnitBytes", Integer.toString(caps.atomicWriteUnitBytes()));
        detected.put("writeDurableOnReturn", Boolean.toString(caps.writeDurableOnReturn()));
        detected.put("needsSyncAfterResize", Boolean.toString(caps.needsSyncAfterResize()));
        detected.putAll(caps.facts());
        return detected;
    }

    private static String join(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
