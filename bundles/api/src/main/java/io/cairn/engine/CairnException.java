package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/** The base of Cairn's unchecked exceptions: misuse and state errors, each with a specific subclass. */
@ProviderType
public class CairnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CairnException(String message) {
        super(message);
    }

    public CairnException(String message, Throwable cause) {
        super(message, cause);
    }
}
