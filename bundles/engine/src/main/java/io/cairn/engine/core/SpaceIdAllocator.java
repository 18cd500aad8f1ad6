package io.cairn.engine.core;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out tablespace ids that are never reused, not even after a crash: the next id is recorded
 * durably (written to a temporary file, synced, renamed over {@code cairn.spaces}, directory
 * synced) before an id is used. Redo records name tablespaces by id, so a reused id could let
 * recovery apply a dropped tablespace's records to a new one.
 */
final class SpaceIdAllocator {

    private static final int BLOCK_BYTES = 4096;

    /** The data backend; replaced by a backend swap (under the engine's DDL lock, as every allocation). */
    private volatile StorageBackend backend;
    private final Path file;
    private int next;

    private SpaceIdAllocator(StorageBackend backend, Path file, int next) {
        this.backend = backend;
        this.file = file;
        this.next = next;
    }

    /** Reads the next id, which is at least {@code atLeast} (one above every id found on disk). */
    static SpaceIdAllocator open(StorageBackend backend, Path home, int atLeast) throws IOException {
        Path file = home.resolve("cairn.spaces");
        int stored = 1;
        if (Files.exists(file)) {
            ByteBuffer block = ByteBuffer.allocateDirect(2 * BLOCK_BYTES).alignedSlice(BLOCK_BYTES).limit(BLOCK_BYTES);
            try (StorageFile f = backend.open(file, OpenOptions.of(FileRole.CONTROL, CreateMode.OPEN_EXISTING, 0).asReadOnly())) {
                f.read(0, block);
            }
            stored = block.getInt(0);
        }
        return new SpaceIdAllocator(backend, file, Math.max(stored, atLeast));
    }

    /** Records later ids through {@code next} (after a data backend swap). */
    void useBackend(StorageBackend next) {
        backend = next;
    }

    /** The next id, recorded durably before it is returned. */
    synchronized int allocate() throws IOException {
        int id = next;
        write(id + 1);
        next = id + 1;
        return id;
    }

    private void write(int value) throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(2 * BLOCK_BYTES).alignedSlice(BLOCK_BYTES).limit(BLOCK_BYTES);
        block.putInt(0, value);
        Path temporary = file.resolveSibling("cairn.spaces.tmp");
        try (StorageFile f = backend.open(temporary, OpenOptions.of(FileRole.CONTROL, CreateMode.OPEN_OR_CREATE, 0))) {
            f.write(0, block);
            f.sync(SyncLevel.DATA_AND_METADATA);
        }
        backend.rename(temporary, file);
        backend.syncDirectory(file.getParent());
    }
}
