package io.cairn.kv;

import io.cairn.engine.CairnException;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An operation failed because storage failed (an I/O error, a full disk, no backend available).
 * The operation was not acknowledged; the cause is the underlying {@link IOException}.
 */
@ProviderType
public class StorageFailureException extends CairnException {
    private static final long serialVersionUID = 1L;

    public StorageFailureException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
