package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageFile;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Capabilities and facts as the engine and {@code cairn:status} see them. The files live on the
 * local file system, presented by replayed answers as a ZFS dataset; the stand-in for the direct
 * backend is a buffered one, because only the ZFS layer on top is under test here.
 */
class ZfsCapabilitiesTest {

    private Path root;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createTempDirectory("cairn-zfs-caps-").toRealPath();
    }

    @AfterEach
    void deleteRoot() throws IOException {
        TestFiles.deleteRecursively(root);
    }

    private ZfsStorageBackend backend(ReplayedZfsEnvironment env) {
        return new ZfsStorageBackend(ZfsSettings.defaults().withPropertyCacheMillis(0), env,
                new BufferedStorageBackend(SyncMethod.FSYNC));
    }

    private ReplayedZfsEnvironment openZfs233(long recordsizeBytes) {
        return ReplayedZfsEnvironment.openZfs("2.3.3-1", root, "tank/db", recordsizeBytes)
                .typicalDataProperties("standard").tunable("zfs_dio_enabled", 1);
    }

    @ParameterizedTest(name = "page {0}, recordsize {1} -> atomic unit {2}")
    @CsvSource({
        "16384, 16384,  16384",
        "4096,  131072, 131072",
        "16384, 131072, 131072",
        "16384, 8192,   0",
        "65536, 16384,  0",
        "0,     16384,  0",
    })
    void atomicWriteUnitMustBeTheRecordsizeOnlyWhenThePageSizeDividesIt(int page, long recordsize, int expected)
            throws IOException {
        ZfsStorageBackend backend = backend(openZfs233(recordsize));
        try (StorageFile file = backend.open(root.resolve("f"), OpenOptions.of(FileRole.DATA, CreateMode.OPEN_OR_CREATE, page))) {
            assertEquals(expected, file.capabilities().atomicWriteUnitBytes(), file.capabilities().facts().toString());
        }
    }

    @Test
    void nonZfsMustClaimNoAtomicWritesAndReportTheRealFileSystem() throws IOException {
        ZfsStorageBackend backend = backend(ReplayedZfsEnvironment.ext4());
        IoCapabilities caps = backend.probe(root);
        assertEquals(0, caps.atomicWriteUnitBytes());
        assertEquals("ext4", caps.facts().get("fsType"));
        assertEquals("false", caps.facts().get("zfs"));
        assertEquals("not ZFS (ext4)", caps.facts().get("reason"));
        assertEquals("buffered(fsync)", caps.facts().get("chosenPath"));
        assertFalse(caps.facts().containsKey("recommendedDataDataset"));
    }

    @Test
    void probeMustShowTheDetectedFactsTheChoiceAndTheRecommendedDatasets() throws IOException {
        ReplayedZfsEnvironment env = openZfs233(131072).property("primarycache", "all").property("logbias", "latency")
                .tunable("zfs_dio_strict", 0);
        IoCapabilities caps = backend(env).probe(root);
        Map<String, String> facts = caps.facts();
        assertEquals("zfs", caps.fileSystemType());
        assertEquals("openzfs", facts.get("zfs"));
        assertEquals("zfs", facts.get("fsType"));
        assertEquals("tank/db", facts.get("dataset"));
        assertEquals("2.3.3-1", facts.get("version"));
        assertEquals("131072", facts.get("recordsize"));
        assertEquals("zfs get recordsize", facts.get("recordsizeSource"));
        assertEquals("standard", facts.get("direct"));
        assertEquals("1", facts.get("dioEnabled"));
        assertEquals("0", facts.get("dioStrict"));
        assertEquals("0x2fc12fc1", facts.get("statfsMagic"));
        assertEquals("16384", facts.get("pageSizeBytes"));
        assertEquals("buffered(fsync)", facts.get("chosenPath"));
        assertTrue(facts.get("reason").contains("page size 16384 differs from the recordsize 131072"), facts.get("reason"));
        assertEquals("recordsize=16K compression=lz4 atime=off logbias=throughput primarycache=metadata",
                facts.get("recommendedDataDataset"));
        assertEquals("recordsize=128K logbias=latency", facts.get("recommendedRedoDataset"));
        assertEquals("recordsize 128K -> 16K, logbias latency -> throughput, primarycache all -> metadata",
                facts.get("datasetChanges"));
        assertEquals("buffered(fdatasync)", facts.get("redoPath"));
        assertEquals(131072, caps.atomicWriteUnitBytes());
    }

    @Test
    void directChoiceMustNotRecommendMetadataCaching() throws IOException {
        IoCapabilities caps = backend(openZfs233(16384)).probe(root);
        assertEquals("direct(O_DIRECT)", caps.facts().get("chosenPath"));
        assertEquals("recordsize=16K compression=lz4 atime=off logbias=throughput", caps.facts().get("recommendedDataDataset"));
        assertFalse(caps.facts().containsKey("datasetChanges"), caps.facts().toString());
    }

    @Test
    void redoFileMustGetBufferedFdatasyncAndRedoRecommendations() throws IOException {
        ZfsStorageBackend backend = backend(openZfs233(16384));
        try (StorageFile file = backend.open(root.resolve("redo0"), OpenOptions.of(FileRole.REDO, CreateMode.CREATE_NEW, 512))) {
            Map<String, String> facts = file.capabilities().facts();
            assertEquals("buffered(fdatasync)", facts.get("chosenPath"));
            assertEquals("redo", facts.get("role"));
            assertEquals("recordsize 16K -> 128K, logbias throughput -> latency", facts.get("datasetChanges"));
            assertTrue(file.describe().contains("via zfs -> buffered(syncMethod=fdatasync)"), file.describe());
        }
    }

    @Test
    void zfsFuseMustReportItsTypeAndTakeTheRecordsizeOnlyFromTheCli() throws IOException {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.zfsFuse(root, "tp/data").cliMissing();
        IoCapabilities caps = backend(env).probe(root);
        assertEquals("fuse.zfs", caps.fileSystemType());
        assertEquals("zfs-fuse", caps.facts().get("zfs"));
        assertEquals("unknown", caps.facts().get("recordsize"), "statfs' 512 is not the recordsize on zfs-fuse");
        assertEquals(0, caps.atomicWriteUnitBytes());
        assertTrue(caps.facts().get("recommendedDataDataset").contains("compression=on"), "zfs-fuse has no lz4");
    }

    @Test
    void describeMustBeOneLineNamingTheSettings() {
        String text = backend(ReplayedZfsEnvironment.ext4()).describe();
        assertEquals("zfs(directIo=auto, pageSizeBytes=16384, cli=zfs, cliTimeoutMillis=5000)", text);
    }
}
