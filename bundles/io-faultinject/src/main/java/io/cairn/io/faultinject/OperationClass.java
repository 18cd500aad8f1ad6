package io.cairn.io.faultinject;

/** The classes of storage operations that error injection can target. */
public enum OperationClass {
    /** {@code StorageFile.read}. */
    READ,
    /** {@code StorageFile.write}, {@code allocate}, {@code truncate}. */
    WRITE,
    /** {@code StorageFile.sync}, {@code StorageBackend.syncDirectory}. */
    SYNC,
    /** {@code delete}, {@code rename}, {@code createDirectories}, {@code list}. */
    METADATA,
    /** {@code StorageBackend.open}. */
    OPEN
}
