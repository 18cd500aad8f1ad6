package io.cairn.io;

/**
 * How much of a file {@link StorageFile#sync(SyncLevel)} makes durable.
 *
 * <p>Mirrors the difference between {@code fdatasync(2)} and {@code fsync(2)}: both make written
 * data durable, only the second guarantees all metadata (timestamps included). A size change is
 * metadata that is needed to read the data back, so on Linux {@link #DATA} covers it as well; the
 * engine nevertheless uses {@link #DATA_AND_METADATA} after every size change because that is the
 * level whose meaning does not depend on the file system (MySQL Bug #45892).
 */
public enum SyncLevel {
    /** Written data, and the metadata needed to read it back, survive power loss. */
    DATA,
    /** Written data and all file metadata (size, block map, timestamps) survive power loss. */
    DATA_AND_METADATA
}
