package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bufferpool.lru.LruBufferPool;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Field report 3 (after MySQL bug reports where dropping a table while read-ahead was pending
 * logged errors): a hammer. Readers scan tablespaces larger than the buffer pool page by page, so
 * linear read-ahead fires; a writer dirties pages, so the page cleaner and evictions write them;
 * and a dropper drops and re-creates tablespaces under the same names, each drop right after
 * a read-ahead read of the doomed tablespace started. No thread may see anything but the clear
 * "no such tablespace" error a user call on a dropped tablespace gets, and nothing in Cairn may log
 * at WARNING or above; afterwards the engine closes cleanly and reopens with the tablespaces the
 * dropper left.
 *
 * <p>{@code -Dcairn.test.dropRaceIterations} (default 40) sets the number of drops.
 */
class DropTablespaceRaceTest {

    private static final String BIG = "big";
    private static final String[] VICTIMS = {"hot0", "hot1"};
    /** Data pages of the big tablespace: four extents against a pool of one. */
    private static final int BIG_PAGES = 4 * TablespaceImpl.EXTENT_PAGES - 1;
    /** Data pages of a victim: three extents, so a scan of the first triggers read-ahead of the second. */
    private static final int VICTIM_PAGES = 3 * TablespaceImpl.EXTENT_PAGES - 1;
    private static final long WAIT_FOR_READ_AHEAD_MILLIS = 2_000;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void droppingTablespacesWhileReadAheadAndFlushingRunMustProduceNoErrorsAndNoWarnings() throws Exception {
        int iterations = Integer.getInteger("cairn.test.dropRaceIterations", 40);
        long seed = Long.getLong("cairn.test.dropRaceSeed", System.nanoTime());
        System.out.println("DropTablespaceRaceTest: " + iterations + " drops, seed " + seed);
        Path home = root.resolve("home");
        ReadAheadCountingBackend backend = new ReadAheadCountingBackend(new BufferedStorageBackend(SyncMethod.FDATASYNC));
        // Two instances: the cleaner's worker flushes a partition while the drop evicts the tablespace.
        EngineConfig config = EngineConfig.defaults(home).withBufferPoolSizeBytes(1L << 20)
                .withRedoCapacityBytes(8L << 20).withCleanerIntervalMillis(20).withBufferPoolInstances(2)
                .withPageCleanerThreads(2);

        Logger cairnLogger = Logger.getLogger("io.cairn");
        WarningCollector warnings = new WarningCollector();
        cairnLogger.addHandler(warnings);
        try {
            CairnEngine engine = CairnEngine.open(config, TestEngines.parts(backend));
            Stats stats;
            try {
                populate(engine, engine.createTablespace(BIG), BIG_PAGES);
                stats = hammer(engine, backend, iterations, seed);
                System.out.println("DropTablespaceRaceTest: " + stats + ", read-ahead pages "
                        + ((LruBufferPool) engine.pool()).readAheadPages());
                assertTrue(((LruBufferPool) engine.pool()).readAheadPages() > 0, "read-ahead never fired: " + stats);
            } finally {
                engine.close();
            }
            assertTrue(stats.failures.isEmpty(), () -> "threads failed with something else than a clear "
                    + "no-such-tablespace error: " + describe(stats.failures));
            assertTrue(stats.dropsDuringReadAhead * 2 >= iterations, () -> "most drops must start while "
                    + "read-ahead is reading the doomed tablespace, or the race was not hammered: " + stats);

            try (CairnEngine reopened = CairnEngine.open(config, TestEngines.parts(backend))) {
                assertEquals(List.of(BIG, VICTIMS[0], VICTIMS[1]), reopened.tablespaceNames());
                for (String name : reopened.tablespaceNames()) {
                    Tablespace space = reopened.tablespace(name);
                    for (long pageNo = 0; pageNo < space.sizePages(); pageNo++) {
                        try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
                            mtr.readPage(space, pageNo);
                        }
                    }
                }
                try (Stream<Path> files = Files.list(home.resolve("data"))) {
                    assertEquals(3, files.filter(f -> f.toString().endsWith(".cdb")).count(),
                            "the files of dropped tablespaces must be gone");
                }
            }
        } finally {
            cairnLogger.removeHandler(warnings);
        }
        assertTrue(warnings.records.isEmpty(), () -> "Cairn logged at WARNING or above:\n" + warnings.describe());
    }

    /** Allocates the data pages in small mini-transactions (the pool holds 64 pages) and marks each. */
    private static void populate(CairnEngine engine, Tablespace space, int pages) throws IOException {
        for (int done = 0; done < pages; ) {
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < 16 && done < pages; i++, done++) {
                    PageRef page = mtr.allocatePage(space);
                    page.putLong(page.bodyStartOffset(), page.pageNo());
                }
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
        }
    }

    /** What the hammer saw. */
    private static final class Stats {
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final LongAdder pagesScanned = new LongAdder();
        final LongAdder pagesWritten = new LongAdder();
        final LongAdder noSuchTablespace = new LongAdder();
        int drops;
        int dropsDuringReadAhead;
        long readAheadReadsOfVictims;

        /** The error a user call on a dropped tablespace may get, if it says so clearly; else a failure. */
        void noSuchTablespace(NoSuchTablespaceException e, String name) {
            if (String.valueOf(e.getMessage()).startsWith("no such tablespace: '" + name + "'")) {
                noSuchTablespace.increment();
            } else {
                failures.add(new AssertionError("unclear error for a call on '" + name + "'", e));
            }
        }

        @Override
        public String toString() {
            return drops + " drops, " + dropsDuringReadAhead + " of them while read-ahead was reading the victim, "
                    + readAheadReadsOfVictims + " read-ahead reads of victims, " + pagesScanned + " pages scanned, "
                    + pagesWritten + " pages written, " + noSuchTablespace + " no-such-tablespace errors, "
                    + failures.size() + " failures";
        }
    }

    private Stats hammer(CairnEngine engine, ReadAheadCountingBackend backend, int iterations, long seed)
            throws Exception {
        Stats stats = new Stats();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        // Names the threads may use: a victim joins once populated, so that its first scan, which
        // starts its read-ahead, comes after it is complete, and it leaves only after its drop.
        Set<String> published = ConcurrentHashMap.newKeySet();
        published.add(BIG);
        for (int r = 0; r < 3; r++) {
            boolean preferVictims = r < 2;
            threads.add(new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    if (!scan(engine, pick(published, preferVictims, i), stats)) {
                        scan(engine, BIG, stats); // instead of spinning on a name that is going away
                    }
                }
            }, "scanner-" + r));
        }
        SplittableRandom writerRandom = new SplittableRandom(seed);
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                write(engine, pick(published, false, writerRandom.nextInt(3)), writerRandom, stats);
            }
        }, "writer"));
        for (Thread thread : threads) {
            thread.setUncaughtExceptionHandler((t, e) -> stats.failures.add(e));
            thread.start();
        }
        try {
            for (int i = 0; i < iterations; i++) {
                String doomed = VICTIMS[i % VICTIMS.length];
                Tablespace space = engine.createTablespace(doomed);
                Path file = ((TablespaceImpl) space).file().path();
                populate(engine, space, VICTIM_PAGES);
                published.add(doomed);
                // Read-ahead reads a whole extent page after page: at its first read the rest of the
                // extent is still pending, and that is when the drop must come.
                if (backend.awaitReadAheadRead(file, WAIT_FOR_READ_AHEAD_MILLIS)) {
                    stats.dropsDuringReadAhead++;
                }
                engine.dropTablespace(doomed);
                published.remove(doomed);
                stats.drops++;
                stats.readAheadReadsOfVictims += backend.readAheadReads(file);
            }
            for (String victim : VICTIMS) {
                populate(engine, engine.createTablespace(victim), VICTIM_PAGES);
            }
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
                assertFalse(thread.isAlive(), thread.getName() + " did not stop");
            }
        }
        return stats;
    }

    private static String pick(Set<String> published, boolean preferVictims, int i) {
        List<String> names = new ArrayList<>(published);
        names.sort(null);
        if (preferVictims && names.size() > 1) {
            names.remove(BIG);
        }
        return names.get(i % names.size());
    }

    /**
     * Reads a tablespace page by page in ascending order, each page in its own mini-transaction;
     * false if the tablespace was dropped meanwhile.
     */
    private static boolean scan(CairnEngine engine, String name, Stats stats) {
        try {
            Tablespace space = engine.tablespace(name);
            long size = space.sizePages();
            for (long pageNo = TablespaceImpl.FIRST_USER_PAGE_NO; pageNo < size; pageNo++) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    PageRef page = mtr.readPage(space, pageNo);
                    long mark = page.getLong(page.bodyStartOffset());
                    if (mark != pageNo) {
                        throw new AssertionError("page " + pageNo + " of " + name + " holds the mark " + mark);
                    }
                }
                stats.pagesScanned.increment();
            }
        } catch (NoSuchTablespaceException e) {
            stats.noSuchTablespace(e, name);
            return false;
        } catch (Throwable t) {
            stats.failures.add(t);
        }
        return true;
    }

    /** Dirties one data page (keeping its mark), so the page cleaner and evictions have work. */
    private static void write(CairnEngine engine, String name, SplittableRandom random, Stats stats) {
        try {
            Tablespace space = engine.tablespace(name);
            long pageNo = TablespaceImpl.FIRST_USER_PAGE_NO + random.nextLong(space.sizePages() - 1);
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                PageRef page = mtr.writePage(space, pageNo);
                page.putLong(page.bodyStartOffset() + 8, page.getLong(page.bodyStartOffset() + 8) + 1);
                mtr.commit(CommitDurability.WRITE_ON_COMMIT);
            }
            stats.pagesWritten.increment();
        } catch (NoSuchTablespaceException e) {
            stats.noSuchTablespace(e, name);
        } catch (Throwable t) {
            stats.failures.add(t);
        }
    }

    private static String describe(Iterable<Throwable> failures) {
        StringBuilder text = new StringBuilder();
        for (Throwable t : failures) {
            text.append('\n').append(t);
            for (StackTraceElement frame : t.getStackTrace()) {
                text.append("\n\tat ").append(frame);
            }
        }
        return text.toString();
    }

    /** Keeps every record at WARNING or above that reaches the "io.cairn" logger. */
    private static final class WarningCollector extends Handler {
        final ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();

        WarningCollector() {
            setLevel(Level.WARNING);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            for (LogRecord record : records) {
                text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ")
                        .append(new java.util.logging.SimpleFormatter().formatMessage(record));
                if (record.getThrown() != null) {
                    text.append(" (").append(record.getThrown()).append(')');
                }
                text.append('\n');
            }
            return text.toString();
        }
    }

    /**
     * Counts the reads the buffer pool's read-ahead thread makes, per file, so the test can drop a
     * tablespace while read-ahead is reading it and prove that it did.
     */
    private static final class ReadAheadCountingBackend extends FilterStorageBackend {
        private final StorageBackend target;
        private final Map<Path, AtomicLong> reads = new ConcurrentHashMap<>();
        private final Object readStarted = new Object();

        ReadAheadCountingBackend(StorageBackend target) {
            this.target = target;
        }

        @Override
        protected StorageBackend delegate() {
            return target;
        }

        long readAheadReads(Path file) {
            AtomicLong count = reads.get(file);
            return count == null ? 0 : count.get();
        }

        /** Waits until read-ahead starts a read of {@code file} after this call; false if none did in time. */
        boolean awaitReadAheadRead(Path file, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            synchronized (readStarted) {
                long before = readAheadReads(file);
                while (readAheadReads(file) == before) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(readStarted, left);
                }
                return true;
            }
        }

        private int read(StorageFile file, Path path, long fileOffset, ByteBuffer dst) throws IOException {
            if (!Thread.currentThread().getName().contains("read-ahead")) {
                return file.read(fileOffset, dst);
            }
            synchronized (readStarted) {
                reads.computeIfAbsent(path, f -> new AtomicLong()).incrementAndGet();
                readStarted.notifyAll();
            }
            return file.read(fileOffset, dst);
        }

        @Override
        public StorageFile open(Path path, OpenOptions options) throws IOException {
            StorageFile file = target.open(path, options);
            return new StorageFile() {
                @Override
                public int read(long fileOffset, ByteBuffer dst) throws IOException {
                    return ReadAheadCountingBackend.this.read(file, path, fileOffset, dst);
                }

                @Override
                public void write(long fileOffset, ByteBuffer src) throws IOException {
                    file.write(fileOffset, src);
                }

                @Override
                public void sync(SyncLevel level) throws IOException {
                    file.sync(level);
                }

                @Override
                public long sizeBytes() throws IOException {
                    return file.sizeBytes();
                }

                @Override
                public void allocate(long fileOffset, long lengthBytes) throws IOException {
                    file.allocate(fileOffset, lengthBytes);
                }

                @Override
                public void truncate(long sizeBytes) throws IOException {
                    file.truncate(sizeBytes);
                }

                @Override
                public IoCapabilities capabilities() {
                    return file.capabilities();
                }

                @Override
                public Path path() {
                    return file.path();
                }

                @Override
                public boolean isOpen() {
                    return file.isOpen();
                }

                @Override
                public String describe() {
                    return file.describe();
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }
}
