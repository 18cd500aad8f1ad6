package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.redo.RedoGroupVisitor;
import io.cairn.redo.RedoRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Redo apply: for each complete group from the checkpoint on, file records are replayed (a file
 * created in the log window is created if its creation was lost; a size extension is repeated) and
 * page records are applied to every page whose LSN is older than the group. A page's LSN moves to
 * the group's end LSN, so applying twice is impossible and a crash during recovery is harmless.
 * Deletions of files are collected and done after apply, when nothing refers to them any more.
 */
final class Recovery implements RedoGroupVisitor {

    /** What recovery needs from the engine while it opens. */
    interface Files {
        /** The tablespace with this id, or null if it does not exist (any more). */
        TablespaceImpl space(int spaceId);

        /** Re-creates a tablespace file whose creation is in the log but not on disk. */
        TablespaceImpl recreate(int spaceId, String fileName) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger("io.cairn.engine.recovery");
    private static final long PROGRESS_INTERVAL_MILLIS = 5000;

    private final BufferPool pool;
    private final Files files;
    private final Set<Integer> deleted = new TreeSet<>();
    private long groups;
    private long pagesChanged;
    private final long startedMillis = System.currentTimeMillis();
    private long lastProgressMillis = startedMillis;
    private final long startLsn;
    private final long endLsn;

    /**
     * @param startLsn where the scan starts (the checkpoint)
     * @param endLsn where the log ends, as the redo log found at open: the scan's 100%
     */
    Recovery(BufferPool pool, Files files, long startLsn, long endLsn) {
        this.pool = pool;
        this.files = files;
        this.startLsn = startLsn;
        this.endLsn = endLsn;
    }

    @Override
    public void group(long groupStartLsn, long groupEndLsn, List<RedoRecord> records) throws IOException {
        groups++;
        Map<PageId, List<RedoRecord.PageRecord>> byPage = new LinkedHashMap<>();
        for (RedoRecord record : records) {
            if (record instanceof RedoRecord.FileCreate create) {
                deleted.remove(create.spaceId());
                if (files.space(create.spaceId()) == null) {
                    files.recreate(create.spaceId(), create.fileName());
                }
            } else if (record instanceof RedoRecord.FileDelete delete) {
                deleted.add(delete.spaceId());
            } else if (record instanceof RedoRecord.FileExtend extend) {
                TablespaceImpl space = files.space(extend.spaceId());
                if (space != null && !deleted.contains(extend.spaceId())) {
                    space.extendFileTo(extend.sizePages());
                    space.sizePages(Math.max(space.sizePages(), extend.sizePages()));
                }
            } else if (record instanceof RedoRecord.PageRecord page) {
                if (!deleted.contains(page.spaceId()) && files.space(page.spaceId()) != null) {
                    byPage.computeIfAbsent(new PageId(page.spaceId(), page.pageNo()), id -> new ArrayList<>()).add(page);
                }
            }
        }
        for (Map.Entry<PageId, List<RedoRecord.PageRecord>> entry : byPage.entrySet()) {
            apply(entry.getKey(), entry.getValue(), groupStartLsn, groupEndLsn);
        }
        long now = System.currentTimeMillis();
        if (now - lastProgressMillis >= PROGRESS_INTERVAL_MILLIS) {
            lastProgressMillis = now;
            LOG.log(System.Logger.Level.INFO, progressLine(startLsn, groupEndLsn, endLsn, now - startedMillis, groups,
                    pagesChanged));
        }
    }

    /**
     * One progress line: how far through the log, and an estimate of the time left from the rate so
     * far (redo apply runs at a fairly even pace per LSN, so a linear estimate is honest enough).
     */
    static String progressLine(long startLsn, long nowLsn, long endLsn, long elapsedMillis, long groups, long pages) {
        long total = Math.max(1, endLsn - startLsn);
        long done = Math.max(0, Math.min(total, nowLsn - startLsn));
        double fraction = (double) done / total;
        String estimate;
        if (done == 0) {
            estimate = "no estimate yet";
        } else if (done == total) {
            estimate = "finishing";
        } else {
            long leftMillis = (long) (elapsedMillis * ((double) (total - done) / done));
            estimate = "about " + Math.max(1, (leftMillis + 999) / 1000) + " s left";
        }
        return String.format(java.util.Locale.ROOT, "recovery: %.1f%% of the redo applied (LSN %d of %d..%d), "
                + "%d groups, %d page changes in %d s, %s", fraction * 100, nowLsn, startLsn, endLsn, groups, pages,
                elapsedMillis / 1000, estimate);
    }

    private void apply(PageId id, List<RedoRecord.PageRecord> records, long groupStartLsn, long groupEndLsn)
            throws IOException {
        // A page (re)initialised by this group need not be read: its old contents do not matter, and
        // reading it could fail on a page that was torn or never written.
        boolean initialises = records.get(0) instanceof RedoRecord.InitPage;
        try (PageHandle handle = pool.fix(id, LatchMode.EXCLUSIVE, initialises ? FixMode.CREATE : FixMode.READ)) {
            ByteBuffer frame = handle.frame();
            if (!initialises && PageFormat.pageLsn(frame) >= groupEndLsn) {
                return; // the page was written after this change: already applied
            }
            for (RedoRecord.PageRecord record : records) {
                applyRecord(frame, record);
            }
            PageFormat.setPageLsn(frame, groupEndLsn);
            handle.markModified(groupStartLsn, groupEndLsn);
            pagesChanged++;
        }
    }

    static void applyRecord(ByteBuffer frame, RedoRecord.PageRecord record) {
        if (record instanceof RedoRecord.InitPage init) {
            for (int i = 0; i < frame.capacity(); i += 8) {
                frame.putLong(i, 0);
            }
            PageFormat.initialise(frame, init.spaceId(), init.pageNo());
        } else if (record instanceof RedoRecord.WriteBytes write) {
            frame.put(write.pageOffset(), write.bytes());
        } else if (record instanceof RedoRecord.Memset memset) {
            for (int i = 0; i < memset.lengthBytes(); i++) {
                frame.put(memset.pageOffset() + i, memset.value());
            }
        } else if (record instanceof RedoRecord.Memmove move) {
            byte[] bytes = new byte[move.lengthBytes()];
            frame.get(move.sourceOffset(), bytes);
            frame.put(move.targetOffset(), bytes);
        }
        // FreePage carries no bytes: the free-list links are logged as writes.
    }

    /** Tablespaces whose deletion is in the log; the engine deletes their files after apply. */
    Set<Integer> deletedSpaces() {
        return deleted;
    }

    long groups() {
        return groups;
    }

    long pagesChanged() {
        return pagesChanged;
    }
}
