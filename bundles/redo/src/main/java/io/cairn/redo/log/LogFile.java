package io.cairn.redo.log;

import io.cairn.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A log file of the redo directory: its number, path and the LSN its first block starts at, plus
 * the open handle while the writer uses it.
 *
 * @param number the file number (names sort by it)
 * @param path the absolute path
 * @param startLsn the LSN of the first payload byte in the file; the file's range ends where the
 *     next file's starts
 * @param sizeBytes the preallocated size
 */
record LogFile(long number, Path path, long startLsn, long sizeBytes) {

    /**
     * An open {@link StorageFile} with a use count: it is closed only once retired and unused, so
     * the flusher can sync a handle that the writer (or a backend switch) has just replaced.
     * Guarded by its own monitor.
     */
    static final class Handle {
        final LogFile file;
        final StorageFile storage;
        /** Write unit: max(512, the file's offset alignment); every write is aligned to it. */
        final int unitBytes;
        private int uses;
        private boolean retired;

        Handle(LogFile file, StorageFile storage, int unitBytes) {
            this.file = file;
            this.storage = storage;
            this.unitBytes = unitBytes;
        }

        /** Takes a use; false when the handle was retired. */
        synchronized boolean retain() {
            if (retired) {
                return false;
            }
            uses++;
            return true;
        }

        synchronized void release() {
            uses--;
            closeIfDone();
        }

        /** No new uses; closes when the last one ends. */
        synchronized void retire() {
            retired = true;
            closeIfDone();
        }

        private void closeIfDone() {
            if (retired && uses == 0) {
                try {
                    storage.close();
                } catch (IOException e) {
                    // Nothing unsynced depends on this handle any more; the OS closes it anyway.
                    System.getLogger(Handle.class.getName()).log(System.Logger.Level.DEBUG,
                            "closing " + file.path() + ": " + e);
                }
            }
        }
    }
}
