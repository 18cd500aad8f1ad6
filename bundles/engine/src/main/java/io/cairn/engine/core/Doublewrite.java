package io.cairn.engine.core;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The doublewrite file: before pages are written in place, a copy of the batch is written here
 * and synced, so that a page torn by a crash during its in-place write can be restored from its
 * copy before redo is applied (redo records are deltas and cannot repair a half-old, half-new page).
 *
 * <p>The file holds {@code slots} whole pages; each copy identifies itself by the space id and page
 * number in its own header and is checked by its own checksum, so no separate index is needed.
 * Batches larger than the file are written in several rounds. Writers are serialised: one batch at
 * a time uses the file.
 */
public final class Doublewrite implements AutoCloseable {

    /** What restoring found and did, for the recovery log. */
    public record RestoreReport(int copiesFound, int pagesRestored, List<String> restoredPages) {
    }

    /** Where recovery reads and writes the in-place pages. */
    public interface PageLocator {
        /** The open file of tablespace {@code spaceId}, or null if the tablespace no longer exists. */
        SwitchableFile file(int spaceId) throws IOException;
    }

    private final SwitchableFile file;
    private final int pageSizeBytes;
    private final int slots;
    private final ByteBuffer batchBuffer;

    private Doublewrite(SwitchableFile file, int pageSizeBytes, int slots) {
        this.file = file;
        this.pageSizeBytes = pageSizeBytes;
        this.slots = slots;
        int alignment = Math.max(4096, file.capabilities().bufferAlignmentBytes());
        this.batchBuffer = ByteBuffer.allocateDirect(slots * pageSizeBytes + alignment).alignedSlice(alignment);
    }

    /** Opens (creating if needed) the doublewrite file at {@code path} with room for {@code slots} pages. */
    public static Doublewrite open(StorageBackend backend, Path path, int pageSizeBytes, int slots) throws IOException {
        SwitchableFile file = SwitchableFile.open(backend, path,
                OpenOptions.of(FileRole.DOUBLEWRITE, CreateMode.OPEN_OR_CREATE, pageSizeBytes));
        file.extendDurably((long) slots * pageSizeBytes);
        return new Doublewrite(file, pageSizeBytes, slots);
    }

    /** How many pages one round of {@link #writeCopies} can hold. */
    public int slots() {
        return slots;
    }

    /** The underlying file, for backend swaps. */
    public SwitchableFile file() {
        return file;
    }

    /**
     * Writes copies of stamped pages and syncs them. On return every page of {@code stampedPages}
     * has a durable copy, so its in-place write may tear safely. Each buffer must hold one page
     * (position 0, limit the page size) already stamped by {@link PageFormat#stamp}.
     *
     * <p>REQUIRES: at most {@link #slots()} pages, and the caller holds this object's monitor from
     * before this call until the in-place writes of these pages are synced: the next call reuses the
     * slots, and a copy must not be overwritten while its page can still tear.
     */
    public synchronized void writeCopies(List<ByteBuffer> stampedPages) throws IOException {
        if (stampedPages.size() > slots) {
            throw new IllegalArgumentException(stampedPages.size() + " pages exceed the " + slots + " doublewrite slots");
        }
        batchBuffer.clear();
        for (ByteBuffer page : stampedPages) {
            batchBuffer.put(page.duplicate().clear());
        }
        batchBuffer.flip();
        file.write(0, batchBuffer);
        file.sync(SyncLevel.DATA);
    }

    /**
     * Recovery's first step: for every valid copy in the file whose in-place page fails
     * verification, writes the copy back in place and syncs. Copies of tablespaces that no longer
     * exist, and copies older than a valid in-place page, are ignored.
     */
    public RestoreReport restoreTornPages(PageLocator locator) throws IOException {
        ByteBuffer all = ByteBuffer.allocateDirect(slots * pageSizeBytes + 4096).alignedSlice(4096)
                .limit(slots * pageSizeBytes);
        file.read(0, all);
        // A page can have copies in several slots (an older batch's copy survives in a slot that later,
        // smaller batches did not reach): only the newest copy may be used, or a page would go back
        // to a state older than the checkpoint and lose changes that redo no longer holds.
        java.util.Map<io.cairn.bufferpool.PageId, ByteBuffer> newest = new java.util.LinkedHashMap<>();
        for (int slot = 0; slot < slots; slot++) {
            ByteBuffer copy = all.duplicate().position(slot * pageSizeBytes).limit((slot + 1) * pageSizeBytes).slice();
            int spaceId = copy.getInt(PageFormat.SPACE_ID_OFFSET);
            long pageNo = copy.getLong(PageFormat.PAGE_NO_OFFSET);
            if (PageFormat.verify(copy, spaceId, pageNo) != PageFormat.Verdict.VALID) {
                continue; // an empty slot, or a copy torn while it was written (its page was not yet touched)
            }
            io.cairn.bufferpool.PageId id = new io.cairn.bufferpool.PageId(spaceId, pageNo);
            ByteBuffer known = newest.get(id);
            if (known == null || PageFormat.pageLsn(copy) > PageFormat.pageLsn(known)) {
                newest.put(id, copy);
            }
        }
        int copies = newest.size();
        List<String> restored = new ArrayList<>();
        // slice(): PageFormat takes the page size from the capacity, and an aligned start can leave a larger one.
        ByteBuffer inPlace = ByteBuffer.allocateDirect(pageSizeBytes + 4096).alignedSlice(4096).limit(pageSizeBytes).slice();
        for (java.util.Map.Entry<io.cairn.bufferpool.PageId, ByteBuffer> entry : newest.entrySet()) {
            int spaceId = entry.getKey().spaceId();
            long pageNo = entry.getKey().pageNo();
            ByteBuffer copy = entry.getValue();
            SwitchableFile target = locator.file(spaceId);
            if (target == null) {
                continue;
            }
            long fileOffset = pageNo * pageSizeBytes;
            inPlace.clear();
            target.read(fileOffset, inPlace);
            PageFormat.Verdict verdict = PageFormat.verify(inPlace, spaceId, pageNo);
            if (verdict == PageFormat.Verdict.VALID || verdict == PageFormat.Verdict.ALL_ZEROS
                    && PageFormat.pageLsn(copy) == 0) {
                continue;
            }
            target.write(fileOffset, copy.duplicate().clear());
            target.sync(SyncLevel.DATA);
            restored.add("space " + spaceId + " page " + pageNo + " (" + verdict.name().toLowerCase() + ")");
        }
        return new RestoreReport(copies, restored.size(), restored);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
