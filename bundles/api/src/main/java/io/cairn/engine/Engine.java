package io.cairn.engine;

import io.cairn.redo.CommitDurability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A storage engine over one home directory. Registered as an OSGi service once it is
 * {@link EnginePhase#RUNNING}; embedded users get one from the embedded API.
 *
 * <p>Thread safety: all methods may be called from any thread. Calls that need a running engine
 * throw {@link EngineStateException} in other phases. Durability of changes is described by
 * {@link MiniTransaction#commit()}.
 */
@ProviderType
public interface Engine extends AutoCloseable {

    /** The home directory (absolute). */
    Path home();

    /** The current lifecycle phase; a snapshot. */
    EnginePhase phase();

    /** The page size of every tablespace, fixed when the home was created. */
    int pageSizeBytes();

    /** The names of the active tablespaces, sorted. */
    List<String> tablespaceNames();

    /**
     * The active tablespace with that name.
     *
     * @throws NoSuchTablespaceException if there is none
     */
    Tablespace tablespace(String name);

    /**
     * Creates a tablespace; durable when this returns.
     *
     * @throws TablespaceExistsException if the name is taken
     * @throws io.cairn.config.InvalidSettingException if the name is not 1 to 64 characters of
     *     letters, digits, '_', '-' and '.' starting with a letter or digit
     */
    Tablespace createTablespace(String name) throws IOException;

    /**
     * Drops a tablespace: it becomes STOPPING, new operations are refused, pending operations and
     * pending I/O are waited for, background work on it is cancelled quietly, then the file is
     * deleted. Durable when this returns.
     *
     * @throws NoSuchTablespaceException if there is none
     */
    void dropTablespace(String name) throws IOException;

    /** Empties a tablespace, keeping its name and a new id; waits like {@link #dropTablespace}. */
    Tablespace truncateTablespace(String name) throws IOException;

    /**
     * Renames a tablespace; durable when this returns.
     *
     * @throws NoSuchTablespaceException if {@code from} does not exist
     * @throws TablespaceExistsException if {@code to} does
     */
    void renameTablespace(String from, String to) throws IOException;

    /** Starts a mini-transaction. May wait while redo space is short (the engine flushes meanwhile). */
    MiniTransaction beginMiniTransaction();

    /**
     * Waits until the commit that ended at {@code lsn} (the value {@link MiniTransaction#commit}
     * returned) is as durable as {@code durability} asks, or the engine's default when null. With
     * a commit made at {@link CommitDurability#PERIODIC}, this lets an access method release its own
     * locks before the durability wait, as the engine releases page latches before it.
     *
     * @throws IOException if the redo could not be made durable: the commit must be treated as failed
     */
    void awaitDurable(long lsn, CommitDurability durability) throws IOException;

    /**
     * Takes a checkpoint now: flushes every page changed before the call, syncs the data files, and
     * records the checkpoint. Returns the checkpoint LSN.
     */
    long checkpoint() throws IOException;

    /** Runtime changes: backends, policy, durability, sizes. */
    EngineControl control();

    /** Registers a listener for engine events. */
    void addListener(EngineListener listener);

    /** Removes a listener; does nothing if it was not registered. */
    void removeListener(EngineListener listener);

    /**
     * Stops the engine: refuses new operations, waits for running ones, flushes everything and
     * writes a final checkpoint, so that the next start applies no redo. Idempotent.
     */
    @Override
    void close() throws IOException;
}
