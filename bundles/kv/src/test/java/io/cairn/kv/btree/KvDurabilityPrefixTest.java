package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.kv.Table;
import io.cairn.redo.CommitDurability;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With durability 0 (periodic) or 2 (written, not synced) a power loss may lose acknowledged
 * batches, but what survives must be a prefix of the committed sequence with no holes: batch
 * {@code i} puts entry {@code i} and sets {@code last} to {@code i}, so after recovery exactly the
 * entries 1 to {@code last} exist.
 */
class KvDurabilityPrefixTest {

    @TempDir
    Path root;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void afterAPowerLossTheTableMustHoldAPrefixOfTheCommitsWithoutHoles() throws Exception {
        long seed = Long.getLong("cairn.test.kvPrefixSeed", System.nanoTime());
        int scenario = 0;
        for (CommitDurability durability : List.of(CommitDurability.PERIODIC, CommitDurability.WRITE_ON_COMMIT)) {
            for (CrashMode mode : List.of(CrashMode.DROP_ALL_UNSYNCED, CrashMode.DROP_RANDOM_SUBSET, CrashMode.TEAR_SECTORS)) {
                for (int commits : new int[] {50, 700}) {
                    run(durability, mode, commits, seed + scenario, scenario++);
                }
            }
        }
    }

    private static byte[] entry(long i) {
        return String.format("e-%08d", i).getBytes();
    }

    private void run(CommitDurability durability, CrashMode mode, int commits, long seed, int scenario) throws Exception {
        String context = durability + ", " + mode + ", " + commits + " commits, seed " + seed;
        Path home = root.resolve("scenario-" + scenario);
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), seed);
        var config = TestStores.config(home, 4096).withCommitDurability(durability);
        BTreeStore store = TestStores.open(config, backend);
        try {
            Table table = store.createTable("t");
            for (long i = 1; i <= commits; i++) {
                byte[] value = new byte[(int) (i % 300)];
                java.util.Arrays.fill(value, (byte) i);
                store.write(store.newBatch().put(table, entry(i), value)
                        .put(table, "last".getBytes(), ByteBuffer.allocate(8).putLong(i).array()), durability);
            }
            backend.crash(mode);
        } finally {
            try {
                store.close();
            } catch (RuntimeException expectedAfterCrash) {
                // the backend refuses everything after the simulated power loss
            }
        }
        backend.reset();
        try (BTreeStore reopened = TestStores.open(config, backend)) {
            assertEquals(List.of(), reopened.verify(), context);
            Table table = reopened.table("t");
            byte[] lastValue = table.get("last".getBytes());
            long last = lastValue == null ? 0 : ByteBuffer.wrap(lastValue).getLong();
            assertTrue(last <= commits, context + ": last " + last);
            for (long i = 1; i <= commits; i++) {
                if (i <= last) {
                    assertNotNull(table.get(entry(i)), context + ": a hole at " + i + " below last " + last);
                } else {
                    assertNull(table.get(entry(i)), context + ": entry " + i + " beyond last " + last);
                }
            }
            assertEquals(last == 0 ? 0 : last + 1, table.count(), context + ": entries 1 to last, and last itself");
        }
    }
}
