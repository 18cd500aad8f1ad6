package io.cairn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A backend that refuses every operation with {@link StorageUnavailableException} and a fixed
 * one-line reason. A backend component stands it in while its configuration is invalid, so the
 * service stays visible (status shows the reason) and every caller gets the same clear message
 * instead of a stack trace from a failed activation.
 */
public final class UnusableStorageBackend implements StorageBackend {

    private final String name;
    private final String reason;

    /**
     * @param name the backend's {@value StorageBackend#NAME_PROPERTY} name
     * @param reason why it cannot be used, one line, for example an
     *     {@link io.cairn.config.InvalidSettingException}'s message
     */
    public UnusableStorageBackend(String name, String reason) {
        this.name = Objects.requireNonNull(name, "name");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the backend cannot be used. */
    public String reason() {
        return reason;
    }

    private StorageUnavailableException refused() {
        return new StorageUnavailableException("backend '" + name + "' is unusable: " + reason);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        throw refused();
    }

    @Override
    public void delete(Path path) throws IOException {
        throw refused();
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        throw refused();
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        throw refused();
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        throw refused();
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        throw refused();
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        throw refused();
    }

    @Override
    public IoCapabilities probe(Path directory) throws IOException {
        throw refused();
    }

    @Override
    public String describe() {
        return name + ": unusable: " + reason;
    }

    @Override
    public String toString() {
        return describe();
    }
}
