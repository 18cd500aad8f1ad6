package io.cairn.io.faultinject;

import io.cairn.io.AccessAdvice;
import io.cairn.io.IoCapabilities;
import io.cairn.io.NativeIoException;
import io.cairn.io.StorageFile;
import io.cairn.io.SyncLevel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A file of {@link FaultInjectingStorageBackend}: records what each change overwrote. Thread-safe. */
final class FaultInjectingStorageFile implements StorageFile {

    private final FaultInjectingStorageBackend backend;
    private final StorageFile inner;
    private final FaultInjectingStorageBackend.FileModel model;

    FaultInjectingStorageFile(FaultInjectingStorageBackend backend, StorageFile inner,
            FaultInjectingStorageBackend.FileModel model) {
        this.backend = backend;
        this.inner = inner;
        this.model = model;
    }

    @Override
    public int read(long fileOffset, ByteBuffer dst) throws IOException {
        FaultKind fault = backend.injectIfArmed(io.cairn.io.faultinject.OperationClass.READ, inner.path());
        long epoch = backend.crashEpoch();
        int start = dst.position();
        int bytesRead = inner.read(fileOffset, dst);
        backend.checkNoCrashSince(epoch, inner.path());
        if (fault == FaultKind.BIT_FLIP && bytesRead > 0) {
            int index = start + backend.nextInt(bytesRead);
            dst.put(index, (byte) (dst.get(index) ^ (1 << backend.nextInt(8))));
        }
        return bytesRead;
    }

    @Override
    public void write(long fileOffset, ByteBuffer src) throws IOException {
        FaultKind fault = backend.injectIfArmed(OperationClass.WRITE, inner.path());
        if (fault == FaultKind.SHORT_WRITE) {
            int sectorBytes = Math.max(512, capabilities().offsetAlignmentBytes());
            int half = (src.remaining() / 2) / sectorBytes * sectorBytes;
            ByteBuffer firstHalf = src.duplicate();
            firstHalf.limit(firstHalf.position() + half);
            recordAndWrite(fileOffset, firstHalf);
            src.position(src.position() + half);
            throw new NativeIoException("pwrite", NativeIoException.EIO, "injected short write on " + inner.path()
                    + ": " + half + " bytes written (seed " + backend.seed() + ")");
        }
        recordAndWrite(fileOffset, src);
    }

    private void recordAndWrite(long fileOffset, ByteBuffer src) throws IOException {
        synchronized (backend.lock) {
            backend.checkAlive();
            int lengthBytes = src.remaining();
            byte[] after = new byte[lengthBytes];
            src.duplicate().get(after);
            byte[] before = FaultInjectingStorageBackend.readBytes(inner, fileOffset, lengthBytes);
            inner.write(fileOffset, src);
            backend.trace("write " + inner.path().getFileName() + " @" + fileOffset + " +" + lengthBytes);
            IoCapabilities caps = model.capabilities;
            if (!caps.writeDurableOnReturn()) {
                model.pending.add(new PendingChange.Write(fileOffset, before, after));
            }
            long endOffset = fileOffset + lengthBytes;
            if (endOffset > model.currentSizeBytes) {
                model.currentSizeBytes = endOffset;
                if (!caps.needsSyncAfterResize()) {
                    model.durableSizeBytes = endOffset;
                }
            }
        }
    }

    @Override
    public void sync(SyncLevel level) throws IOException {
        backend.injectIfArmed(OperationClass.SYNC, inner.path());
        backend.beforeSync(inner.path());
        synchronized (backend.lock) {
            backend.checkAlive();
            inner.sync(level);
            backend.trace("sync " + inner.path().getFileName() + " " + level + ", " + model.pending.size() + " pending");
            model.pending.removeIf(change -> change instanceof PendingChange.Write);
            if (level == SyncLevel.DATA_AND_METADATA || !model.capabilities.needsSyncAfterResize()) {
                model.pending.clear();
                model.durableSizeBytes = model.currentSizeBytes;
            }
        }
    }

    @Override
    public long sizeBytes() throws IOException {
        synchronized (backend.lock) {
            backend.checkAlive();
        }
        return inner.sizeBytes();
    }

    @Override
    public void allocate(long fileOffset, long lengthBytes) throws IOException {
        backend.injectIfArmed(OperationClass.WRITE, inner.path());
        synchronized (backend.lock) {
            backend.checkAlive();
            long oldSize = inner.sizeBytes();
            inner.allocate(fileOffset, lengthBytes);
            backend.trace("allocate " + inner.path().getFileName() + " @" + fileOffset + " +" + lengthBytes);
            recordResize(oldSize, inner.sizeBytes(), 0, new byte[0]);
        }
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        backend.injectIfArmed(OperationClass.WRITE, inner.path());
        synchronized (backend.lock) {
            backend.checkAlive();
            long oldSize = inner.sizeBytes();
            long tailOffset = 0;
            byte[] tail = new byte[0];
            if (sizeBytes < oldSize) {
                // Keep the cut-off bytes, read in whole aligned units so a direct backend accepts it.
                long unit = Math.max(512, capabilities().offsetAlignmentBytes());
                tailOffset = sizeBytes / unit * unit;
                long tailEnd = (oldSize + unit - 1) / unit * unit;
                tail = FaultInjectingStorageBackend.readBytes(inner, tailOffset, (int) (tailEnd - tailOffset));
            }
            inner.truncate(sizeBytes);
            backend.trace("truncate " + inner.path().getFileName() + " to " + sizeBytes);
            recordResize(oldSize, sizeBytes, tailOffset, tail);
        }
    }

    private void recordResize(long oldSize, long newSize, long tailOffset, byte[] tail) {
        if (oldSize == newSize) {
            return;
        }
        model.currentSizeBytes = newSize;
        if (model.capabilities.needsSyncAfterResize()) {
            model.pending.add(new PendingChange.Resize(oldSize, newSize, tailOffset, tail));
        } else {
            model.durableSizeBytes = newSize;
        }
    }

    @Override
    public void advise(AccessAdvice advice, long fileOffset, long lengthBytes) {
        inner.advise(advice, fileOffset, lengthBytes);
    }

    @Override
    public IoCapabilities capabilities() {
        return model.capabilities;
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
        return inner.path() + " via " + backend.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() throws IOException {
        backend.closed(this);
        inner.close();
    }

    void closeInnerQuietly() {
        try {
            inner.close();
        } catch (IOException e) {
            // the simulated crash discards the handle whatever the close says
        }
    }
}
