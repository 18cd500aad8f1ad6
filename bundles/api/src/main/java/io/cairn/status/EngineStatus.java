package io.cairn.status;

import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.engine.EnginePhase;
import io.cairn.redo.RedoStats;
import java.util.List;

/**
 * A whole engine at one moment.
 *
 * @param phase the lifecycle phase
 * @param home the home directory
 * @param pageSizeBytes the page size
 * @param bufferPool the buffer pool's counters
 * @param redo the redo log's positions and counters
 * @param redoPressure the current redo pressure stage
 * @param flush the page cleaner's latest round
 * @param dataBackend the backend serving data files
 * @param redoBackend the backend serving redo files
 * @param tablespaces every tablespace, by id
 * @param waits waits older than the watchdog threshold
 * @param configurationProblem a configuration the engine could not apply (for example a swap that
 *     was rolled back), one line, or null
 */
public record EngineStatus(
        EnginePhase phase,
        String home,
        int pageSizeBytes,
        BufferPoolStats bufferPool,
        RedoStats redo,
        RedoPressure redoPressure,
        FlushStatus flush,
        BackendStatus dataBackend,
        BackendStatus redoBackend,
        List<TablespaceStatus> tablespaces,
        List<WaitStatus> waits,
        String configurationProblem) {

    public EngineStatus {
        tablespaces = List.copyOf(tablespaces);
        waits = List.copyOf(waits);
    }
}
