package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/** A tablespace with that name already exists. */
@ProviderType
public class TablespaceExistsException extends CairnException {
    private static final long serialVersionUID = 1L;

    public TablespaceExistsException(String message) {
        super(message);
    }
}
