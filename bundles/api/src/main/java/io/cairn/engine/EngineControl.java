package io.cairn.engine;

import io.cairn.bufferpool.BufferPoolProvider;
import io.cairn.flush.FlushPolicy;
import io.cairn.io.StorageBackend;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLogProvider;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes a running engine without stopping it. Inside Felix these calls are made by the engine's
 * DS component when its configuration (target filters, durability, sizes) changes; embedded users
 * call them directly.
 *
 * <p>Every swap is all or nothing: it completes, or it is rolled back and throws
 * {@link SwapFailedException}; operations keep running throughout and no commit is lost. Swaps are
 * serialised: a second one waits for the first. Each one is reported to {@link EngineListener}s.
 */
@ProviderType
public interface EngineControl {

    /** The default durability of commits. */
    CommitDurability commitDurability();

    /** Sets the default durability of commits; takes effect with the next commit. */
    void setCommitDurability(CommitDurability durability);

    /**
     * Moves every file of a role to another backend: block new I/O on the file, drain in-flight
     * I/O, sync, reopen through the new backend, check its capabilities against the buffer pool,
     * switch, resume. Redo files switch at a log write boundary.
     *
     * @param kind {@link ComponentKind#DATA_BACKEND} or {@link ComponentKind#REDO_BACKEND}
     * @throws SwapFailedException if any file could not be moved; all files are back on the old backend
     * @throws IllegalArgumentException for another kind
     */
    void switchBackend(ComponentKind kind, StorageBackend backend);

    /** Uses another flush policy from the next page cleaner round. */
    void switchFlushPolicy(FlushPolicy policy);

    /**
     * Replaces the buffer pool implementation: quiesce new mini-transactions, checkpoint fully,
     * hand clean pages over, resume. Open tablespaces and handles stay valid.
     */
    void replaceBufferPool(BufferPoolProvider provider) throws IOException;

    /** Replaces the redo log implementation: quiesce, checkpoint fully, open the new log, resume. */
    void replaceRedoLog(RedoLogProvider provider) throws IOException;

    /** Resizes the buffer pool while running (in whole chunks). */
    void resizeBufferPool(long sizeBytes) throws IOException;

    /** Changes the redo capacity while running. */
    void resizeRedo(long capacityBytes) throws IOException;

    /** The name of the component currently active for {@code kind}. */
    String active(ComponentKind kind);
}
