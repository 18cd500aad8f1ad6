package io.cairn.status;

import io.cairn.io.IoCapabilities;
import java.util.Map;

/**
 * One storage backend as the engine or the shell sees it.
 *
 * @param name the {@code cairn.backend} name
 * @param description the backend's own one-line description
 * @param serviceProperties the backend service's {@code cairn.*} properties
 * @param capabilities what it offers for files of the probed directory, or null if the probe failed
 * @param probeError why the probe failed, or null
 */
public record BackendStatus(
        String name,
        String description,
        Map<String, String> serviceProperties,
        IoCapabilities capabilities,
        String probeError) {

    public BackendStatus {
        serviceProperties = Map.copyOf(serviceProperties);
    }
}
