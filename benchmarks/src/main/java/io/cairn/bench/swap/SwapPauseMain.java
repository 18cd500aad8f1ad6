package io.cairn.bench.swap;

import io.cairn.bufferpool.clock.ClockBufferPoolProvider;
import io.cairn.bufferpool.lru.LruBufferPoolProvider;
import io.cairn.engine.ComponentKind;
import io.cairn.engine.EngineEvent;
import io.cairn.engine.core.CairnEngine;
import io.cairn.engine.core.EngineConfig;
import io.cairn.flush.adaptive.AdaptiveFlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import io.cairn.kv.Table;
import io.cairn.kv.WriteBatch;
import io.cairn.kv.btree.BTreeStore;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.circular.CircularRedoLogProvider;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The pause a swap causes to a running workload (issue 7): threads get and durably put random keys
 * of a data set several times the buffer pool while the data files and then the redo files move
 * between the buffered and the O_DIRECT backend, and then the buffer pool implementation (LRU to
 * CLOCK and back) and the redo log implementation (Cairn's to the circular one and back) are
 * replaced. Every operation's start and latency
 * are recorded; the report gives, for each swap, the longest operation and the p99.9 of the
 * operations in the second around it, next to the same figures for a steady stretch before any
 * swap, and the target: 50 ms plus one fsync per open file, with the fsync time measured on the
 * same disk in the same run (write 4 KiB + fdatasync, 200 times).
 *
 * <pre>
 * java -Djava.awt.headless=true -cp benchmarks/target/cairn-benchmarks.jar io.cairn.bench.swap.SwapPauseMain \
 *     [--dir DIR] [--seconds 90] [--threads 4] [--out FILE.md] [--csv FILE.csv] [--png FILE.png]
 * </pre>
 */
public final class SwapPauseMain {

    private static final int KEYS = 200_000;
    private static final int VALUE_BYTES = 256;
    private static final long POOL_BYTES = 16L << 20;
    private static final long REDO_BYTES = 64L << 20;

    /** One scheduled swap: when (seconds into the run), what, to which backend. */
    private record Step(double atSeconds, ComponentKind kind, String to) {
    }

    /** A swap as it happened. */
    record Swap(String label, long startNanos, long endNanos, long enginePauseMillis) {
    }

    private SwapPauseMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(option(args, "--dir", "target/swap-bench")).toAbsolutePath();
        int seconds = Integer.parseInt(option(args, "--seconds", "90"));
        int threads = Integer.parseInt(option(args, "--threads", "4"));
        String out = option(args, "--out", null);
        String csv = option(args, "--csv", null);
        String png = option(args, "--png", null);
        deleteRecursively(dir);
        Files.createDirectories(dir);

        double fsyncMillis = medianFsyncMillis(dir.resolve("fsync-baseline.dat"));
        StorageBackend buffered = new BufferedStorageBackend(SyncMethod.FDATASYNC);
        StorageBackend direct = new DirectStorageBackend(FlushMethod.O_DIRECT);
        EngineConfig config = EngineConfig.defaults(dir.resolve("home")).withBufferPoolSizeBytes(POOL_BYTES)
                .withRedoCapacityBytes(REDO_BYTES).withCommitDurability(CommitDurability.SYNC_ON_COMMIT);
        CairnEngine engine = CairnEngine.open(config, new CairnEngine.Parts(buffered, buffered, new LruBufferPoolProvider(),
                new CairnRedoLogProvider(), new AdaptiveFlushPolicy()));
        List<Long> enginePauses = new CopyOnWriteArrayList<>();
        engine.addListener(event -> {
            if (event instanceof EngineEvent.SwapCompleted completed) {
                enginePauses.add(completed.pauseMillis());
            }
        });
        try (BTreeStore store = new BTreeStore(engine, true)) {
            Table table = store.createTable("swap");
            load(store, table);
            engine.checkpoint();
            int dataFiles = engine.engineStatus().tablespaces().size() + 1; // and the doublewrite file
            int redoFiles;
            try (Stream<Path> files = Files.list(dir.resolve("home").resolve("redo"))) {
                redoFiles = (int) files.count();
            }
            List<Step> steps = List.of(
                    new Step(seconds * 0.15, ComponentKind.DATA_BACKEND, "direct"),
                    new Step(seconds * 0.25, ComponentKind.DATA_BACKEND, "buffered"),
                    new Step(seconds * 0.35, ComponentKind.REDO_BACKEND, "direct"),
                    new Step(seconds * 0.45, ComponentKind.REDO_BACKEND, "buffered"),
                    new Step(seconds * 0.55, ComponentKind.BUFFER_POOL, "clock"),
                    new Step(seconds * 0.65, ComponentKind.BUFFER_POOL, "lru"),
                    new Step(seconds * 0.75, ComponentKind.REDO_LOG, "circular"),
                    new Step(seconds * 0.85, ComponentKind.REDO_LOG, "cairn"));
            Recorder recorder = new Recorder(threads);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            long startNanos = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread worker = new Thread(() -> work(table, recorder, id, stop), "swap-bench-" + t);
                workers.add(worker);
                worker.start();
            }
            List<Swap> swaps = new ArrayList<>();
            for (Step step : steps) {
                long due = startNanos + (long) (step.atSeconds() * 1e9);
                while (System.nanoTime() < due) {
                    TimeUnit.MILLISECONDS.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                }
                long swapStart = System.nanoTime();
                if (step.kind() == ComponentKind.BUFFER_POOL) {
                    engine.replaceBufferPool(step.to().equals("clock") ? new ClockBufferPoolProvider()
                            : new LruBufferPoolProvider());
                } else if (step.kind() == ComponentKind.REDO_LOG) {
                    engine.replaceRedoLog(step.to().equals("circular") ? new CircularRedoLogProvider()
                            : new CairnRedoLogProvider());
                } else {
                    engine.switchBackend(step.kind(), step.to().equals("direct") ? direct : buffered);
                }
                long swapEnd = System.nanoTime();
                String what = switch (step.kind()) {
                    case DATA_BACKEND -> "data";
                    case REDO_BACKEND -> "redo";
                    case REDO_LOG -> "redo log";
                    default -> "buffer pool";
                };
                swaps.add(new Swap(what + " -> " + step.to(), swapStart - startNanos, swapEnd - startNanos,
                        enginePauses.get(enginePauses.size() - 1)));
            }
            long end = startNanos + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
            if (recorder.failure != null) {
                throw new IllegalStateException("an operation failed during the run", recorder.failure);
            }
            SwapReport report = new SwapReport(recorder.merge(startNanos), swaps, seconds, threads, fsyncMillis,
                    dataFiles, redoFiles, POOL_BYTES, (long) KEYS * VALUE_BYTES);
            String markdown = report.markdown();
            System.out.println(markdown);
            if (out != null) {
                Files.writeString(Path.of(out), markdown);
            }
            if (csv != null) {
                Files.writeString(Path.of(csv), report.perSecondCsv());
            }
            if (png != null) {
                SwapPlot.write(report, Path.of(png));
            }
        }
        deleteRecursively(dir);
    }

    private static void load(BTreeStore store, Table table) {
        WriteBatch batch = store.newBatch();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < KEYS; i++) {
            batch.put(table, key(i), value(random));
            if (batch.size() == 1000) {
                store.write(batch);
                batch.clear();
            }
        }
        store.write(batch);
    }

    static byte[] key(int i) {
        return String.format(Locale.ROOT, "key-%08d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(SplittableRandom random) {
        byte[] value = new byte[VALUE_BYTES];
        random.nextBytes(value);
        return value;
    }

    private static void work(Table table, Recorder recorder, int id, AtomicBoolean stop) {
        SplittableRandom random = new SplittableRandom(100 + id);
        Recorder.Lane lane = recorder.lane(id);
        try {
            while (!stop.get()) {
                byte[] key = key(random.nextInt(KEYS));
                long start = System.nanoTime();
                if (random.nextBoolean()) {
                    table.get(key);
                } else {
                    table.put(key, value(random));
                }
                lane.record(start, System.nanoTime() - start);
            }
        } catch (RuntimeException e) {
            recorder.failure = e;
        }
    }

    /** Median of 200 rounds of a 4 KiB write and fdatasync on a preallocated file next to the home. */
    static double medianFsyncMillis(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer block = ByteBuffer.allocateDirect(4096);
            for (int i = 0; i < 256; i++) {
                block.clear();
                channel.write(block, (long) i * 4096);
            }
            channel.force(true);
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                block.clear();
                block.put(0, (byte) i);
                long start = System.nanoTime();
                channel.write(block, (long) (i % 256) * 4096);
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            return nanos[nanos.length / 2] / 1e6;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
