package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A handle to a tablespace: one file under the home's {@code data/} directory holding pages of one
 * size. The handle stays valid across backend swaps; after the tablespace is dropped every
 * operation through it fails with {@link NoSuchTablespaceException}. Thread-safe.
 */
@ProviderType
public interface Tablespace {

    /** The tablespace's id, unique in the home directory and never reused. */
    int spaceId();

    /** The tablespace's name. */
    String name();

    /** The lifecycle state; a snapshot. */
    TablespaceState state();

    /** The current size in pages. */
    long sizePages();

    /** The page size in bytes (the same for every tablespace of a home). */
    int pageSizeBytes();

    /**
     * The first page number an access method may use. Pages below it belong to the engine (header,
     * allocation maps). It is also the page number the first {@link MiniTransaction#allocatePage}
     * in a new tablespace returns, so an access method may keep its root there for good.
     */
    long firstUserPageNo();
}
