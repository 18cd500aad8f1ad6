package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.SyncLevel;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.faultinject.CrashMode;
import io.cairn.io.faultinject.FaultInjectingStorageBackend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoublewriteTest {

    private static final int PAGE = 8192;
    private static final int SPACE = 3;

    @TempDir
    Path root;

    private static ByteBuffer stampedPage(long pageNo, long lsn, int fill) {
        ByteBuffer frame = ByteBuffer.allocateDirect(PAGE + 4096).alignedSlice(4096).limit(PAGE).slice();
        for (int i = PageFormat.bodyStart(); i < PageFormat.bodyEnd(PAGE); i++) {
            frame.put(i, (byte) fill);
        }
        PageFormat.initialise(frame, SPACE, pageNo);
        PageFormat.setPageLsn(frame, lsn);
        PageFormat.stamp(frame);
        return frame;
    }

    /**
     * A crash that tears in-place page writes (sector by sector) must leave pages that recovery
     * restores from their doublewrite copies; without the copies the same crash leaves pages that
     * fail verification, which shows the crash really tore them.
     */
    @Test
    void tornInPlaceWritesMustBeRestoredFromTheirCopies() throws Exception {
        FaultInjectingStorageBackend backend = new FaultInjectingStorageBackend(
                new BufferedStorageBackend(SyncMethod.FDATASYNC), 21);
        Path data = root.resolve("t.cdb");
        SwitchableFile table = SwitchableFile.open(backend, data, OpenOptions.of(FileRole.DATA, CreateMode.CREATE_NEW, PAGE));
        Doublewrite doublewrite = Doublewrite.open(backend, root.resolve("dblwr"), PAGE, 16);
        backend.syncDirectory(root);
        int pages = 12;
        for (int p = 0; p < pages; p++) {
            table.write((long) p * PAGE, stampedPage(p, 100, 1));
        }
        table.sync(SyncLevel.DATA_AND_METADATA);

        List<ByteBuffer> batch = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            batch.add(stampedPage(p, 200, 2));
        }
        doublewrite.writeCopies(batch);
        for (int p = 0; p < pages; p++) {
            table.write((long) p * PAGE, batch.get(p).duplicate().clear());
        }
        backend.crash(CrashMode.TEAR_SECTORS); // before the in-place writes were synced
        backend.reset();

        SwitchableFile reopened = SwitchableFile.open(backend, data, OpenOptions.of(FileRole.DATA, CreateMode.OPEN_EXISTING, PAGE));
        int tornBefore = countInvalid(reopened, pages);
        assertNotEquals(0, tornBefore, "the crash must have torn some pages, or this test proves nothing");

        Doublewrite recovered = Doublewrite.open(backend, root.resolve("dblwr"), PAGE, 16);
        Doublewrite.RestoreReport report = recovered.restoreTornPages(spaceId -> spaceId == SPACE ? reopened : null);

        assertEquals(pages, report.copiesFound());
        assertEquals(tornBefore, report.pagesRestored(), report.restoredPages().toString());
        assertEquals(0, countInvalid(reopened, pages));
    }

    @Test
    void autoModeMustSkipDoublewriteOnlyWhenPageWritesAreAtomic() {
        IoCapabilities zfs = new IoCapabilities(4096, 4096, false, 131072, false, true, false, "zfs", Map.of());
        IoCapabilities ext4 = IoCapabilities.pageCache("ext4", Map.of());
        assertEquals(false, DoublewriteMode.AUTO.writesThrough(zfs, 16384));
        assertEquals(true, DoublewriteMode.AUTO.writesThrough(zfs, 262144));
        assertEquals(true, DoublewriteMode.AUTO.writesThrough(ext4, 16384));
        assertTrue(DoublewriteMode.ON.writesThrough(zfs, 16384));
    }

    private static int countInvalid(SwitchableFile file, int pages) throws Exception {
        int invalid = 0;
        for (int p = 0; p < pages; p++) {
            ByteBuffer frame = ByteBuffer.allocateDirect(PAGE + 4096).alignedSlice(4096).limit(PAGE).slice();
            file.read((long) p * PAGE, frame);
            if (PageFormat.verify(frame, SPACE, p) != PageFormat.Verdict.VALID) {
                invalid++;
            }
        }
        return invalid;
    }
}
