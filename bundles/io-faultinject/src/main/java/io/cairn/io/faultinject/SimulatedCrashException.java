package io.cairn.io.faultinject;

import java.io.IOException;

/**
 * Thrown by every operation of a {@link FaultInjectingStorageBackend} after a simulated crash
 * until {@link FaultInjectingStorageBackend#reset()}; also by the sync that triggered the crash.
 */
public class SimulatedCrashException extends IOException {
    private static final long serialVersionUID = 1L;

    public SimulatedCrashException(String message) {
        super(message);
    }
}
