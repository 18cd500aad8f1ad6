package io.cairn.kv;

import io.cairn.engine.CairnException;
import org.osgi.annotation.versioning.ProviderType;

/** The store was closed; no operation is possible. */
@ProviderType
public class StoreClosedException extends CairnException {
    private static final long serialVersionUID = 1L;

    public StoreClosedException(String message) {
        super(message);
    }
}
