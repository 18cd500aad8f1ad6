package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.kv.Table;
import io.cairn.kv.workload.KeyDistribution;
import io.cairn.kv.workload.Workload;
import io.cairn.kv.workload.WorkloadDriver;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadDriverTest {

    @TempDir
    Path root;

    @Test
    void everyWorkloadMustRunItsOperationsAndReportEachSecond() throws Exception {
        try (BTreeStore store = TestStores.open(TestStores.config(root.resolve("home"), 16384))) {
            Table table = store.createTable("bench");
            List<String> loadLines = new ArrayList<>();
            WorkloadDriver.load(store, table, 5000, 100, 500, loadLines::add);
            assertEquals(5000, table.count());
            assertTrue(loadLines.get(loadLines.size() - 1).contains("100% 5,000/5,000 keys"), loadLines.toString());
            for (Workload workload : Workload.values()) {
                for (KeyDistribution distribution : KeyDistribution.values()) {
                    List<String> lines = new CopyOnWriteArrayList<>();
                    StringWriter csv = new StringWriter();
                    WorkloadDriver.Summary summary = WorkloadDriver.run(store, table,
                            WorkloadDriver.Settings.of(workload, 2, 5000).withDistribution(distribution)
                                    .withOperations(400), lines::add, csv);
                    String where = workload + " " + distribution;
                    assertTrue(summary.operations() >= 400 && summary.operations() < 400 + 2, where + ": " + summary.line());
                    assertTrue(summary.p50Nanos() > 0 && summary.p99Nanos() >= summary.p50Nanos(), summary.line());
                    assertEquals(summary.seconds().size(), lines.size(), where);
                    assertTrue(lines.get(lines.size() - 1).contains("ops/s"), lines.toString());
                    assertEquals(lines.size() + 1, csv.toString().lines().count(), "a header and a line per second");
                }
            }
            assertTrue(table.count() >= 5000 + 400, "inserts added new keys");
            assertArrayEquals(WorkloadDriver.key(1), new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
            assertEquals(List.of(), store.verify());
        }
    }

    @Test
    void aRunMustLastItsDurationAndStopItsThreads() throws Exception {
        try (BTreeStore store = TestStores.open(TestStores.config(root.resolve("home"), 16384))) {
            Table table = store.createTable("bench");
            WorkloadDriver.load(store, table, 1000, 10, 1000, line -> { });
            WorkloadDriver.Summary summary = WorkloadDriver.run(store, table,
                    WorkloadDriver.Settings.of(Workload.POINT_GET, 2, 1000).withDurationMillis(2000), line -> { }, null);
            assertTrue(summary.elapsedMillis() >= 2000, summary.line());
            assertEquals(2, summary.seconds().size(), summary.seconds().toString());
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                assertTrue(!t.getName().startsWith("cairn-bench-") || !t.isAlive(), t.getName() + " still runs");
            }
        }
    }

    @Test
    void badSettingsMustNameTheSettingAndTheAllowedValues() {
        InvalidSettingException threads = assertThrows(InvalidSettingException.class,
                () -> WorkloadDriver.Settings.of(Workload.MIX, 0, 10));
        assertTrue(threads.getMessage().contains("threads=0"), threads.getMessage());
        InvalidSettingException workload = assertThrows(InvalidSettingException.class,
                () -> Workload.parse("workload", "point-put"));
        assertTrue(workload.getMessage().contains("point-get, point-update, insert, range-scan, mix"), workload.getMessage());
        assertThrows(InvalidSettingException.class, () -> KeyDistribution.parse("distribution", "normal"));
    }
}
