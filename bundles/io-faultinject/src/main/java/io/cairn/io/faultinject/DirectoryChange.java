package io.cairn.io.faultinject;

import java.nio.file.Path;

/** A directory operation that is durable only after its directory is synced. */
sealed interface DirectoryChange {

    /** Whether syncing {@code directory} makes this change durable. */
    boolean affects(Path directory);

    /** A file was created. */
    record Created(Path path) implements DirectoryChange {
        @Override
        public boolean affects(Path directory) {
            return directory.equals(path.getParent());
        }
    }

    /** A file was renamed. */
    record Renamed(Path source, Path destination) implements DirectoryChange {
        @Override
        public boolean affects(Path directory) {
            return directory.equals(destination.getParent());
        }
    }

    /** A file was deleted; its content waits at {@code trash} until the directory is synced. */
    record Deleted(Path path, Path trash) implements DirectoryChange {
        @Override
        public boolean affects(Path directory) {
            return directory.equals(path.getParent());
        }
    }
}
