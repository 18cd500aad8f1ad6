package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.ComponentKind;
import io.cairn.engine.EngineEvent;
import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.SwapFailedException;
import io.cairn.engine.Tablespace;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backend swaps of a running engine ({@link CairnEngine#switchBackend}): files move while commits
 * run and nothing is lost; a backend that cannot take every file leaves every file where it was.
 */
class BackendSwapTest {

    private static final int PAGES = 64;

    @TempDir
    Path root;

    /** A backend under another name that records the files it opened. */
    static final class Named extends FilterStorageBackend {
        private final String name;
        private final StorageBackend delegate;
        final Set<Path> opened = ConcurrentHashMap.newKeySet();
        volatile String refuseFileNamed;
        volatile int bufferAlignmentBytes;

        Named(String name, StorageBackend delegate) {
            this.name = name;
            this.delegate = delegate;
        }

        @Override
        protected StorageBackend delegate() {
            return delegate;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public StorageFile open(Path path, OpenOptions options) throws IOException {
            if (path.getFileName().toString().equals(refuseFileNamed)) {
                throw new IOException("simulated: " + name + " cannot open " + path.getFileName());
            }
            StorageFile file = super.open(path, options);
            opened.add(path.getFileName());
            int alignment = bufferAlignmentBytes;
            return alignment == 0 ? file : withAlignment(file, alignment);
        }
    }

    /** A file that claims to need larger buffer alignment than it does. */
    private static StorageFile withAlignment(StorageFile file, int alignment) {
        return (StorageFile) Proxy.newProxyInstance(StorageFile.class.getClassLoader(), new Class<?>[] {StorageFile.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("capabilities")) {
                        IoCapabilities c = file.capabilities();
                        return new IoCapabilities(alignment, c.offsetAlignmentBytes(), c.direct(), c.atomicWriteUnitBytes(),
                                c.writeDurableOnReturn(), c.needsSyncAfterResize(), c.powersafeOverwrite(),
                                c.fileSystemType(), Map.of());
                    }
                    try {
                        return method.invoke(file, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static EngineConfig config(Path home) {
        return EngineConfig.defaults(home).withBufferPoolSizeBytes(1L << 20).withRedoCapacityBytes(8L << 20)
                .withDoublewrite(DoublewriteMode.ON).withCleanerIntervalMillis(20);
    }

    private static void allocate(CairnEngine engine, Tablespace space, int pages) throws IOException {
        for (int done = 0; done < pages; done += 16) {
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                for (int i = 0; i < 16; i++) {
                    mtr.allocatePage(space);
                }
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void swapsOfTheDataAndRedoBackendsUnderCommitsMustLoseNothingAndMoveEveryFile() throws Exception {
        Named first = new Named("first", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        Named second = new Named("second", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        Path home = root.resolve("home");
        CairnEngine engine = CairnEngine.open(config(home), TestEngines.parts(first));
        List<EngineEvent> events = new ArrayList<>();
        engine.addListener(event -> {
            synchronized (events) {
                events.add(event);
            }
        });
        List<Tablespace> spaces = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            spaces.add(engine.createTablespace("t" + s));
            allocate(engine, spaces.get(s), PAGES);
        }
        // slot[s * PAGES + p] = the last value acknowledged for page p of space s (page 0 of the body)
        AtomicLongArray acknowledged = new AtomicLongArray(3 * PAGES);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int space = w; // each writer owns one tablespace, so its values only grow
            SplittableRandom random = new SplittableRandom(w);
            Thread writer = new Thread(() -> {
                long value = 0;
                while (!stop.get()) {
                    int page = random.nextInt(PAGES);
                    value++;
                    try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                        PageRef ref = mtr.writePage(spaces.get(space), TablespaceImpl.FIRST_USER_PAGE_NO + page);
                        ref.putLong(ref.bodyStartOffset(), value);
                        mtr.commit(CommitDurability.SYNC_ON_COMMIT);
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                    acknowledged.set(space * PAGES + page, value);
                    commits.incrementAndGet();
                }
            }, "swap-writer-" + w);
            writers.add(writer);
            writer.start();
        }
        try {
            for (int round = 0; round < 6; round++) {
                long before = commits.get();
                awaitCommits(commits, before + 50, failures);
                // data and redo in turn: to second, to first, to second
                Named target = (round / 2) % 2 == 0 ? second : first;
                engine.switchBackend(round % 2 == 0 ? ComponentKind.DATA_BACKEND : ComponentKind.REDO_BACKEND, target);
            }
            awaitCommits(commits, commits.get() + 50, failures);
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertEquals(List.of(), new ArrayList<>(failures), "no operation may fail during swaps");
        assertEquals("second", engine.active(ComponentKind.DATA_BACKEND));
        assertEquals("second", engine.active(ComponentKind.REDO_BACKEND));
        assertEquals("second", engine.engineStatus().dataBackend().name());
        for (Tablespace space : spaces) {
            assertSame(second, ((TablespaceImpl) space).file().backend(), space.name() + " must be on the new backend");
        }
        assertTrue(second.opened.containsAll(Set.of(Path.of("1.cdb"), Path.of("2.cdb"), Path.of("3.cdb"))), second.opened.toString());
        synchronized (events) {
            assertEquals(6, events.stream().filter(e -> e instanceof EngineEvent.SwapCompleted).count(), events.toString());
        }
        engine.close();

        CairnEngine reopened = CairnEngine.open(config(home), TestEngines.parts(first));
        try {
            for (int s = 0; s < 3; s++) {
                Tablespace space = reopened.tablespace("t" + s);
                for (int p = 0; p < PAGES; p++) {
                    try (MiniTransaction mtr = reopened.beginMiniTransaction()) {
                        PageRef ref = mtr.readPage(space, TablespaceImpl.FIRST_USER_PAGE_NO + p);
                        long stored = ref.getLong(ref.bodyStartOffset());
                        assertTrue(stored >= acknowledged.get(s * PAGES + p), "t" + s + " page " + p + " holds " + stored
                                + ", but " + acknowledged.get(s * PAGES + p) + " was acknowledged");
                    }
                }
            }
        } finally {
            reopened.close();
        }
    }

    private static void awaitCommits(AtomicLong commits, long target, ConcurrentLinkedQueue<Throwable> failures) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (commits.get() < target && failures.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("commits stalled at " + commits.get() + ", waiting for " + target);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aBackendThatCannotOpenOneFileMustLeaveEveryFileOnTheOldOne() throws Exception {
        Named first = new Named("first", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        Named second = new Named("second", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        second.refuseFileNamed = "2.cdb";
        try (CairnEngine engine = CairnEngine.open(config(root.resolve("home")), TestEngines.parts(first))) {
            List<Tablespace> spaces = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                spaces.add(engine.createTablespace("t" + s));
            }
            List<EngineEvent> events = new ArrayList<>();
            engine.addListener(events::add);
            SwapFailedException failure = assertThrows(SwapFailedException.class,
                    () -> engine.switchBackend(ComponentKind.DATA_BACKEND, second));
            assertEquals(ComponentKind.DATA_BACKEND, failure.kind());
            assertTrue(failure.getMessage().contains("cannot open 2.cdb"), failure.getMessage());
            assertTrue(second.opened.contains(Path.of("1.cdb")), "the first file did move before the failure");
            for (Tablespace space : spaces) {
                assertSame(first, ((TablespaceImpl) space).file().backend(), space.name() + " must be back on the old backend");
            }
            assertEquals("first", engine.active(ComponentKind.DATA_BACKEND));
            assertTrue(events.stream().anyMatch(e -> e instanceof EngineEvent.SwapFailed), events.toString());
            // The engine still works: write, flush, checkpoint.
            try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                mtr.allocatePage(spaces.get(1));
                mtr.commit(CommitDurability.SYNC_ON_COMMIT);
            }
            engine.checkpointNow();
        }
    }

    @Test
    void aBackendNeedingMoreAlignmentThanTheFramesHaveMustBeRefused() throws Exception {
        Named first = new Named("first", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        Named picky = new Named("picky", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        picky.bufferAlignmentBytes = 1 << 16;
        try (CairnEngine engine = CairnEngine.open(config(root.resolve("home")), TestEngines.parts(first))) {
            Tablespace space = engine.createTablespace("t");
            SwapFailedException failure = assertThrows(SwapFailedException.class,
                    () -> engine.switchBackend(ComponentKind.DATA_BACKEND, picky));
            assertTrue(failure.getMessage().contains("aligned to 65536 bytes"), failure.getMessage());
            assertTrue(failure.getMessage().contains("aligned to 4096"), failure.getMessage());
            assertSame(first, ((TablespaceImpl) space).file().backend());
        }
    }

    @Test
    void onlyTheDataAndRedoBackendsMayBeSwitched() throws Exception {
        Named first = new Named("first", new BufferedStorageBackend(SyncMethod.FDATASYNC));
        try (CairnEngine engine = CairnEngine.open(config(root.resolve("home")), TestEngines.parts(first))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.switchBackend(ComponentKind.FLUSH_POLICY, first));
            assertTrue(e.getMessage().contains("DATA_BACKEND or REDO_BACKEND"), e.getMessage());
        }
    }
}
