package io.cairn.testkit;

import io.cairn.bufferpool.PageId;
import io.cairn.bufferpool.PageStore;
import io.cairn.bufferpool.PageWrite;
import io.cairn.engine.CorruptPageException;
import io.cairn.engine.NoSuchTablespaceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A {@link PageStore} test double that keeps pages in memory and records what a buffer pool does
 * with it: reads per page (foreground and background), skipped background reads, and every page
 * written with the newest LSN the pool declared.
 *
 * <p>Page format: a page never written reads as a formatted page, the space id at
 * {@link #SPACE_ID_OFFSET} and the page number at {@link #PAGE_NO_OFFSET}, zeros elsewhere. Tests
 * store the page's LSN at {@link #PAGE_LSN_OFFSET} when they change a page.
 *
 * <p>Simulations:
 * <ul>
 *   <li>The write-ahead rule. Every write is checked against the page's own LSN field: a page
 *       whose bytes carry a newer LSN than the pool declared for it is a {@link #violations()
 *       violation}. By default the double then "syncs redo" up to the declared LSN, as the engine's
 *       store does; with {@link #strictWriteAhead(boolean)} a write beyond {@link #durableLsn()}
 *       fails with an {@link IOException} instead.
 *   <li>Dropped tablespaces ({@link #dropTablespace}): a background read returns false quietly, a
 *       foreground read throws {@link NoSuchTablespaceException}, writes are skipped.
 *   <li>Corrupt pages, failing background reads, gated reads (block until the test opens the
 *       gate) and hooks after foreground reads and before writes.
 * </ul>
 *
 * <p>Thread-safe. Tests wait for asynchronous effects with {@link #await}, which is woken by every
 * read and write (no sleeping).
 */
public class InMemoryPageStore implements PageStore {

    public static final int SPACE_ID_OFFSET = 0;
    public static final int PAGE_NO_OFFSET = 4;
    /** Where tests keep the page's LSN (like InnoDB's FIL_PAGE_LSN); checked on every write. */
    public static final int PAGE_LSN_OFFSET = 16;

    /** One page written by the pool. */
    public record WriteRecord(PageId pageId, long newestModificationLsn, byte[] content, long durableLsnAtWrite) {
    }

    /** A read that blocks until {@link #open()} is called. */
    public static final class ReadGate {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        /** Waits until a read of the gated page has started; false on timeout. */
        public boolean awaitStarted(Duration timeout) throws InterruptedException {
            return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the gated read (and every later one) proceed. */
        public void open() {
            opened.countDown();
        }
    }

    private final int pageSizeBytes;
    private final Map<PageId, byte[]> pages = new ConcurrentHashMap<>();
    private final Map<PageId, AtomicInteger> readsPerPage = new ConcurrentHashMap<>();
    private final Map<PageId, AtomicInteger> backgroundReadsPerPage = new ConcurrentHashMap<>();
    private final Set<Integer> dropped = ConcurrentHashMap.newKeySet();
    private final Set<PageId> corrupt = ConcurrentHashMap.newKeySet();
    private final Set<PageId> failingBackgroundReads = ConcurrentHashMap.newKeySet();
    private final Map<PageId, ReadGate> gates = new ConcurrentHashMap<>();
    private final List<WriteRecord> writes = new ArrayList<>(); // guarded by this
    private final List<String> violations = new ArrayList<>(); // guarded by this
    private long foregroundReads; // guarded by this
    private long backgroundReads; // guarded by this
    private long skippedBackgroundReads; // guarded by this
    private long failedReads; // guarded by this
    private long skippedWrites; // guarded by this
    private long redoSyncs; // guarded by this
    private long pagesWritten; // guarded by this
    private boolean recordWrites = true; // guarded by this
    private long durableLsn; // guarded by this
    private boolean strictWriteAhead; // guarded by this
    private volatile Consumer<PageId> afterForegroundRead = id -> { };
    private volatile Consumer<PageWrite> beforeWrite = w -> { };

    public InMemoryPageStore(int pageSizeBytes) {
        this.pageSizeBytes = pageSizeBytes;
    }

    public int pageSizeBytes() {
        return pageSizeBytes;
    }

    // ------------------------------------------------------------------------------ PageStore

    @Override
    public boolean readPage(PageId pageId, ByteBuffer frame, boolean background) throws IOException {
        if (frame.remaining() != pageSizeBytes) {
            throw new IllegalArgumentException("frame of " + pageId + " has " + frame.remaining() + " bytes, not "
                    + pageSizeBytes);
        }
        if (dropped.contains(pageId.spaceId())) {
            if (background) {
                synchronized (this) {
                    skippedBackgroundReads++;
                    notifyAll();
                }
                return false;
            }
            throw new NoSuchTablespaceException("tablespace " + pageId.spaceId() + " does not exist");
        }
        if (background && failingBackgroundReads.contains(pageId)) {
            synchronized (this) {
                failedReads++;
                notifyAll();
            }
            throw new IOException("simulated read error on " + pageId);
        }
        ReadGate gate = gates.get(pageId);
        if (gate != null) {
            gate.started.countDown();
            try {
                if (!gate.opened.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the read gate of " + pageId + " was not opened within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted at the read gate of " + pageId);
            }
        }
        if (corrupt.contains(pageId)) {
            synchronized (this) {
                failedReads++;
                notifyAll();
            }
            throw new CorruptPageException(pageId.spaceId(), pageId.pageNo(), "checksum mismatch (simulated)");
        }
        byte[] content = pages.get(pageId);
        ByteBuffer target = frame.duplicate();
        if (content != null) {
            target.put(content);
        } else {
            target.put(formatted(pageId, pageSizeBytes));
        }
        readsPerPage.computeIfAbsent(pageId, id -> new AtomicInteger()).incrementAndGet();
        if (background) {
            backgroundReadsPerPage.computeIfAbsent(pageId, id -> new AtomicInteger()).incrementAndGet();
        }
        synchronized (this) {
            if (background) {
                backgroundReads++;
            } else {
                foregroundReads++;
            }
            notifyAll();
        }
        if (!background) {
            afterForegroundRead.accept(pageId);
        }
        return true;
    }

    @Override
    public void writePages(List<PageWrite> batch) throws IOException {
        for (PageWrite write : batch) {
            beforeWrite.accept(write);
            PageId id = write.pageId();
            ByteBuffer frame = write.frame();
            if (frame.position() != 0 || frame.remaining() != pageSizeBytes) {
                throw new IllegalArgumentException("frame of " + id + " must have position 0 and " + pageSizeBytes
                        + " bytes remaining, had " + frame);
            }
            byte[] content = new byte[pageSizeBytes];
            frame.duplicate().get(content);
            long pageLsn = ByteBuffer.wrap(content).getLong(PAGE_LSN_OFFSET);
            synchronized (this) {
                if (dropped.contains(id.spaceId())) {
                    skippedWrites++;
                    continue;
                }
                if (pageLsn > write.newestModificationLsn()) {
                    violations.add(id + " carries LSN " + pageLsn + " but was written with newest LSN "
                            + write.newestModificationLsn());
                }
                if (write.newestModificationLsn() > durableLsn) {
                    if (strictWriteAhead) {
                        throw new IOException("write-ahead rule: redo is durable to LSN " + durableLsn + ", " + id
                                + " needs " + write.newestModificationLsn());
                    }
                    durableLsn = write.newestModificationLsn(); // the simulated store syncs redo first
                    redoSyncs++;
                }
                pages.put(id, content);
                pagesWritten++;
                if (recordWrites) {
                    writes.add(new WriteRecord(id, write.newestModificationLsn(), content, durableLsn));
                }
                notifyAll();
            }
        }
    }

    /** The contents of a page that was never written. */
    public static byte[] formatted(PageId pageId, int pageSizeBytes) {
        ByteBuffer page = ByteBuffer.allocate(pageSizeBytes);
        page.putInt(SPACE_ID_OFFSET, pageId.spaceId());
        page.putLong(PAGE_NO_OFFSET, pageId.pageNo());
        return page.array();
    }

    // ---------------------------------------------------------------------------- simulation

    /** Makes a tablespace disappear (background reads skip it, foreground reads fail, writes are skipped). */
    public void dropTablespace(int spaceId) {
        dropped.add(spaceId);
    }

    /** Makes every read of a page fail verification until {@link #repairPage}. */
    public void corruptPage(PageId pageId) {
        corrupt.add(pageId);
    }

    public void repairPage(PageId pageId) {
        corrupt.remove(pageId);
    }

    /** Makes background reads of a page fail with an {@link IOException}. */
    public void failBackgroundReads(PageId pageId) {
        failingBackgroundReads.add(pageId);
    }

    /** Blocks reads of a page until the returned gate is opened. */
    public ReadGate gateRead(PageId pageId) {
        ReadGate gate = new ReadGate();
        gates.put(pageId, gate);
        return gate;
    }

    /** Runs after every successful foreground read, on the reading thread (to stage races). */
    public void afterForegroundRead(Consumer<PageId> hook) {
        this.afterForegroundRead = hook == null ? id -> { } : hook;
    }

    /** Runs before each page of a write batch is written, on the writing thread. */
    public void beforeWrite(Consumer<PageWrite> hook) {
        this.beforeWrite = hook == null ? w -> { } : hook;
    }

    /** With true, a write beyond {@link #durableLsn()} fails instead of syncing redo first. */
    public synchronized void strictWriteAhead(boolean strict) {
        this.strictWriteAhead = strict;
    }

    public synchronized void durableLsn(long lsn) {
        this.durableLsn = lsn;
    }

    public synchronized long durableLsn() {
        return durableLsn;
    }

    // ------------------------------------------------------------------------------- records

    /** The last written contents of a page, or null if it was never written. */
    public byte[] stored(PageId pageId) {
        byte[] content = pages.get(pageId);
        return content == null ? null : content.clone();
    }

    /** Successful reads of a page, foreground and background. */
    public int reads(PageId pageId) {
        AtomicInteger n = readsPerPage.get(pageId);
        return n == null ? 0 : n.get();
    }

    /** Successful background reads of a page. */
    public int backgroundReads(PageId pageId) {
        AtomicInteger n = backgroundReadsPerPage.get(pageId);
        return n == null ? 0 : n.get();
    }

    /** Successful background reads of the pages {@code [firstPageNo, firstPageNo + count)} of a tablespace. */
    public int backgroundReads(int spaceId, long firstPageNo, int count) {
        int total = 0;
        for (long p = firstPageNo; p < firstPageNo + count; p++) {
            total += backgroundReads(new PageId(spaceId, p)) > 0 ? 1 : 0;
        }
        return total;
    }

    public synchronized long foregroundReads() {
        return foregroundReads;
    }

    public synchronized long backgroundReads() {
        return backgroundReads;
    }

    /** Successful reads, foreground and background. */
    public synchronized long successfulReads() {
        return foregroundReads + backgroundReads;
    }

    public synchronized long skippedBackgroundReads() {
        return skippedBackgroundReads;
    }

    /** Reads that failed (corrupt pages, simulated read errors). */
    public synchronized long failedReads() {
        return failedReads;
    }

    public synchronized long skippedWrites() {
        return skippedWrites;
    }

    public synchronized long redoSyncs() {
        return redoSyncs;
    }

    /** Every page written, in order. */
    public synchronized List<WriteRecord> writes() {
        return List.copyOf(writes);
    }

    /** The writes of one page, in order. */
    public synchronized List<WriteRecord> writes(PageId pageId) {
        List<WriteRecord> result = new ArrayList<>();
        for (WriteRecord w : writes) {
            if (w.pageId().equals(pageId)) {
                result.add(w);
            }
        }
        return result;
    }

    /** Pages written (also those not kept in {@link #writes()}). */
    public synchronized long pagesWritten() {
        return pagesWritten;
    }

    /**
     * With false, writes are no longer kept in {@link #writes()} (only counted and stored), so
     * that long soak runs do not keep a copy of every page ever written.
     */
    public synchronized void recordWrites(boolean record) {
        this.recordWrites = record;
    }

    /** Writes that broke the write-ahead rule (page LSN newer than the declared newest LSN). */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /**
     * Waits until {@code condition} holds, re-evaluating it after every read and write.
     *
     * @return false if it still does not hold after {@code timeout}
     */
    public boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMillis <= 0) {
                    return false;
                }
                // Bounded slices: the condition may also depend on state outside this store.
                wait(Math.min(leftMillis, 50));
            }
            return true;
        }
    }
}
