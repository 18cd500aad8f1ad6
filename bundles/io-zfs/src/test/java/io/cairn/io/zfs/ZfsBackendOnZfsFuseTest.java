package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.testkit.BaseStorageBackendTestCase;
import io.cairn.testkit.ZfsFusePool;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real ZFS (zfs-fuse): detection against the live mount and CLI, and the conformance kit on the
 * backend with the files on the pool.
 */
class ZfsBackendOnZfsFuseTest extends BaseStorageBackendTestCase {

    @RegisterExtension
    static final ZfsFusePool ZFS = ZfsFusePool.create()
            .withDataset("data", "recordsize=16K")
            .withDataset("small", "recordsize=8K");

    @Override
    protected Path baseDirectory() {
        return ZFS.mountPoint("data");
    }

    @Override
    protected StorageBackend newBackend(Path root) {
        return new ZfsStorageBackend(ZfsSettings.defaults().withPropertyCacheMillis(0));
    }

    private static ZfsFacts detect(Path directory, Path file) {
        return new ZfsDetector(ZfsEnvironment.system(), "zfs", 30_000, 0).detect(directory, file);
    }

    @Test
    void detectionMustFindFuseZfsTheDatasetAndTheCliProperties() {
        ZfsFacts facts = detect(root, null);
        assertEquals(ZfsKind.ZFS_FUSE, facts.kind());
        assertEquals("fuse.zfs", facts.fileSystemType());
        assertEquals(ZFS.dataset("data"), facts.dataset().orElseThrow());
        assertEquals(ZFS.mountPoint("data"), facts.mountPoint().orElseThrow(), "the \\040 in the mount point must be decoded");
        assertEquals(0x65735546L, facts.statfsMagic().orElseThrow(), "zfs-fuse's statfs says FUSE");
        assertTrue(facts.versionText().isEmpty(), "zfs-fuse has no /sys/module/zfs: " + facts.versionText());
        assertEquals(16384, facts.recordSizeBytes().orElseThrow());
        assertEquals("zfs get recordsize", facts.recordSizeSource());
        assertEquals("all", facts.property("primarycache").orElseThrow());
        assertEquals("latency", facts.property("logbias").orElseThrow());
        assertEquals("off", facts.property("dedup").orElseThrow());
        // zfs-fuse's CLI knows neither 'direct' nor 'sync': each fails alone.
        assertTrue(facts.unknownProperties().get("direct").contains("invalid property 'direct'"), facts.unknownProperties().toString());
        assertTrue(facts.unknownProperties().get("sync").contains("invalid property 'sync'"), facts.unknownProperties().toString());
        assertEquals(2, facts.unknownProperties().size(), facts.unknownProperties().toString());
    }

    @Test
    void dataFilesMustUseBufferedFsyncAndClaimRecordAtomicWrites() throws Exception {
        StorageFile file = backend.open(root.resolve("t1.ibd"), OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, 16384));
        IoCapabilities caps = file.capabilities();
        assertFalse(caps.direct());
        assertEquals("fuse.zfs", caps.fileSystemType());
        assertEquals("buffered(fsync)", caps.facts().get("chosenPath"));
        assertTrue(caps.facts().get("reason").startsWith("zfs-fuse:"), caps.facts().get("reason"));
        assertEquals(16384, caps.atomicWriteUnitBytes(), "16K pages in 16K records are copy-on-write units");
        assertEquals("recordsize=16K compression=on atime=off logbias=throughput primarycache=metadata",
                caps.facts().get("recommendedDataDataset"));

        // Once the file has several records, its own block size is what statx reports.
        ByteBuffer data = ByteBuffer.allocateDirect(4 * 16384);
        byte[] bytes = new byte[4 * 16384];
        new SplittableRandom(1).nextBytes(bytes);
        data.put(bytes).flip();
        file.write(0, data);
        file.sync(SyncLevel.DATA_AND_METADATA);
        file.close();
        ZfsFacts facts = detect(root, root.resolve("t1.ibd"));
        assertEquals(16384, facts.fileBlocks().orElseThrow().blockSizeBytes());
        assertEquals(16384, facts.effectiveRecordSizeBytes().orElseThrow());
    }

    @Test
    void pagesLargerThanTheRecordMustNotClaimAtomicWrites() throws Exception {
        ZfsStorageBackend zfs = new ZfsStorageBackend(ZfsSettings.defaults().withPropertyCacheMillis(0));
        Path dir = ZFS.mountPoint("small");
        try (StorageFile big = zfs.open(dir.resolve("big"), OpenOptions.of(FileRole.DATA, CreateMode.OPEN_OR_CREATE, 16384));
                StorageFile fits = zfs.open(dir.resolve("fits"), OpenOptions.of(FileRole.DATA, CreateMode.OPEN_OR_CREATE, 4096))) {
            assertEquals(0, big.capabilities().atomicWriteUnitBytes(), "a 16K page spans two 8K records");
            assertEquals(8192, fits.capabilities().atomicWriteUnitBytes());
            assertEquals("recordsize 8K -> 16K, compression off -> on, atime on -> off, logbias latency -> throughput,"
                    + " primarycache all -> metadata", big.capabilities().facts().get("datasetChanges"));
        } finally {
            zfs.delete(dir.resolve("big"));
            zfs.delete(dir.resolve("fits"));
        }
    }

    @Test
    void redoFilesMustUseBufferedFdatasync() throws Exception {
        StorageFile redo = backend.open(root.resolve("redo0"), OpenOptions.of(FileRole.REDO, CreateMode.CREATE_NEW, 512));
        try {
            assertEquals("buffered(fdatasync)", redo.capabilities().facts().get("chosenPath"));
            assertTrue(redo.describe().endsWith("via zfs -> buffered(syncMethod=fdatasync)"), redo.describe());
        } finally {
            redo.close();
        }
    }

    @Test
    void probeMustReportTheZfsFuseFacts() throws Exception {
        IoCapabilities caps = backend.probe(root);
        assertEquals("zfs-fuse", caps.facts().get("zfs"));
        assertEquals(ZFS.dataset("data"), caps.facts().get("dataset"));
        assertEquals("zfs-fuse", caps.facts().get("version"));
        assertEquals("16384", caps.facts().get("recordsize"));
        assertTrue(caps.facts().get("direct").startsWith("unknown (not supported by this zfs"), caps.facts().get("direct"));
        assertEquals("buffered(fdatasync)", caps.facts().get("redoPath"));
    }
}
