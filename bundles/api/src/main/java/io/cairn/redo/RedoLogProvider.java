package io.cairn.redo;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens redo logs of one implementation. Registered as an OSGi service with the property
 * {@value #NAME_PROPERTY}; the engine selects one by target filter, and can replace the active
 * log by another implementation (quiesce, full checkpoint, hand over).
 *
 * <p>Each implementation keeps its files in a directory of its own: the engine passes
 * {@code <home>/redo} to the implementation that created the home and {@code <home>/redo-<name>}
 * to others, and records in the home which one holds the log recovery must read.
 */
@ProviderType
public interface RedoLogProvider {

    /** Service property naming an implementation. */
    String NAME_PROPERTY = "cairn.redo";

    /** The implementation's name. */
    String name();

    /**
     * Opens the redo log in {@code config.directory()}, creating its files if the directory holds
     * none. An existing log of another format is refused with an {@link IOException} naming the
     * format found, never overwritten.
     */
    RedoLog open(RedoLogConfig config) throws IOException;

    /**
     * Whether {@link #create} is supported. The engine hands its log over only to an
     * implementation that can continue at the old log's LSN.
     *
     * @since 1.1
     */
    default boolean canContinueAtLsn() {
        return false;
    }

    /**
     * Creates a new, empty log in {@code config.directory()} that continues at {@code startLsn}:
     * the log taking over from another implementation's after a full checkpoint at that LSN. The
     * new log's {@link RedoLog#currentLsn()}, {@link RedoLog#writtenLsn()},
     * {@link RedoLog#flushedLsn()} and {@link RedoLog#checkpointLsn()} are at least
     * {@code startLsn} (an implementation may round up to its own alignment), and everything a
     * later {@link #open} needs is synced before this returns: opening the directory after a crash
     * finds an empty log at that position. Appends may start at once; no {@link RedoLog#scan} is
     * needed first.
     *
     * @throws IOException if the directory already holds redo files (the engine empties it first)
     *     or they cannot be created
     * @throws IllegalArgumentException if {@code startLsn} is below {@link Lsn#FIRST}
     * @throws UnsupportedOperationException if {@link #canContinueAtLsn()} is false
     * @since 1.1
     */
    default RedoLog create(RedoLogConfig config, long startLsn) throws IOException {
        throw new UnsupportedOperationException("the redo log implementation " + name()
                + " cannot start a log at a given LSN, so it cannot take over a running engine's log");
    }
}
