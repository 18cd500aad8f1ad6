package io.cairn.engine.core;

import io.cairn.bufferpool.FixMode;
import io.cairn.bufferpool.LatchMode;
import io.cairn.bufferpool.PageHandle;
import io.cairn.bufferpool.PageId;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mini-transaction: latches pages through the buffer pool, applies changes to the frames at once,
 * and describes every change as a physical redo record. Commit appends the records as one group,
 * stamps the pages with the group's end LSN, puts them on the flush list, releases the latches, and
 * then waits for durability (after releasing, so that waiting commits do not block each other's
 * pages and group commit can gather them). Closing without commit restores each changed page from
 * the copy taken before its first change.
 *
 * <p>Not thread-safe: it belongs to the thread that began it.
 */
final class MiniTransactionImpl implements MiniTransaction {

    /** A page this mini-transaction holds. */
    private final class Latched {
        final TablespaceImpl space;
        final PageHandle handle;
        final PageRefImpl ref;
        /** The page before this mini-transaction's first change to it, or null if unchanged. */
        byte[] beforeImage;
        boolean released;

        Latched(TablespaceImpl space, PageHandle handle) {
            this.space = space;
            this.handle = handle;
            this.ref = new PageRefImpl(this);
        }
    }

    private final MtrContext context;
    private final Thread owner = Thread.currentThread();
    private final List<Latched> latched = new ArrayList<>();
    private final Map<PageId, Latched> byPage = new HashMap<>();
    private final List<RedoRecord> records = new ArrayList<>();
    private final List<TablespaceImpl> references = new ArrayList<>();
    private boolean ended;
    /** Whether it entered the engine's mini-transaction gate and still has to leave it. */
    private boolean inGate;

    /** A mini-transaction that did not enter the gate (the engine's own, under its DDL lock). */
    MiniTransactionImpl(MtrContext context) {
        this(context, false);
    }

    /** @param inGate whether the caller entered the context's gate for it ({@link MtrContext#mtrEnded}) */
    MiniTransactionImpl(MtrContext context, boolean inGate) {
        this.context = context;
        this.inGate = inGate;
    }

    @Override
    public PageRef readPage(Tablespace tablespace, long pageNo) throws IOException {
        return latch(tablespace, pageNo, LatchMode.SHARED, FixMode.READ).ref;
    }

    @Override
    public PageRef writePage(Tablespace tablespace, long pageNo) throws IOException {
        return latch(tablespace, pageNo, LatchMode.EXCLUSIVE, FixMode.READ).ref;
    }

    @Override
    public PageRef allocatePage(Tablespace tablespace) throws IOException {
        Latched header = latch(tablespace, TablespaceImpl.HEADER_PAGE_NO, LatchMode.EXCLUSIVE, FixMode.READ);
        TablespaceImpl space = header.space;
        PageRefImpl h = header.ref;
        long freeHead = h.engineGetLong(TablespaceImpl.FREE_HEAD_OFFSET);
        long pageNo;
        if (freeHead != 0) {
            pageNo = freeHead;
            Latched reused = latch(tablespace, pageNo, LatchMode.EXCLUSIVE, FixMode.READ);
            long next = reused.ref.engineGetLong(TablespaceImpl.FREE_NEXT_OFFSET);
            h.enginePutLong(TablespaceImpl.FREE_HEAD_OFFSET, next);
            reused.ref.initialiseLogged();
            return reused.ref;
        }
        pageNo = h.engineGetLong(TablespaceImpl.HIGH_WATER_OFFSET);
        long sizePages = h.engineGetLong(TablespaceImpl.SIZE_PAGES_OFFSET);
        if (pageNo >= sizePages) {
            long newSize = TablespaceImpl.roundToExtents(pageNo + 1);
            // The size change is durable before the page is used (field report 2), and logged so
            // recovery extends a file whose extension was lost with the crash.
            space.extendFileTo(newSize);
            records.add(new RedoRecord.FileExtend(space.spaceId(), newSize));
            h.enginePutLong(TablespaceImpl.SIZE_PAGES_OFFSET, newSize);
            space.sizePages(newSize);
        }
        h.enginePutLong(TablespaceImpl.HIGH_WATER_OFFSET, pageNo + 1);
        Latched fresh = latch(tablespace, pageNo, LatchMode.EXCLUSIVE, FixMode.CREATE);
        fresh.ref.initialiseLogged();
        return fresh.ref;
    }

    @Override
    public void freePage(Tablespace tablespace, long pageNo) throws IOException {
        if (pageNo < TablespaceImpl.FIRST_USER_PAGE_NO) {
            throw new IllegalArgumentException("page " + pageNo + " belongs to the engine and cannot be freed");
        }
        Latched header = latch(tablespace, TablespaceImpl.HEADER_PAGE_NO, LatchMode.EXCLUSIVE, FixMode.READ);
        Latched page = latch(tablespace, pageNo, LatchMode.EXCLUSIVE, FixMode.READ);
        long oldHead = header.ref.engineGetLong(TablespaceImpl.FREE_HEAD_OFFSET);
        page.ref.enginePutLong(TablespaceImpl.FREE_NEXT_OFFSET, oldHead);
        header.ref.enginePutLong(TablespaceImpl.FREE_HEAD_OFFSET, pageNo);
    }

    /** Adds a file operation to this mini-transaction's redo group (create, delete, extend, ...). */
    void logFileRecord(RedoRecord.FileRecord record) {
        checkOwner();
        records.add(record);
    }

    /** Latches a page for the engine's own fields (header pages), bypassing the access-method body check. */
    EngineView engineWritePage(Tablespace tablespace, long pageNo, boolean create) throws IOException {
        Latched l = latch(tablespace, pageNo, LatchMode.EXCLUSIVE, create ? FixMode.CREATE : FixMode.READ);
        if (create) {
            l.ref.initialiseLogged();
        }
        return new EngineView(l.ref);
    }

    /** Logged access to engine-owned bytes of a page. */
    static final class EngineView {
        private final PageRefImpl ref;

        private EngineView(PageRefImpl ref) {
            this.ref = ref;
        }

        long getLong(int pageOffset) {
            return ref.engineGetLong(pageOffset);
        }

        void putLong(int pageOffset, long value) {
            ref.enginePutLong(pageOffset, value);
        }

        void putBytes(int pageOffset, byte[] bytes) {
            ref.enginePutBytes(pageOffset, bytes);
        }

        ByteBuffer frame() {
            return ref.readOnlyFrame();
        }
    }

    @Override
    public void release(PageRef page) {
        checkOwner();
        Latched l = ((PageRefImpl) page).owner();
        if (l.beforeImage != null) {
            throw new IllegalStateException("page " + page.pageNo() + " was changed; it is released at commit");
        }
        if (!l.released) {
            l.released = true;
            l.handle.close();
            byPage.remove(l.handle.pageId());
        }
    }

    @Override
    public long commit() throws IOException {
        return commit(context.defaultDurability());
    }

    @Override
    public long commit(CommitDurability durability) throws IOException {
        checkOwner();
        if (ended) {
            throw new IllegalStateException("the mini-transaction already ended");
        }
        ended = true;
        long endLsn;
        if (records.isEmpty()) {
            long lsn = context.redo().currentLsn();
            releaseAll();
            return lsn;
        }
        // The gate is left only after the durability wait: the redo log this commit is appended to
        // cannot be handed over (and closed) while the commit still waits on it.
        try {
            CommitTracker commits = context.commits();
            long lowerBound = commits.enter(context.redo().currentLsn());
            try {
                try {
                    endLsn = context.redo().append(records);
                } catch (IOException | RuntimeException e) {
                    restoreChangedPages();
                    throw e;
                }
                for (Latched l : latched) {
                    if (l.beforeImage != null && !l.released) {
                        PageFormat.setPageLsn(l.handle.frame(), endLsn);
                        l.handle.markModified(lowerBound, endLsn);
                    }
                }
            } finally {
                commits.exit(lowerBound);
                releasePages();
            }
            try {
                context.redo().waitFor(endLsn, durability);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the commit at LSN " + endLsn + " to become durable",
                        e);
            }
        } finally {
            leaveGate();
        }
        return endLsn;
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        restoreChangedPages();
        releaseAll();
    }

    // ------------------------------------------------------------------ internals

    private Latched latch(Tablespace tablespace, long pageNo, LatchMode mode, FixMode fixMode) throws IOException {
        checkOwner();
        if (ended) {
            throw new IllegalStateException("the mini-transaction already ended");
        }
        TablespaceImpl space = context.resolve(tablespace);
        if (pageNo < 0 || (fixMode != FixMode.CREATE && pageNo >= space.sizePages())) {
            throw new IndexOutOfBoundsException("page " + pageNo + " is beyond the end of " + space);
        }
        PageId id = new PageId(space.spaceId(), pageNo);
        Latched held = byPage.get(id);
        if (held != null) {
            if (mode == LatchMode.EXCLUSIVE && held.handle.latchMode() != LatchMode.EXCLUSIVE) {
                throw new IllegalStateException("page " + pageNo + " of " + space.name()
                        + " is already latched shared in this mini-transaction; latch it exclusively first");
            }
            return held;
        }
        if (!references.contains(space)) {
            space.lifecycle().acquire();
            references.add(space);
        }
        PageHandle handle = context.pool().fix(id, mode, fixMode);
        Latched l = new Latched(space, handle);
        latched.add(l);
        byPage.put(id, l);
        return l;
    }

    private void restoreChangedPages() {
        for (Latched l : latched) {
            if (l.beforeImage != null && !l.released) {
                l.handle.frame().put(0, l.beforeImage);
            }
        }
        records.clear();
    }

    private void releaseAll() {
        releasePages();
        leaveGate();
    }

    private void releasePages() {
        for (int i = latched.size() - 1; i >= 0; i--) {
            Latched l = latched.get(i);
            if (!l.released) {
                l.released = true;
                l.handle.close();
            }
        }
        latched.clear();
        byPage.clear();
        for (TablespaceImpl space : references) {
            space.lifecycle().release();
        }
        references.clear();
    }

    private void leaveGate() {
        if (inGate) {
            inGate = false;
            context.mtrEnded(); // nothing of the pool or the redo log is used any more: a replacement may go on
        }
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a mini-transaction belongs to thread " + owner.getName()
                    + "; it was used from " + Thread.currentThread().getName());
        }
    }

    /** The logged view of a latched page. */
    private final class PageRefImpl implements PageRef {
        private final Latched latched;

        PageRefImpl(Latched latched) {
            this.latched = latched;
        }

        Latched owner() {
            return latched;
        }

        private ByteBuffer frame() {
            if (latched.released) {
                throw new IllegalStateException("page " + pageNo() + " was released");
            }
            return latched.handle.frame();
        }

        @Override
        public long pageNo() {
            return latched.handle.pageId().pageNo();
        }

        @Override
        public int spaceId() {
            return latched.handle.pageId().spaceId();
        }

        @Override
        public int bodyStartOffset() {
            return TablespaceImpl.HEADER_PAGE_NO == pageNo()
                    ? TablespaceImpl.NAME_OFFSET + TablespaceImpl.MAX_NAME_BYTES : PageFormat.bodyStart();
        }

        @Override
        public int bodyEndOffset() {
            return PageFormat.bodyEnd(frame().capacity());
        }

        @Override
        public boolean isWritable() {
            return latched.handle.latchMode() == LatchMode.EXCLUSIVE;
        }

        @Override
        public short pageType() {
            return frame().getShort(PageFormat.PAGE_TYPE_OFFSET);
        }

        @Override
        public void setPageType(short pageType) {
            write(PageFormat.PAGE_TYPE_OFFSET, 2).putShort(PageFormat.PAGE_TYPE_OFFSET, pageType);
            logBytes(PageFormat.PAGE_TYPE_OFFSET, 2);
        }

        @Override
        public byte getByte(int pageOffset) {
            return frame().get(check(pageOffset, 1));
        }

        @Override
        public short getShort(int pageOffset) {
            return frame().getShort(check(pageOffset, 2));
        }

        @Override
        public int getInt(int pageOffset) {
            return frame().getInt(check(pageOffset, 4));
        }

        @Override
        public long getLong(int pageOffset) {
            return frame().getLong(check(pageOffset, 8));
        }

        @Override
        public void get(int pageOffset, byte[] dst, int dstOffset, int lengthBytes) {
            frame().get(check(pageOffset, lengthBytes), dst, dstOffset, lengthBytes);
        }

        @Override
        public void putByte(int pageOffset, byte value) {
            write(check(pageOffset, 1), 1).put(pageOffset, value);
            logBytes(pageOffset, 1);
        }

        @Override
        public void putShort(int pageOffset, short value) {
            write(check(pageOffset, 2), 2).putShort(pageOffset, value);
            logBytes(pageOffset, 2);
        }

        @Override
        public void putInt(int pageOffset, int value) {
            write(check(pageOffset, 4), 4).putInt(pageOffset, value);
            logBytes(pageOffset, 4);
        }

        @Override
        public void putLong(int pageOffset, long value) {
            write(check(pageOffset, 8), 8).putLong(pageOffset, value);
            logBytes(pageOffset, 8);
        }

        @Override
        public void put(int pageOffset, byte[] src, int srcOffset, int lengthBytes) {
            write(check(pageOffset, lengthBytes), lengthBytes).put(pageOffset, src, srcOffset, lengthBytes);
            logBytes(pageOffset, lengthBytes);
        }

        @Override
        public void fill(int pageOffset, int lengthBytes, byte value) {
            ByteBuffer frame = write(check(pageOffset, lengthBytes), lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                frame.put(pageOffset + i, value);
            }
            records.add(new RedoRecord.Memset(spaceId(), pageNo(), pageOffset, lengthBytes, value));
        }

        @Override
        public void move(int sourceOffset, int targetOffset, int lengthBytes) {
            check(sourceOffset, lengthBytes);
            ByteBuffer frame = write(check(targetOffset, lengthBytes), lengthBytes);
            byte[] bytes = new byte[lengthBytes];
            frame.get(sourceOffset, bytes);
            frame.put(targetOffset, bytes);
            records.add(new RedoRecord.Memmove(spaceId(), pageNo(), sourceOffset, targetOffset, lengthBytes));
        }

        // Engine-internal access to header fields outside the access method's body.
        long engineGetLong(int pageOffset) {
            return frame().getLong(pageOffset);
        }

        void enginePutLong(int pageOffset, long value) {
            write(pageOffset, 8).putLong(pageOffset, value);
            logBytes(pageOffset, 8);
        }

        void enginePutBytes(int pageOffset, byte[] bytes) {
            write(pageOffset, bytes.length).put(pageOffset, bytes);
            logBytes(pageOffset, bytes.length);
        }

        ByteBuffer readOnlyFrame() {
            return frame().asReadOnlyBuffer();
        }

        /** Zeroes the page and sets its identity; logged as INIT_PAGE, which recovery repeats. */
        void initialiseLogged() {
            ByteBuffer frame = write(0, 0);
            for (int i = 0; i < frame.capacity(); i += 8) {
                frame.putLong(i, 0);
            }
            PageFormat.initialise(frame, spaceId(), pageNo());
            records.add(new RedoRecord.InitPage(spaceId(), pageNo()));
        }

        private int check(int pageOffset, int lengthBytes) {
            if (pageOffset < bodyStartOffset() || lengthBytes < 0 || pageOffset + lengthBytes > bodyEndOffset()) {
                throw new IndexOutOfBoundsException("bytes [" + pageOffset + ", " + (pageOffset + lengthBytes)
                        + ") are outside the page body [" + bodyStartOffset() + ", " + bodyEndOffset() + ")");
            }
            return pageOffset;
        }

        /** The writable frame, after keeping the before-image on the first change. */
        private ByteBuffer write(int pageOffset, int lengthBytes) {
            if (!isWritable()) {
                throw new IllegalStateException("page " + pageNo() + " is latched shared; use writePage to change it");
            }
            ByteBuffer frame = frame();
            if (latched.beforeImage == null) {
                byte[] copy = new byte[frame.capacity()];
                frame.get(0, copy);
                latched.beforeImage = copy;
            }
            return frame;
        }

        private void logBytes(int pageOffset, int lengthBytes) {
            byte[] bytes = new byte[lengthBytes];
            frame().get(pageOffset, bytes);
            records.add(new RedoRecord.WriteBytes(spaceId(), pageNo(), pageOffset, bytes));
        }
    }
}
