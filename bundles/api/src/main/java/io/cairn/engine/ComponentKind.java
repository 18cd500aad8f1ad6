package io.cairn.engine;

/** The parts of a running engine that can be replaced without stopping it. */
public enum ComponentKind {
    /** The storage backend of tablespace and doublewrite files. */
    DATA_BACKEND,
    /** The storage backend of redo files. */
    REDO_BACKEND,
    /** The flush policy. */
    FLUSH_POLICY,
    /** The default commit durability. */
    COMMIT_DURABILITY,
    /** The buffer pool implementation. */
    BUFFER_POOL,
    /** The redo log implementation. */
    REDO_LOG
}
