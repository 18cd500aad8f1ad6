package io.cairn.bench.redo;

import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoLogConfig;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.RedoStats;
import io.cairn.redo.circular.CircularRedoLogProvider;
import io.cairn.redo.log.CairnRedoLogProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Commit rate of the redo log at {@link CommitDurability#SYNC_ON_COMMIT}: each operation appends
 * one group (one 100-byte page write) and waits until it is synced. Run with 1, 8 and 32 threads
 * by {@link RedoBenchmarkMain}, next to {@link RawFdatasyncBenchmark} on the same directory.
 *
 * <p>A background "engine" checkpoints at the flushed LSN whenever half the capacity is used, so
 * the run measures commits, not capacity waits.
 */
@State(Scope.Benchmark)
public class RedoCommitBenchmark {

    static final int WRITE_BYTES = 100;

    /** The directory the log is created in (emptied first). */
    @Param({"/var/tmp/cairn-redo-bench/redo"})
    public String dir;

    /** The redo log implementation: "cairn" (numbered files) or "circular" (one circular file). */
    @Param({"cairn"})
    public String log;

    /** Where the trial's counters are written for {@link RedoBenchmarkMain}; empty for none. */
    @Param({""})
    public String statsFile;

    RedoLog redo;
    ScheduledExecutorService checkpointer;
    final AtomicLong pages = new AtomicLong();
    final byte[] payload = new byte[WRITE_BYTES];

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path directory = Path.of(dir);
        deleteRecursively(directory);
        RedoLogProvider provider = switch (log) {
            case "cairn" -> new CairnRedoLogProvider();
            case "circular" -> new CircularRedoLogProvider();
            default -> throw new IllegalArgumentException("unknown redo log '" + log + "'; allowed: cairn, circular");
        };
        redo = provider.open(new RedoLogConfig(directory,
                new BufferedStorageBackend(SyncMethod.FDATASYNC), 256L << 20, CommitDurability.SYNC_ON_COMMIT, 1000,
                "Cairn benchmark"));
        checkpointer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-checkpointer");
            t.setDaemon(true);
            return t;
        });
        checkpointer.scheduleWithFixedDelay(() -> {
            try {
                if (redo.currentLsn() - redo.checkpointLsn() > redo.capacityBytes() / 2) {
                    redo.checkpoint(redo.flushedLsn());
                }
            } catch (IOException | RuntimeException e) {
                e.printStackTrace();
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        checkpointer.shutdownNow();
        redo.close();
        RedoStats stats = redo.stats();
        if (!statsFile.isEmpty()) {
            Files.writeString(Path.of(statsFile), stats.groupsAppended() + " " + stats.syncCalls() + "\n",
                    StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public long commit() throws Exception {
        long page = pages.incrementAndGet();
        long end = redo.append(List.of(new RedoRecord.WriteBytes(1, page, 64, payload)));
        redo.waitFor(end, CommitDurability.SYNC_ON_COMMIT);
        return end;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
