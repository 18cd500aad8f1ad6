package io.cairn.io;

/** Whether {@link StorageBackend#open(java.nio.file.Path, OpenOptions)} may or must create the file. */
public enum CreateMode {
    /** The file must not exist; if it does, open fails with {@link java.nio.file.FileAlreadyExistsException}. */
    CREATE_NEW,
    /** The file must exist; if it does not, open fails with {@link java.nio.file.NoSuchFileException}. */
    OPEN_EXISTING,
    /** Open the file, creating it empty if it does not exist. */
    OPEN_OR_CREATE
}
