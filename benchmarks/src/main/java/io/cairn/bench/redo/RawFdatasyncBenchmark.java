package io.cairn.bench.redo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline for {@link RedoCommitBenchmark}: one thread writing 512 bytes with
 * {@link FileChannel#write(ByteBuffer, long)} and {@code force(false)} (fdatasync) per operation,
 * sequentially through a file that was written and synced in full beforehand, so every sync is a
 * pure data sync (no size or extent change): the fastest durable commit one thread can do alone.
 */
@State(Scope.Thread)
public class RawFdatasyncBenchmark {

    static final int WRITE_BYTES = 512;
    static final long FILE_BYTES = 64L << 20;

    /** The file, in the same directory as the redo log's. */
    @Param({"/var/tmp/cairn-redo-bench/raw-fdatasync.dat"})
    public String file;

    FileChannel channel;
    final ByteBuffer block = ByteBuffer.allocateDirect(WRITE_BYTES);
    long offset;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path path = Path.of(file);
        Files.createDirectories(path.getParent());
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = 0; at < FILE_BYTES; at += zeros.capacity()) {
            zeros.clear();
            channel.write(zeros, at);
        }
        channel.force(true);
        for (int i = 0; i < WRITE_BYTES; i++) {
            block.put(i, (byte) i);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(Path.of(file));
    }

    @Benchmark
    public long writeAndFdatasync() throws IOException {
        block.clear();
        channel.write(block, offset);
        channel.force(false);
        offset = (offset + WRITE_BYTES) % FILE_BYTES;
        return offset;
    }
}
