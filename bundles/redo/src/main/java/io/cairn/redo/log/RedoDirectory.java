package io.cairn.redo.log;

import io.cairn.io.CreateMode;
import io.cairn.io.FileRole;
import io.cairn.io.IoCapabilities;
import io.cairn.io.OpenOptions;
import io.cairn.io.StorageBackend;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import io.cairn.redo.log.LogFormat.Checkpoint;
import io.cairn.redo.log.LogFormat.FileHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The redo directory's files, created, read and deleted through a {@link StorageBackend}: never
 * through {@code java.io}. Every file is created under a {@code .tmp} name, filled, synced, then
 * renamed and the directory synced, so a file under its final name always has a valid header.
 */
final class RedoDirectory {

    private static final int ZERO_CHUNK_BYTES = 1 << 20;

    private RedoDirectory() {
    }

    static OpenOptions readWrite(CreateMode mode) {
        return OpenOptions.of(FileRole.REDO, mode, LogFormat.MAX_UNIT_BYTES);
    }

    static OpenOptions readOnly() {
        return readWrite(CreateMode.OPEN_EXISTING).asReadOnly();
    }

    /**
     * The write unit for a file: max(512, its offset alignment).
     *
     * @throws IOException if the file needs an alignment above {@link LogFormat#MAX_UNIT_BYTES}
     */
    static int unitFor(StorageFile file) throws IOException {
        IoCapabilities caps = file.capabilities();
        int unit = Math.max(LogFormat.BLOCK_BYTES, caps.offsetAlignmentBytes());
        if (unit > LogFormat.MAX_UNIT_BYTES || caps.bufferAlignmentBytes() > LogFormat.MAX_UNIT_BYTES) {
            throw new IOException(file.describe() + " needs " + caps.offsetAlignmentBytes() + "-byte offsets and "
                    + caps.bufferAlignmentBytes() + "-byte buffers; the redo log supports alignments up to "
                    + LogFormat.MAX_UNIT_BYTES + " bytes");
        }
        return unit;
    }

    /** Refuses a directory that holds another engine's redo files. */
    static void refuseForeignFiles(Path directory, List<String> names) throws IOException {
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("ib_logfile") || lower.startsWith("#ib_redo") || lower.startsWith("ib_redo")) {
                throw new IOException(directory + " holds InnoDB redo files (" + name + "), not a Cairn redo log;"
                        + " refusing to use or overwrite them");
            }
        }
    }

    /** Creates the control file with checkpoint number 1 at {@code checkpointLsn}. */
    static void createControlFile(StorageBackend backend, Path directory, UUID logId, String creator,
            long checkpointLsn) throws IOException {
        Path path = directory.resolve(LogFormat.CONTROL_FILE_NAME);
        Path tmp = directory.resolve(LogFormat.CONTROL_FILE_NAME + LogFormat.TMP_SUFFIX);
        try (StorageFile file = backend.open(tmp, readWrite(CreateMode.OPEN_OR_CREATE))) {
            unitFor(file);
            file.truncate(0);
            ByteBuffer image = LogFormat.alignedBuffer((int) LogFormat.CONTROL_FILE_BYTES);
            LogFormat.encodeHeader(new FileHeader(LogFormat.KIND_CONTROL, logId, 0, 0,
                    LogFormat.CONTROL_FILE_BYTES, creator), image.duplicate().limit(LogFormat.REGION_BYTES).slice());
            Checkpoint first = new Checkpoint(1, checkpointLsn);
            int slot = (int) LogFormat.checkpointSlotOffset(first.number());
            LogFormat.encodeCheckpoint(first, logId,
                    image.duplicate().position(slot).limit(slot + LogFormat.REGION_BYTES).slice());
            file.write(0, image);
            file.sync(SyncLevel.DATA_AND_METADATA);
        }
        backend.rename(tmp, path);
    }

    /** The control file's header; throws naming the format found when it is not a Cairn control file. */
    static FileHeader readControlHeader(StorageFile control) throws IOException {
        ByteBuffer region = LogFormat.alignedBuffer(LogFormat.REGION_BYTES);
        control.read(0, region);
        FileHeader header = LogFormat.decodeHeader(region.clear(), control.path().toString());
        if (header.kind() != LogFormat.KIND_CONTROL) {
            throw new IOException(control.path() + " is a Cairn redo file of kind " + header.kind()
                    + ", not a control file");
        }
        return header;
    }

    /** The newest valid checkpoint of the two slots, or null when neither is valid. */
    static Checkpoint readCheckpoint(StorageFile control, UUID logId) throws IOException {
        ByteBuffer region = LogFormat.alignedBuffer(LogFormat.REGION_BYTES);
        Checkpoint best = null;
        for (int slot = 0; slot < 2; slot++) {
            region.clear();
            control.read(LogFormat.CHECKPOINT_SLOT_0_OFFSET + (long) slot * LogFormat.REGION_BYTES, region);
            Checkpoint c = LogFormat.decodeCheckpoint(region.clear(), logId);
            if (c != null && (best == null || c.number() > best.number())) {
                best = c;
            }
        }
        return best;
    }

    /** Writes {@code checkpoint} into its slot (the older one) and syncs. */
    static void writeCheckpoint(StorageFile control, Checkpoint checkpoint, UUID logId) throws IOException {
        ByteBuffer region = LogFormat.alignedBuffer(LogFormat.REGION_BYTES);
        LogFormat.encodeCheckpoint(checkpoint, logId, region);
        control.write(LogFormat.checkpointSlotOffset(checkpoint.number()), region);
        control.sync(SyncLevel.DATA);
    }

    /**
     * Creates log file {@code number} starting at {@code startLsn}: header written, space
     * allocated (and zero-filled if asked), synced, renamed into place, directory synced.
     */
    static LogFile createLogFile(StorageBackend backend, Path directory, long number, long startLsn,
            long sizeBytes, boolean zeroFill, UUID logId, String creator) throws IOException {
        String name = LogFormat.logFileName(number);
        Path path = directory.resolve(name);
        Path tmp = directory.resolve(name + LogFormat.TMP_SUFFIX);
        try (StorageFile file = backend.open(tmp, readWrite(CreateMode.OPEN_OR_CREATE))) {
            unitFor(file);
            file.truncate(0);
            file.allocate(0, sizeBytes);
            if (zeroFill) {
                ByteBuffer zeros = LogFormat.alignedBuffer((int) Math.min(ZERO_CHUNK_BYTES, sizeBytes));
                for (long offset = LogFormat.DATA_OFFSET; offset < sizeBytes; offset += zeros.capacity()) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), sizeBytes - offset));
                    file.write(offset, zeros);
                }
            }
            ByteBuffer header = LogFormat.alignedBuffer(2 * LogFormat.REGION_BYTES);
            LogFormat.encodeHeader(new FileHeader(LogFormat.KIND_LOG_FILE, logId, number, startLsn, sizeBytes, creator),
                    header.duplicate().limit(LogFormat.REGION_BYTES).slice());
            file.write(0, header);
            file.sync(SyncLevel.DATA_AND_METADATA);
        }
        backend.rename(tmp, path);
        backend.syncDirectory(directory);
        return new LogFile(number, path, startLsn, sizeBytes);
    }

    /** Reads a log file's header and checks it belongs to this log and carries the number in its name. */
    static LogFile readLogFile(StorageBackend backend, Path path, long number, UUID logId) throws IOException {
        ByteBuffer region = LogFormat.alignedBuffer(LogFormat.REGION_BYTES);
        FileHeader header;
        try (StorageFile file = backend.open(path, readOnly())) {
            file.read(0, region);
        }
        header = LogFormat.decodeHeader(region.clear(), path.toString());
        if (header.kind() != LogFormat.KIND_LOG_FILE || header.fileNumber() != number) {
            throw new IOException(path + " has a header for " + (header.kind() == LogFormat.KIND_LOG_FILE
                    ? "log file number " + header.fileNumber() : "a file of kind " + header.kind()));
        }
        if (!header.logId().equals(logId)) {
            throw new IOException(path + " belongs to redo log " + header.logId() + ", but the control file is of "
                    + logId + "; refusing to mix logs");
        }
        return new LogFile(number, path, header.startLsn(), header.fileSizeBytes());
    }

    /** Writes the informative completion record (the file's end LSN) of a log file the writer leaves. */
    static void writeCompletion(StorageFile file, LogFile logFile, long endLsn) throws IOException {
        ByteBuffer region = LogFormat.alignedBuffer(LogFormat.REGION_BYTES);
        LogFormat.encodeCompletion(logFile.number(), logFile.startLsn(), endLsn, region);
        file.write(LogFormat.COMPLETION_OFFSET, region);
    }

    /** The end LSN recorded when the writer left {@code file}, or -1 (still open, or never completed). */
    static long readCompletion(StorageBackend backend, LogFile file) throws IOException {
        ByteBuffer region = LogFormat.alignedBuffer(LogFormat.REGION_BYTES);
        try (StorageFile f = backend.open(file.path(), readOnly())) {
            f.read(LogFormat.COMPLETION_OFFSET, region);
        }
        return LogFormat.decodeCompletion(region.clear(), file.number());
    }

    /** The log file names in {@code names} with their numbers, sorted by number. */
    static List<long[]> logFileNumbers(List<String> names) {
        List<long[]> numbers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            long n = LogFormat.parseLogFileName(names.get(i));
            if (n >= 0) {
                numbers.add(new long[] {n, i});
            }
        }
        numbers.sort((a, b) -> Long.compare(a[0], b[0]));
        return numbers;
    }

    /** Syncs a log file's data (after recovery read it, so nothing built on it is only in the page cache). */
    static void syncFile(StorageBackend backend, Path path) throws IOException {
        try (StorageFile file = backend.open(path, readWrite(CreateMode.OPEN_EXISTING))) {
            file.sync(SyncLevel.DATA);
        }
    }
}
