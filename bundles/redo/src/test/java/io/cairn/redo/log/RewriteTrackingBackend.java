package io.cairn.redo.log;

import io.cairn.io.AccessAdvice;
import io.cairn.io.FilterStorageBackend;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records, per file, the byte ranges of the block area that were written before a sync started,
 * and every later write that overlaps one of them: a rewrite of bytes a sync may have made
 * durable. The redo log must never do that (a torn rewrite could destroy acknowledged commits).
 */
final class RewriteTrackingBackend extends FilterStorageBackend {

    private final StorageBackend target;
    private final Map<Path, List<long[]>> completedWrites = new HashMap<>();
    private final Map<Path, List<long[]>> syncedRanges = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong syncs = new AtomicLong();

    RewriteTrackingBackend(StorageBackend target) {
        this.target = target;
    }

    @Override
    protected StorageBackend delegate() {
        return target;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        return new Tracked(target.open(path, options));
    }

    private synchronized void beforeWrite(Path path, long offset, int length) {
        if (offset + length <= LogFormat.DATA_OFFSET || !path.getFileName().toString().endsWith(".log")) {
            return;
        }
        for (long[] r : syncedRanges.getOrDefault(path, List.of())) {
            if (offset < r[1] && r[0] < offset + length) {
                violations.add("write [" + offset + ", " + (offset + length) + ") of " + path.getFileName()
                        + " overlaps synced [" + r[0] + ", " + r[1] + ")");
            }
        }
    }

    private synchronized void afterWrite(Path path, long offset, int length) {
        completedWrites.computeIfAbsent(path, p -> new ArrayList<>()).add(new long[] {offset, offset + length});
    }

    private synchronized void syncStarts(Path path) {
        List<long[]> done = completedWrites.remove(path);
        if (done != null) {
            syncedRanges.computeIfAbsent(path, p -> new ArrayList<>()).addAll(done);
        }
    }

    private final class Tracked implements StorageFile {
        private final StorageFile inner;

        Tracked(StorageFile inner) {
            this.inner = inner;
        }

        @Override
        public int read(long fileOffset, ByteBuffer dst) throws IOException {
            inner.capabilities().checkAligned(fileOffset, dst);
            return inner.read(fileOffset, dst);
        }

        @Override
        public void write(long fileOffset, ByteBuffer src) throws IOException {
            inner.capabilities().checkAligned(fileOffset, src);
            int length = src.remaining();
            beforeWrite(inner.path(), fileOffset, length);
            inner.write(fileOffset, src);
            afterWrite(inner.path(), fileOffset, length);
            writes.incrementAndGet();
        }

        @Override
        public void sync(SyncLevel level) throws IOException {
            syncStarts(inner.path());
            inner.sync(level);
            syncs.incrementAndGet();
        }

        @Override
        public long sizeBytes() throws IOException {
            return inner.sizeBytes();
        }

        @Override
        public void allocate(long fileOffset, long lengthBytes) throws IOException {
            inner.allocate(fileOffset, lengthBytes);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            inner.truncate(sizeBytes);
        }

        @Override
        public void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
            inner.advise(advice, fileOffset, lengthBytes);
        }

        @Override
        public IoCapabilities capabilities() {
            return inner.capabilities();
        }

        @Override
        public Path path() {
            return inner.path();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public String describe() {
            return inner.describe() + " (tracked)";
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
