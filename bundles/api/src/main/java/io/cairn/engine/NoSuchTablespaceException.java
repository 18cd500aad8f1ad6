package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/** A call named a tablespace that does not exist, or was dropped (or is being dropped). */
@ProviderType
public class NoSuchTablespaceException extends CairnException {
    private static final long serialVersionUID = 1L;

    public NoSuchTablespaceException(String message) {
        super(message);
    }
}
