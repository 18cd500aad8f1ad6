package io.cairn.kv;

import io.cairn.engine.CairnException;
import org.osgi.annotation.versioning.ProviderType;

/** A table with that name does not exist, or was dropped. */
@ProviderType
public class NoSuchTableException extends CairnException {
    private static final long serialVersionUID = 1L;

    public NoSuchTableException(String message) {
        super(message);
    }
}
