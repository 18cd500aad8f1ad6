package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.ScanDirection;
import io.cairn.kv.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers on disjoint key ranges of one table, each checking its own range against its own model,
 * while scanners walk the whole table in both directions and a reader keeps reading entries nobody
 * changes. The writers first grow the tree and then delete most of it, so splits and merges run
 * all the time under the readers, who take no tree lock. Keys must always come in strict order,
 * never twice, untouched entries must always be found, and at the end every writer's range
 * matches its model, before and after a restart.
 */
class ConcurrentBTreeTest {

    private static final int WRITERS = 4;
    private static final int STEPS = 6000;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void writersAndScannersMustNeverSeeABrokenTree() throws Exception {
        long seed = Long.getLong("cairn.test.btreeSeed", System.nanoTime());
        String context = "seed " + seed;
        Path home = root.resolve("home");
        List<NavigableMap<byte[], byte[]>> models = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
        try (BTreeStore store = TestStores.open(TestStores.config(home, 4096))) {
            Table table = store.createTable("t");
            for (int k = 0; k < 3000; k += 10) {
                table.put(stableKey(k), stableValue(k));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
                models.add(model);
                int writer = w;
                writers.add(pool.submit(() -> write(table, writer, model, new SplittableRandom(seed + writer), context)));
            }
            List<Future<Long>> scanners = new ArrayList<>();
            for (ScanDirection direction : ScanDirection.values()) {
                scanners.add(pool.submit(scan(table, direction, writing, context)));
            }
            Future<Long> reader = pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed - 1);
                long reads = 0;
                do {
                    int k = random.nextInt(300) * 10;
                    assertArrayEquals(stableValue(k), table.get(stableKey(k)), context + ": untouched entry " + k);
                    reads++;
                } while (writing.get());
                return reads;
            });
            for (Future<?> f : writers) {
                f.get(150, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertTrue(reader.get(30, TimeUnit.SECONDS) > 0, "the reader read");
            for (Future<Long> f : scanners) {
                assertTrue(f.get(30, TimeUnit.SECONDS) > 0, "the scanner completed at least one scan");
            }
            assertEquals(List.of(), store.verify(), context);
            check(table, models, context);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "test threads stopped");
        }
        try (BTreeStore store = TestStores.open(TestStores.config(home, 4096))) {
            check(store.table("t"), models, context + ", after restart");
            assertEquals(List.of(), store.verify(), context);
        }
    }

    private static byte[] stableKey(int k) {
        return String.format("%05d-s", k).getBytes();
    }

    private static byte[] stableValue(int k) {
        return ("stable value " + k + " " + "v".repeat(k % 150)).getBytes();
    }

    private static byte[] key(int writer, int k) {
        // Interleaved ranges: writers share leaves, so their changes meet in the same pages.
        return String.format("%05d-%d-%s", k, writer, "x".repeat(k % 40)).getBytes();
    }

    private static Void write(Table table, int writer, NavigableMap<byte[], byte[]> model, SplittableRandom random,
            String context) {
        for (int step = 0; step < STEPS; step++) {
            byte[] key = key(writer, random.nextInt(3000));
            // The first half grows the tree, the second half deletes most of it again.
            int op = step < STEPS / 2 ? random.nextInt(10) : (random.nextInt(10) < 7 ? 6 : random.nextInt(10));
            if (op < 6) {
                byte[] value = new byte[random.nextInt(200)];
                random.nextBytes(value);
                table.put(key, value);
                model.put(key, value);
            } else if (op < 8) {
                assertEquals(model.remove(key) != null, table.delete(key), context + ": writer " + writer + " delete");
            } else {
                assertArrayEquals(model.get(key), table.get(key), context + ": writer " + writer + " get");
            }
        }
        return null;
    }

    private static Callable<Long> scan(Table table, ScanDirection direction, AtomicBoolean writing, String context) {
        return () -> {
            long scans = 0;
            do {
                byte[] previous = null;
                try (Cursor c = table.cursor(KeyRange.all(), direction)) {
                    while (c.next()) {
                        byte[] key = c.key();
                        if (previous != null) {
                            int order = Arrays.compareUnsigned(previous, key);
                            assertTrue(direction == ScanDirection.FORWARD ? order < 0 : order > 0,
                                    context + ": " + direction + " scan returned " + new String(key) + " after "
                                            + new String(previous));
                        }
                        previous = key;
                    }
                }
                scans++;
            } while (writing.get());
            return scans;
        };
    }

    private static void check(Table table, List<NavigableMap<byte[], byte[]>> models, String context) {
        NavigableMap<byte[], byte[]> all = new TreeMap<>(Arrays::compareUnsigned);
        models.forEach(all::putAll);
        for (int k = 0; k < 3000; k += 10) {
            all.put(stableKey(k), stableValue(k));
        }
        try (Cursor c = table.cursor(KeyRange.all(), ScanDirection.FORWARD)) {
            for (Map.Entry<byte[], byte[]> e : all.entrySet()) {
                assertTrue(c.next(), context + ": the table ended early");
                assertArrayEquals(e.getKey(), c.key(), context);
                assertArrayEquals(e.getValue(), c.value(), context);
            }
            assertTrue(!c.next(), context + ": the table has more entries than the writers' models");
        }
    }
}
