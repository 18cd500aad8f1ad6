package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/** The engine is not in a phase that accepts the call (for example a put while it is stopping). */
@ProviderType
public class EngineStateException extends CairnException {
    private static final long serialVersionUID = 1L;

    private final EnginePhase phase;

    public EngineStateException(EnginePhase phase, String operation) {
        super("cannot " + operation + ": the engine is " + phase);
        this.phase = phase;
    }

    /** The phase the engine was in. */
    public EnginePhase phase() {
        return phase;
    }
}
