package io.cairn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A backend that forwards every call to another one. Subclasses override what they change: a
 * fault-injecting or tracing decorator, or a DS component whose delegate is rebuilt on every
 * configuration change. When {@link StorageBackend} grows a default method in a minor version,
 * this class forwards it in the same version, so decorators keep passing new capabilities through.
 */
public abstract class FilterStorageBackend implements StorageBackend {

    /**
     * The backend calls are forwarded to; called on every forwarded call, so it may change over
     * time (it must then be read from a volatile field or equivalent).
     */
    protected abstract StorageBackend delegate();

    @Override
    public String name() {
        return delegate().name();
    }

    @Override
    public StorageFile open(Path path, OpenOptions options) throws IOException {
        return delegate().open(path, options);
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate().delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        delegate().rename(source, target);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        return delegate().list(directory);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate().createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        delegate().syncDirectory(directory);
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        return delegate().lock(lockFile);
    }

    @Override
    public IoCapabilities probe(Path directory) throws IOException {
        return delegate().probe(directory);
    }

    @Override
    public String describe() {
        return delegate().describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
