package io.cairn.engine;

/** Something that happened to a running engine, delivered to {@link EngineListener}s. */
public sealed interface EngineEvent {

    /** When the event happened, in milliseconds since the epoch. */
    long timeMillis();

    /** The engine moved from one phase to another. */
    record PhaseChanged(long timeMillis, EnginePhase from, EnginePhase to) implements EngineEvent {
    }

    /** A swap started: {@code from} and {@code to} are the components' names. */
    record SwapStarted(long timeMillis, ComponentKind kind, String from, String to) implements EngineEvent {
    }

    /** A swap finished; {@code pauseMillis} is how long new operations on affected files waited. */
    record SwapCompleted(long timeMillis, ComponentKind kind, String from, String to, long pauseMillis)
            implements EngineEvent {
    }

    /** A swap failed and was rolled back; {@code reason} is a one-line explanation. */
    record SwapFailed(long timeMillis, ComponentKind kind, String from, String to, String reason)
            implements EngineEvent {
    }

    /**
     * The bound backend for a file role went away; {@code replacement} is the backend the engine
     * switched to, or null when none was available and I/O now waits.
     */
    record BackendLost(long timeMillis, ComponentKind kind, String lost, String replacement) implements EngineEvent {
    }
}
