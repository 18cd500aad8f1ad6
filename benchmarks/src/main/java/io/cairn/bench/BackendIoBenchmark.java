package io.cairn.bench;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Raw backend throughput: 16 KiB random reads and writes and 1 MiB sequential writes on one
 * pre-filled file, the same file fio is run on ({@link BenchmarkMain} runs both). No syncs: this
 * measures the transfer path, as fio's psync engine without {@code --fsync} does.
 */
@State(Scope.Benchmark)
public class BackendIoBenchmark {

    static final int RANDOM_BLOCK_BYTES = 16 * 1024;
    static final int SEQUENTIAL_BLOCK_BYTES = 1024 * 1024;

    /** {@code buffered} or {@code direct}. */
    @Param({"buffered", "direct"})
    public String backend;

    /** The file the benchmark and fio share; created and filled by {@link BenchmarkMain}. */
    @Param({"/var/tmp/cairn-bench/bench.dat"})
    public String file;

    StorageFile storageFile;
    long fileSizeBytes;
    final AtomicLong sequentialOffset = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws IOException {
        StorageBackend storage = switch (backend) {
            case "buffered" -> new BufferedStorageBackend(SyncMethod.FDATASYNC);
            case "direct" -> new DirectStorageBackend(FlushMethod.O_DIRECT);
            default -> throw new IllegalArgumentException("unknown backend " + backend + "; allowed: buffered, direct");
        };
        Path path = Path.of(file);
        fileSizeBytes = Files.size(path);
        storageFile = storage.open(path, OpenOptions.of(FileRole.DATA, CreateMode.OPEN_EXISTING, RANDOM_BLOCK_BYTES));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        storageFile.close();
    }

    /** Per-thread buffers and randomness, so threads share nothing but the file. */
    @State(Scope.Thread)
    public static class ThreadState {
        final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
        final ByteBuffer small = aligned(RANDOM_BLOCK_BYTES);
        final ByteBuffer large = aligned(SEQUENTIAL_BLOCK_BYTES);

        static ByteBuffer aligned(int lengthBytes) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(lengthBytes + 4096).alignedSlice(4096).limit(lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                buffer.put(i, (byte) i); // touch every page before it is used as a write source
            }
            return buffer;
        }
    }

    private long randomOffset(ThreadState state) {
        return state.random.nextLong(fileSizeBytes / RANDOM_BLOCK_BYTES) * RANDOM_BLOCK_BYTES;
    }

    @Benchmark
    public int randomRead16k(ThreadState state) throws IOException {
        state.small.clear();
        return storageFile.read(randomOffset(state), state.small);
    }

    @Benchmark
    public void randomWrite16k(ThreadState state) throws IOException {
        state.small.clear();
        storageFile.write(randomOffset(state), state.small);
    }

    @Benchmark
    public void sequentialWrite1m(ThreadState state) throws IOException {
        long offset = sequentialOffset.getAndAdd(SEQUENTIAL_BLOCK_BYTES) % (fileSizeBytes - SEQUENTIAL_BLOCK_BYTES + 1);
        offset = offset / SEQUENTIAL_BLOCK_BYTES * SEQUENTIAL_BLOCK_BYTES;
        state.large.clear();
        storageFile.write(offset, state.large);
    }
}
