package io.cairn.engine.core;

import io.cairn.bufferpool.BufferPool;
import io.cairn.engine.Tablespace;
import io.cairn.redo.CommitDurability;
import io.cairn.redo.RedoLog;

/** What a mini-transaction needs from its engine. */
interface MtrContext {

    BufferPool pool();

    RedoLog redo();

    CommitDurability defaultDurability();

    CommitTracker commits();

    /**
     * The engine's own tablespace object for a handle a caller passed in.
     *
     * @throws io.cairn.engine.NoSuchTablespaceException if it is not one of this engine's
     */
    TablespaceImpl resolve(Tablespace tablespace);

    /** A mini-transaction that entered the gate released its last page. */
    default void mtrEnded() {
    }
}
