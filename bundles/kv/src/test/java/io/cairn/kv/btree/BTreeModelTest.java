package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.ScanDirection;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every table operation, batches and cursors included, against an in-memory sorted map, with
 * random operations and restarts in between: after each step and each restart the tree must give
 * the map's answers, and {@code verify} must find nothing wrong.
 */
class BTreeModelTest {

    @TempDir
    Path root;

    private static final class Model {
        final Map<String, NavigableMap<byte[], byte[]>> tables = new TreeMap<>();

        NavigableMap<byte[], byte[]> of(String table) {
            return tables.computeIfAbsent(table, t -> new TreeMap<>(Arrays::compareUnsigned));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
    void smallPagesWithLongKeysMustMatchTheModelAcrossRestarts() throws Exception {
        int height = run(4096, 120, 3, 1500, Long.getLong("cairn.test.btreeSeed", System.nanoTime()));
        assertTrue(height >= 3, "the test must split internal nodes too; the tree has " + height + " levels");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
    void defaultPagesWithOverflowValuesMustMatchTheModelAcrossRestarts() throws Exception {
        run(16384, 24, 3, 1500, Long.getLong("cairn.test.btreeSeed", System.nanoTime()) + 1);
    }

    /** Runs the random steps and restarts; returns the height of table "a" at the end. */
    private int run(int pageSizeBytes, int maxKeyBytes, int restarts, int steps, long seed) throws Exception {
        String context = "seed " + seed + " (replay with -Dcairn.test.btreeSeed=" + seed + "), page size " + pageSizeBytes;
        SplittableRandom random = new SplittableRandom(seed);
        Model model = new Model();
        Path home = root.resolve("home");
        List<String> names = List.of("a", "b");
        int height = 0;
        for (int restart = 0; restart <= restarts; restart++) {
            try (BTreeStore store = TestStores.open(TestStores.config(home, pageSizeBytes))) {
                if (restart == 0) {
                    for (String name : names) {
                        store.createTable(name);
                    }
                }
                for (String name : names) {
                    assertSameContent(store.table(name), model.of(name), context + ", after restart " + restart);
                }
                for (int step = 0; step < steps; step++) {
                    String where = context + ", restart " + restart + ", step " + step;
                    step(store, model, names, random, maxKeyBytes, where);
                }
                assertEquals(List.of(), store.verify(), context);
                height = ((BTreeTable) store.table("a")).height();
            }
        }
        return height;
    }

    private static byte[] key(SplittableRandom random, int maxKeyBytes) {
        // A small alphabet and a bounded key space: shared prefixes, repeated keys, deep trees.
        byte[] key = new byte[1 + random.nextInt(maxKeyBytes)];
        int space = random.nextInt(400);
        key[0] = (byte) (space % 20 + 'a');
        for (int i = 1; i < key.length; i++) {
            key[i] = (byte) ((space >> (i % 8)) % 4 + 'a');
        }
        return key;
    }

    private static byte[] value(SplittableRandom random) {
        int roll = random.nextInt(100);
        int length = roll < 3 ? 5000 + random.nextInt(60_000) : random.nextInt(roll < 60 ? 40 : 400);
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    private void step(BTreeStore store, Model model, List<String> names, SplittableRandom random, int maxKeyBytes,
            String where) {
        String name = names.get(random.nextInt(names.size()));
        Table table = store.table(name);
        NavigableMap<byte[], byte[]> map = model.of(name);
        int op = random.nextInt(100);
        if (op < 45) {
            byte[] key = key(random, maxKeyBytes);
            byte[] value = value(random);
            table.put(key, value);
            map.put(key, value);
        } else if (op < 65) {
            byte[] key = key(random, maxKeyBytes);
            assertEquals(map.remove(key) != null, table.delete(key), where + ": delete's answer");
        } else if (op < 80) {
            byte[] key = key(random, maxKeyBytes);
            assertArrayEquals(map.get(key), table.get(key), where + ": get");
        } else if (op < 90) {
            WriteBatch batch = store.newBatch();
            List<Runnable> onSuccess = new ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                String other = names.get(random.nextInt(names.size()));
                Table t = store.table(other);
                byte[] key = key(random, maxKeyBytes);
                if (random.nextInt(4) == 0) {
                    batch.delete(t, key);
                    onSuccess.add(() -> model.of(other).remove(key));
                } else {
                    byte[] value = value(random);
                    batch.put(t, key, value);
                    onSuccess.add(() -> model.of(other).put(key, value));
                }
            }
            store.write(batch);
            onSuccess.forEach(Runnable::run);
        } else if (op < 94) {
            interleavedCursor(store, table, map, random, maxKeyBytes, where);
        } else if (op < 98) {
            byte[] a = key(random, maxKeyBytes);
            byte[] b = key(random, maxKeyBytes);
            if (Arrays.compareUnsigned(a, b) > 0) {
                byte[] t = a;
                a = b;
                b = t;
            }
            KeyRange range = switch (random.nextInt(4)) {
                case 0 -> KeyRange.all();
                case 1 -> KeyRange.from(a);
                case 2 -> new KeyRange(null, b);
                default -> KeyRange.between(a, b);
            };
            ScanDirection direction = random.nextBoolean() ? ScanDirection.FORWARD : ScanDirection.BACKWARD;
            NavigableMap<byte[], byte[]> expected = sub(map, range);
            if (direction == ScanDirection.BACKWARD) {
                expected = expected.descendingMap();
            }
            assertCursor(table, range, direction, expected, where + ": cursor " + range + " " + direction);
        } else {
            assertEquals(map.size(), table.count(), where + ": count");
        }
    }

    /**
     * A cursor stepped between random writes to the same table: it must return keys in strict
     * order, every key that was in the range when it opened and was not changed since exactly once
     * with its value, and nothing outside the range.
     */
    private void interleavedCursor(BTreeStore store, Table table, NavigableMap<byte[], byte[]> map,
            SplittableRandom random, int maxKeyBytes, String where) {
        ScanDirection direction = random.nextBoolean() ? ScanDirection.FORWARD : ScanDirection.BACKWARD;
        KeyRange range = random.nextBoolean() ? KeyRange.all() : KeyRange.from(key(random, maxKeyBytes));
        NavigableMap<byte[], byte[]> atOpen = new TreeMap<>(Arrays::compareUnsigned);
        atOpen.putAll(sub(map, range));
        java.util.Set<String> changed = new java.util.HashSet<>();
        java.util.Set<String> returned = new java.util.HashSet<>();
        byte[] previous = null;
        String context = where + ": interleaved cursor " + range + " " + direction;
        boolean exhausted = false;
        try (Cursor cursor = table.cursor(range, direction)) {
            for (int steps = 0; steps < 40; steps++) { // a bounded walk: the writes between steps are what cost
                if (!cursor.next()) {
                    exhausted = true;
                    break;
                }
                byte[] key = cursor.key();
                assertTrue(range.contains(key), context + ": a key outside the range");
                if (previous != null) {
                    int order = Arrays.compareUnsigned(previous, key);
                    assertTrue(direction == ScanDirection.FORWARD ? order < 0 : order > 0, context + ": out of order");
                }
                previous = key;
                String id = Arrays.toString(key);
                assertTrue(returned.add(id), context + ": a key twice");
                if (!changed.contains(id)) {
                    assertArrayEquals(atOpen.get(key), cursor.value(), context + ": an unchanged key's value");
                }
                for (int i = random.nextInt(4); i > 0; i--) { // writers between the steps
                    byte[] k = key(random, maxKeyBytes);
                    changed.add(Arrays.toString(k));
                    if (random.nextInt(3) == 0) {
                        table.delete(k);
                        map.remove(k);
                    } else {
                        byte[] v = value(random);
                        table.put(k, v);
                        map.put(k, v);
                    }
                }
            }
        }
        // Every unchanged key of the range up to where the walk stopped must have come.
        NavigableMap<byte[], byte[]> walked = direction == ScanDirection.FORWARD ? atOpen : atOpen.descendingMap();
        for (byte[] key : walked.keySet()) {
            if (!exhausted && (previous == null || (direction == ScanDirection.FORWARD
                    ? Arrays.compareUnsigned(key, previous) > 0 : Arrays.compareUnsigned(key, previous) < 0))) {
                break;
            }
            String id = Arrays.toString(key);
            assertTrue(changed.contains(id) || returned.contains(id), context + ": an unchanged key was never returned");
        }
    }

    private static NavigableMap<byte[], byte[]> sub(NavigableMap<byte[], byte[]> map, KeyRange range) {
        NavigableMap<byte[], byte[]> m = map;
        if (range.fromInclusive() != null) {
            m = m.tailMap(range.fromInclusive(), true);
        }
        if (range.toExclusive() != null) {
            m = m.headMap(range.toExclusive(), false);
        }
        return m;
    }

    private static void assertCursor(Table table, KeyRange range, ScanDirection direction,
            NavigableMap<byte[], byte[]> expected, String where) {
        try (Cursor cursor = table.cursor(range, direction)) {
            int i = 0;
            for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
                assertTrue(cursor.next(), where + ": ended after " + i + " of " + expected.size() + " entries");
                assertArrayEquals(e.getKey(), cursor.key(), where + ": key " + i);
                assertArrayEquals(e.getValue(), cursor.value(), where + ": value " + i);
                i++;
            }
            assertFalse(cursor.next(), where + ": more than the " + expected.size() + " entries");
        }
    }

    private static void assertSameContent(Table table, NavigableMap<byte[], byte[]> map, String where) {
        assertCursor(table, KeyRange.all(), ScanDirection.FORWARD, map, where);
    }
}
