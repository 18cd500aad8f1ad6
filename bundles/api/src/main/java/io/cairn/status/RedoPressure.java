package io.cairn.status;

/**
 * How close redo is to its capacity, and what the engine does about it, in escalating order. Each
 * stage is visible in status while active, so an operator can tell a slow disk from a stuck engine.
 */
public enum RedoPressure {
    /** The checkpoint age is comfortably below capacity. */
    NONE,
    /** Past the async point (7/8 of capacity): the flush policy is asked to flush harder. */
    ADAPTIVE,
    /** Past the sync point (15/16): the engine flushes synchronously, ignoring the I/O budget. */
    SYNC_FLUSH,
    /** At capacity: new mini-transactions wait until the checkpoint advances. */
    BLOCKING
}
