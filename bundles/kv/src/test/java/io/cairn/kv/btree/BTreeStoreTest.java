package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.kv.KeyTooLargeException;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.NoSuchTableException;
import io.cairn.kv.StoreClosedException;
import io.cairn.kv.Table;
import io.cairn.kv.TableExistsException;
import io.cairn.kv.ValueTooLargeException;
import io.cairn.kv.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BTreeStoreTest {

    @TempDir
    Path root;

    private BTreeStore store;

    @BeforeEach
    void open() throws Exception {
        store = TestStores.open(TestStores.config(root.resolve("home"), 16384));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void keysAndValuesOutsideTheLimitsMustBeRefusedNamingTheLimit() {
        Table t = store.createTable("t");
        KeyTooLargeException empty = assertThrows(KeyTooLargeException.class, () -> t.put(new byte[0], bytes("v")));
        assertTrue(empty.getMessage().contains("1 to 1024 bytes"), empty.getMessage());
        assertThrows(KeyTooLargeException.class, () -> t.get(new byte[KeyValueStore.MAX_KEY_BYTES + 1]));
        ValueTooLargeException big = assertThrows(ValueTooLargeException.class,
                () -> t.put(bytes("k"), new byte[KeyValueStore.MAX_VALUE_BYTES + 1]));
        assertTrue(big.getMessage().contains(String.valueOf(KeyValueStore.MAX_VALUE_BYTES + 1)), big.getMessage());
        WriteBatch batch = store.newBatch();
        assertThrows(KeyTooLargeException.class, () -> batch.put(t, new byte[2000], bytes("v")));
        assertEquals(0, batch.size(), "a refused entry is not added");
        assertEquals(0, t.count());
    }

    @Test
    void theLargestKeyAndValueMustRoundTrip() {
        Table t = store.createTable("t");
        byte[] key = new byte[KeyValueStore.MAX_KEY_BYTES];
        java.util.Arrays.fill(key, (byte) 0xFF);
        byte[] value = new byte[KeyValueStore.MAX_VALUE_BYTES];
        new java.util.Random(5).nextBytes(value);
        t.put(key, value);
        assertArrayEquals(value, t.get(key));
        t.put(key, bytes("small now"));
        assertArrayEquals(bytes("small now"), t.get(key), "the overflow chain is replaced by an inline value");
        assertEquals(List.of(), store.verify());
    }

    @Test
    void aMissingTableMustBeNamedAndAnExistingOneRefusedAgain() {
        NoSuchTableException missing = assertThrows(NoSuchTableException.class, () -> store.table("nope"));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        store.createTable("t");
        assertThrows(TableExistsException.class, () -> store.createTable("t"));
        assertEquals(List.of("t"), store.tableNames());
    }

    @Test
    void callsOnADroppedTableMustFailWithNoSuchTable() {
        Table t = store.createTable("t");
        t.put(bytes("k"), bytes("v"));
        store.dropTable("t");
        assertThrows(NoSuchTableException.class, () -> t.get(bytes("k")));
        assertThrows(NoSuchTableException.class, () -> t.put(bytes("k"), bytes("v")));
        assertThrows(NoSuchTableException.class, () -> t.cursor(io.cairn.kv.KeyRange.all(),
                io.cairn.kv.ScanDirection.FORWARD).next());
        assertThrows(NoSuchTableException.class, () -> store.newBatch().put(t, bytes("k"), bytes("v")));
        assertThrows(NoSuchTableException.class, () -> store.dropTable("t"));
        Table again = store.createTable("t");
        assertNull(again.get(bytes("k")), "a new table of the same name starts empty");
    }

    @Test
    void aBatchMustApplyToEveryTableOrNone() {
        Table a = store.createTable("a");
        Table b = store.createTable("b");
        store.write(store.newBatch().put(a, bytes("1"), bytes("x")).put(b, bytes("1"), bytes("y"))
                .delete(a, bytes("absent")));
        assertArrayEquals(bytes("x"), a.get(bytes("1")));
        assertArrayEquals(bytes("y"), b.get(bytes("1")));
        WriteBatch doomed = store.newBatch().put(a, bytes("2"), bytes("x")).put(b, bytes("2"), bytes("y"));
        store.dropTable("b");
        assertThrows(NoSuchTableException.class, () -> store.write(doomed));
        assertNull(a.get(bytes("2")), "nothing of a failed batch is applied");
    }

    @Test
    void laterEntriesOfABatchMustOverrideEarlierOnes() {
        Table t = store.createTable("t");
        store.write(store.newBatch().put(t, bytes("k"), bytes("1")).put(t, bytes("k"), bytes("2")).delete(t, bytes("j"))
                .put(t, bytes("j"), bytes("3")));
        assertArrayEquals(bytes("2"), t.get(bytes("k")));
        assertArrayEquals(bytes("3"), t.get(bytes("j")));
    }

    @Test
    void truncateMustEmptyTheTableAndKeepHandlesWorking() {
        Table t = store.createTable("t");
        for (int i = 0; i < 5000; i++) {
            t.put(ByteBuffer.allocate(8).putLong(i).array(), new byte[100]);
        }
        store.truncateTable("t");
        assertEquals(0, t.count());
        t.put(bytes("k"), bytes("v"));
        assertArrayEquals(bytes("v"), t.get(bytes("k")));
        assertEquals(List.of(), store.verify());
    }

    @Test
    void aLoadInKeyOrderMustFillItsLeaves() {
        Table t = store.createTable("t");
        int n = 20_000;
        WriteBatch batch = store.newBatch();
        for (int i = 0; i < n; i++) {
            batch.put(t, ByteBuffer.allocate(8).putLong(i).array(), new byte[100]);
            if (batch.size() == 1000) {
                store.write(batch);
                batch.clear();
            }
        }
        assertEquals(n, t.count());
        // 115 bytes per entry with its slot: a full 16 KiB leaf holds about 141; half-full ones would need twice the leaves.
        long leaves = ((BTreeTable) t).leafPages();
        assertTrue(leaves <= n / 130 + 2, leaves + " leaves for " + n + " entries");
        assertEquals(List.of(), store.verify());
    }

    @Test
    void deletingMostKeysMustMergeLeavesAndShrinkTheTree() {
        Table t = store.createTable("t");
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            t.put(ByteBuffer.allocate(8).putLong(i * 7919L % n).array(), new byte[100]);
        }
        BTreeTable table = (BTreeTable) t;
        long leavesBefore = table.leafPages();
        int heightBefore = table.height();
        assertTrue(heightBefore >= 2, "height " + heightBefore);
        for (int i = 0; i < n; i++) {
            if (i % 100 != 0) {
                assertTrue(t.delete(ByteBuffer.allocate(8).putLong(i).array()), "key " + i);
            }
        }
        assertEquals(n / 100, t.count());
        long leavesAfter = table.leafPages();
        assertTrue(leavesAfter <= leavesBefore / 10, leavesAfter + " leaves left of " + leavesBefore);
        assertEquals(List.of(), store.verify());
        for (int i = 0; i < n; i += 100) {
            assertArrayEquals(new byte[100], t.get(ByteBuffer.allocate(8).putLong(i).array()), "key " + i);
        }
        for (int i = 0; i < n; i += 100) {
            t.delete(ByteBuffer.allocate(8).putLong(i).array());
        }
        assertEquals(1, table.height(), "an empty table is one root leaf again");
        assertEquals(List.of(), store.verify());
    }

    @Test
    void aClosedStoreMustRefuseEveryCall() {
        Table t = store.createTable("t");
        store.close();
        StoreClosedException e = assertThrows(StoreClosedException.class, () -> t.get(bytes("k")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(StoreClosedException.class, () -> store.createTable("u"));
        assertThrows(StoreClosedException.class, () -> store.tableNames());
        store.close(); // idempotent
        assertFalse(store.toString().isEmpty());
    }
}
