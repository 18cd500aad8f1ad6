package io.cairn.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears about engine events. Called on an engine notification thread, never on a thread that holds
 * engine latches, so a listener may call back into the engine. A listener that throws is logged and
 * kept; it cannot disturb the engine. Listeners must not block for long: events queue behind them.
 */
@ConsumerType
@FunctionalInterface
public interface EngineListener {

    /** One event. */
    void onEvent(EngineEvent event);
}
