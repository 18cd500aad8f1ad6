package io.cairn.redo;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens redo logs of one implementation. Registered as an OSGi service with the property
 * {@value #NAME_PROPERTY}; the engine selects one by target filter, and can replace the active
 * log by another implementation (quiesce, full checkpoint, hand over).
 */
@ProviderType
public interface RedoLogProvider {

    /** Service property naming an implementation. */
    String NAME_PROPERTY = "cairn.redo";

    /** The implementation's name. */
    String name();

    /**
     * Opens the redo log in {@code config.directory()}, creating its files if the directory holds
     * none. An existing log of another format is refused with an {@link IOException} naming the
     * format found, never overwritten.
     */
    RedoLog open(RedoLogConfig config) throws IOException;
}
