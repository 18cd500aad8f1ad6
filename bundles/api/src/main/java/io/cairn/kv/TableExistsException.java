package io.cairn.kv;

import io.cairn.engine.CairnException;
import org.osgi.annotation.versioning.ProviderType;

/** A table with that name already exists. */
@ProviderType
public class TableExistsException extends CairnException {
    private static final long serialVersionUID = 1L;

    public TableExistsException(String message) {
        super(message);
    }
}
