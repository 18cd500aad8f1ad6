package io.cairn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.EnginePhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void reportMustSayThereIsNoEngineAndListEachBackendWithItsProperties() {
        String report = StatusReport.format(
                List.of(new ServiceInfo("buffered", "buffered(syncMethod=fdatasync)",
                        Map.of("cairn.backend", "buffered"), "io.cairn.io-buffered 1.0.0")),
                List.of(), null, null);
        assertEquals("""
                Cairn status
                  engine: no engine yet
                  storage backends (1):
                    buffered: buffered(syncMethod=fdatasync)  [io.cairn.io-buffered 1.0.0]
                      cairn.backend=buffered
                  flush policies (0): none installed
                """, report);
    }

    @Test
    void reportMustShowWhatEachBackendDetected() {
        var caps = new io.cairn.io.IoCapabilities(4096, 512, true, 0, false, true, false, "xfs", Map.of("flushMethod", "O_DIRECT"));
        String report = StatusReport.format(List.of(new ServiceInfo("direct", "direct(O_DIRECT)", Map.of(), "b 1",
                StatusReport.detected(caps))), List.of(), null, null);
        assertEquals("      detected: fileSystem=xfs, direct=true, bufferAlignmentBytes=4096, offsetAlignmentBytes=512,"
                + " atomicWriteUnitBytes=0, writeDurableOnReturn=false, needsSyncAfterResize=true, flushMethod=O_DIRECT",
                report.lines().filter(l -> l.contains("detected")).findFirst().orElseThrow());
    }

    @Test
    void reportMustShowTheEnginePhaseWhenAnEngineRuns() {
        String report = StatusReport.format(List.of(), List.of(), EnginePhase.RECOVERING, null);
        assertEquals("  engine: RECOVERING", report.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void reportMustListTheBufferPoolImplementationsWhenThereAreAny() {
        String report = StatusReport.format(List.of(), List.of(),
                List.of(new ServiceInfo("clock", "clock buffer pool", Map.of("cairn.bufferpool", "clock"), "io.cairn.bufferpool-clock 1.0.0"),
                        new ServiceInfo("lru", "lru buffer pool", Map.of("cairn.bufferpool", "lru"), "io.cairn.bufferpool 1.0.0")),
                "clock", null, null);
        assertTrue(report.endsWith("""
                  buffer pools (2):
                    clock: clock buffer pool  [io.cairn.bufferpool-clock 1.0.0]
                      cairn.bufferpool=clock
                    lru: lru buffer pool  [io.cairn.bufferpool 1.0.0]
                      cairn.bufferpool=lru
                """), report);
        assertFalse(StatusReport.format(List.of(), List.of(), null, null).contains("buffer pools"),
                "no section without any pool");
    }

    @Test
    void installedRedoLogImplementationsMustBeListed() {
        String report = StatusReport.format(List.of(), List.of(), List.of(), null,
                List.of(new ServiceInfo("cairn", "cairn redo log", Map.of("cairn.redo", "cairn"), "io.cairn.redo 1.0.0"),
                        new ServiceInfo("circular", "circular redo log", Map.of("cairn.redo", "circular"),
                                "io.cairn.redo-circular 1.0.0")),
                "circular", EnginePhase.RUNNING, null);
        assertTrue(report.contains("  redo logs (2):\n    cairn: cairn redo log"), report);
        assertFalse(StatusReport.format(List.of(), List.of(), null, null).contains("redo logs"),
                "no section without any redo log");
    }
}
