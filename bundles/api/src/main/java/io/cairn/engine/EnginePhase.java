package io.cairn.engine;

/**
 * The engine's lifecycle phases. Every wait inside the engine has a progress owner in each phase
 * (field report 5): a flush a thread waits for is served by the page cleaner when it runs and by
 * the waiting thread itself when it does not, in every phase, whatever any setting says.
 */
public enum EnginePhase {
    /** Restoring torn pages from doublewrite and applying redo. No user operations yet. */
    RECOVERING,
    /** Redo applied; finishing deferred work (interrupted truncates, drops) and starting threads. */
    STARTING,
    /** Serving operations. */
    RUNNING,
    /** Serving operations while a backend, policy, pool or redo log is being replaced. */
    SWAPPING,
    /** Refusing new operations, flushing everything, writing the final checkpoint. */
    STOPPING,
    /** Closed. Every call fails with {@link EngineStateException}. */
    STOPPED;

    /** Whether user operations are accepted in this phase. */
    public boolean acceptsOperations() {
        return this == RUNNING || this == SWAPPING;
    }
}
