package io.cairn.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.StorageFailureException;
import io.cairn.kv.Table;
import io.cairn.redo.CommitDurability;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnTest {

    @TempDir
    Path dir;

    @Test
    void aStoreMustKeepItsDataAcrossReopeningWithEveryBackendAndPolicy() {
        for (String backend : List.of("buffered", "direct")) {
            for (String policy : CairnOptions.POLICIES) {
                Path home = dir.resolve(backend + "-" + policy);
                CairnOptions options = CairnOptions.defaults().withBufferPoolSizeBytes(16L << 20)
                        .withRedoCapacityBytes(8L << 20).withBackends(backend, backend).withFlushPolicy(policy)
                        .withDurability(CommitDurability.SYNC_ON_COMMIT);
                try (KeyValueStore store = Cairn.open(home, options)) {
                    Table t = store.createTable("t");
                    for (int i = 0; i < 1000; i++) {
                        t.put(("k" + i).getBytes(), ("v" + i).getBytes());
                    }
                }
                try (KeyValueStore store = Cairn.open(home, options)) {
                    Table t = store.table("t");
                    assertEquals(1000, t.count(), home.toString());
                    assertArrayEquals("v999".getBytes(), t.get("k999".getBytes()));
                    assertEquals(List.of(), store.verify());
                }
            }
        }
    }

    @Test
    void unknownPartsMustBeRefusedNamingWhatIsAllowed() {
        InvalidSettingException backend = assertThrows(InvalidSettingException.class,
                () -> CairnOptions.defaults().withBackends("nfs", "buffered"));
        assertTrue(backend.getMessage().contains("dataBackend=nfs") && backend.getMessage().contains("buffered"),
                backend.getMessage());
        InvalidSettingException policy = assertThrows(InvalidSettingException.class,
                () -> CairnOptions.defaults().withFlushPolicy("lazy"));
        assertTrue(policy.getMessage().contains("adaptive"), policy.getMessage());
        assertThrows(InvalidSettingException.class, () -> CairnOptions.defaults().withPageSizeBytes(5000));
    }

    @Test
    void aSecondStoreOnTheSameHomeMustFailWithAMessageNotAHang() {
        Path home = dir.resolve("home");
        try (KeyValueStore first = Cairn.open(home)) {
            StorageFailureException e = assertThrows(StorageFailureException.class, () -> Cairn.open(home).close());
            assertTrue(e.getMessage().contains("locked by process " + ProcessHandle.current().pid()), e.getMessage());
            first.tableNames();
        }
    }
}
