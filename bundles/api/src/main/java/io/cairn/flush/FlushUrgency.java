package io.cairn.flush;

/**
 * How pressing a round's flushing is, in increasing order. The order is part of the contract:
 * the conformance kit checks that rising pressure never lowers the urgency a policy reports, and
 * the engine shortens the time to the next round as urgency rises.
 */
public enum FlushUrgency {
    /** Nothing needs flushing now; the plan may still write a little to use idle I/O. */
    IDLE,
    /** Ordinary background flushing under load. */
    NORMAL,
    /** Dirty pages or redo age are approaching a limit: flush more, round sooner. */
    ELEVATED,
    /**
     * Redo space or free frames are about to run out; flush at once without an I/O cap
     * (InnoDB's sync or "furious" flushing).
     */
    SYNC
}
