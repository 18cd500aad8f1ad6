package io.cairn.engine.core;

import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.PageWrite;
import io.cairn.engine.CorruptPageException;
import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.io.SyncLevel;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The engine's side of the buffer pool: verified page reads and durable page writes.
 *
 * <p>Writes follow the write-ahead rule (redo is synced up to each page's newest LSN before the page
 * is written), go through the doublewrite file when the mode and the data backend call for it, and
 * end with a sync of every file written. Pages of a tablespace that is being dropped are skipped
 * quietly, and background reads of such a tablespace return false without an error (field report 3).
 */
final class EnginePageStore implements PageStore {

    private final IntFunction<TablespaceImpl> spaces;
    private final Supplier<RedoLog> redo;
    private final Doublewrite doublewrite;
    private final Supplier<DoublewriteMode> doublewriteMode;
    private final int pageSizeBytes;
    private final WriteGate writeGate;

    /** An I/O step. */
    interface IoStep {
        void run() throws IOException;
    }

    /** Runs each batch's writes; the engine holds data backend swaps off meanwhile. */
    interface WriteGate {
        void around(IoStep batch) throws IOException;
    }

    EnginePageStore(IntFunction<TablespaceImpl> spaces, Supplier<RedoLog> redo, Doublewrite doublewrite,
            Supplier<DoublewriteMode> doublewriteMode, int pageSizeBytes, WriteGate writeGate) {
        this.spaces = spaces;
        this.redo = redo;
        this.doublewrite = doublewrite;
        this.doublewriteMode = doublewriteMode;
        this.pageSizeBytes = pageSizeBytes;
        this.writeGate = writeGate;
    }

    @Override
    public boolean readPage(PageId pageId, ByteBuffer frame, boolean background) throws IOException {
        TablespaceImpl space = spaces.apply(pageId.spaceId());
        if (space == null) {
            if (background) {
                return false;
            }
            throw new NoSuchTablespaceException("no such tablespace: space id " + pageId.spaceId());
        }
        if (background) {
            if (!space.lifecycle().tryAcquireForBackground()) {
                return false;
            }
        } else {
            space.lifecycle().acquire();
        }
        try {
            space.lifecycle().ioStarted();
            try {
                ByteBuffer target = frame.duplicate().clear();
                space.file().read(pageId.pageNo() * pageSizeBytes, target);
            } finally {
                space.lifecycle().ioDone();
            }
        } finally {
            space.lifecycle().release();
        }
        PageFormat.Verdict verdict = PageFormat.verify(frame, pageId.spaceId(), pageId.pageNo());
        if (verdict == PageFormat.Verdict.ALL_ZEROS) {
            PageFormat.initialise(frame, pageId.spaceId(), pageId.pageNo()); // allocated, never written
            return true;
        }
        if (verdict != PageFormat.Verdict.VALID) {
            throw new CorruptPageException(pageId.spaceId(), pageId.pageNo(), PageFormat.explain(verdict, frame)
                    + " in " + space.file().path());
        }
        return true;
    }

    private void writeInPlaceAndSync(List<TablespaceImpl> owners, List<PageId> ids, List<ByteBuffer> copies,
            int start, int end) throws IOException {
        Map<TablespaceImpl, Boolean> written = new LinkedHashMap<>();
        for (int i = start; i < end; i++) {
            TablespaceImpl space = owners.get(i);
            space.lifecycle().ioStarted();
            try {
                space.file().write(ids.get(i).pageNo() * pageSizeBytes, copies.get(i));
            } finally {
                space.lifecycle().ioDone();
            }
            written.put(space, Boolean.TRUE);
        }
        for (TablespaceImpl space : written.keySet()) {
            space.file().sync(SyncLevel.DATA);
        }
    }

    @Override
    public void writePages(List<PageWrite> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        long newest = 0;
        for (PageWrite write : batch) {
            newest = Math.max(newest, write.newestModificationLsn());
        }
        try {
            // The write-ahead rule: no page reaches its file before the redo that explains it.
            redo.get().waitFor(newest, CommitDurability.SYNC_ON_COMMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for redo up to LSN " + newest + " before writing pages", e);
        }
        List<ByteBuffer> copies = new ArrayList<>(batch.size());
        List<TablespaceImpl> owners = new ArrayList<>(batch.size());
        List<PageId> ids = new ArrayList<>(batch.size());
        // One aligned allocation for the whole batch, sliced per page: direct buffers are costly to
        // allocate, and the copies are needed only until this call returns.
        ByteBuffer batchCopies = ByteBuffer.allocateDirect(batch.size() * pageSizeBytes + 4096).alignedSlice(4096);
        try {
            for (PageWrite write : batch) {
                TablespaceImpl space = spaces.apply(write.pageId().spaceId());
                if (space == null || !space.lifecycle().tryAcquireForBackground()) {
                    continue; // being dropped: its pages are not needed any more
                }
                owners.add(space);
                ids.add(write.pageId());
                int slot = copies.size();
                ByteBuffer copy = batchCopies.duplicate().position(slot * pageSizeBytes)
                        .limit((slot + 1) * pageSizeBytes).slice();
                copy.put(write.frame().duplicate().clear()).clear();
                PageFormat.stamp(copy);
                copies.add(copy);
            }
            if (copies.isEmpty()) {
                return;
            }
            writeGate.around(() -> {
                if (doublewriteMode.get().writesThrough(owners.get(0).file().capabilities(), pageSizeBytes)) {
                    // One batch at a time owns the doublewrite slots, from writing its copies until its
                    // in-place writes are synced: a copy overwritten earlier could not repair its page.
                    synchronized (doublewrite) {
                        for (int start = 0; start < copies.size(); start += doublewrite.slots()) {
                            int end = Math.min(copies.size(), start + doublewrite.slots());
                            doublewrite.writeCopies(copies.subList(start, end));
                            writeInPlaceAndSync(owners, ids, copies, start, end);
                        }
                    }
                } else {
                    writeInPlaceAndSync(owners, ids, copies, 0, copies.size());
                }
            });
        } finally {
            for (TablespaceImpl space : owners) {
                space.lifecycle().release();
            }
        }
    }
}
