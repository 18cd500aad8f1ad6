package io.cairn.status;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Snapshots of a running engine, registered as a service next to the engine. Thread-safe and
 * cheap enough to call once a second; never blocks on engine latches or I/O.
 */
@ProviderType
public interface StatusService {

    /** The engine's state now. */
    EngineStatus engineStatus();
}
