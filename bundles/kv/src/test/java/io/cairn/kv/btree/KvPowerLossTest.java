package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.ScanDirection;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import io.cairn.redo.CommitDurability;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss under the B+tree, at many sync points and in every crash mode of the fault backend:
 * random puts, deletes and batches with durability 1 against a sorted-map model until the crash;
 * after recovery the table must be exactly the model of the acknowledged changes, or that plus the
 * one change in flight at the crash, and {@code verify} must find it sound.
 */
class KvPowerLossTest {

    @TempDir
    Path root;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void afterAPowerLossTheTableMustHoldExactlyTheAcknowledgedChanges() throws Exception {
        long seed = Long.getLong("cairn.test.kvPowerLossSeed", System.nanoTime());
        int scenario = 0;
        for (CrashMode mode : List.of(CrashMode.DROP_ALL_UNSYNCED, CrashMode.DROP_RANDOM_SUBSET, CrashMode.TEAR_SECTORS)) {
            for (int crashAtSync : new int[] {1, 3, 7, 15, 40}) {
                run(mode, crashAtSync, seed + scenario, scenario++);
            }
        }
    }

    private void run(CrashMode mode, int crashAtSync, long seed, int scenario) throws Exception {
        Path home = root.resolve("scenario-" + scenario);
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), seed);
        var config = TestStores.config(home, 4096).withCommitDurability(CommitDurability.SYNC_ON_COMMIT);
        SplittableRandom random = new SplittableRandom(seed);
        NavigableMap<byte[], byte[]> acknowledged = new TreeMap<>(Arrays::compareUnsigned);
        NavigableMap<byte[], byte[]> withInFlight = null;
        BTreeStore store = TestStores.open(config, backend);
        try {
            Table table = store.createTable("t");
            for (int i = 0; i < 300; i++) { // a tree of a few levels before the crash is armed
                byte[] key = key(random);
                byte[] value = value(random);
                table.put(key, value);
                acknowledged.put(key, value);
            }
            backend.crashAtSync(crashAtSync, "*", mode);
            for (int step = 0; step < 2000 && !backend.isCrashed(); step++) {
                NavigableMap<byte[], byte[]> next = new TreeMap<>(acknowledged);
                try {
                    if (random.nextInt(4) == 0) {
                        WriteBatch batch = store.newBatch();
                        for (int i = 0, n = 1 + random.nextInt(20); i < n; i++) {
                            byte[] key = key(random);
                            if (random.nextInt(3) == 0) {
                                batch.delete(table, key);
                                next.remove(key);
                            } else {
                                byte[] value = value(random);
                                batch.put(table, key, value);
                                next.put(key, value);
                            }
                        }
                        store.write(batch);
                    } else if (random.nextInt(3) == 0) {
                        byte[] key = key(random);
                        next.remove(key);
                        table.delete(key);
                    } else {
                        byte[] key = key(random);
                        byte[] value = value(random);
                        next.put(key, value);
                        table.put(key, value);
                    }
                    acknowledged = next;
                } catch (RuntimeException crashed) {
                    withInFlight = next; // may or may not have reached the disk
                    break;
                }
            }
            assertTrue(backend.isCrashed(), "the crash at sync " + crashAtSync + " never came");
        } finally {
            try {
                store.close();
            } catch (RuntimeException expectedAfterCrash) {
                // the backend refuses everything after the simulated power loss
            }
        }
        backend.reset();
        String context = mode + " at sync " + crashAtSync + ", seed " + seed + " (-Dcairn.test.kvPowerLossSeed=" + seed
                + " replays the first scenario)";
        try (BTreeStore reopened = TestStores.open(config, backend)) {
            assertEquals(List.of(), reopened.verify(), context);
            NavigableMap<byte[], byte[]> found = contents(reopened.table("t"));
            if (!same(found, acknowledged) && (withInFlight == null || !same(found, withInFlight))) {
                fail("after recovery the table holds " + found.size() + " entries, the acknowledged changes "
                        + acknowledged.size() + (withInFlight == null ? "" : " (with the change in flight "
                        + withInFlight.size() + ")") + ": " + context);
            }
        }
    }

    private static byte[] key(SplittableRandom random) {
        return String.format("k%05d-%s", random.nextInt(3000), "p".repeat(random.nextInt(60))).getBytes();
    }

    private static byte[] value(SplittableRandom random) {
        byte[] value = new byte[random.nextInt(10) == 0 ? 5000 : random.nextInt(300)];
        random.nextBytes(value);
        return value;
    }

    private static NavigableMap<byte[], byte[]> contents(Table table) {
        NavigableMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
        try (Cursor c = table.cursor(KeyRange.all(), ScanDirection.FORWARD)) {
            while (c.next()) {
                map.put(c.key(), c.value());
            }
        }
        return map;
    }

    private static boolean same(NavigableMap<byte[], byte[]> a, NavigableMap<byte[], byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        var ia = a.entrySet().iterator();
        for (Map.Entry<byte[], byte[]> e : b.entrySet()) {
            Map.Entry<byte[], byte[]> f = ia.next();
            if (!Arrays.equals(e.getKey(), f.getKey()) || !Arrays.equals(e.getValue(), f.getValue())) {
                return false;
            }
        }
        return true;
    }
}
