package io.cairn.engine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A runtime swap could not be applied; everything was rolled back to the previous component, and
 * nothing was lost. The cause says why (for example the new backend refused to open a file).
 */
@ProviderType
public class SwapFailedException extends CairnException {
    private static final long serialVersionUID = 1L;

    private final ComponentKind kind;

    public SwapFailedException(ComponentKind kind, String message, Throwable cause) {
        super("swap of " + kind + " failed and was rolled back: " + message, cause);
        this.kind = kind;
    }

    /** What was being swapped. */
    public ComponentKind kind() {
        return kind;
    }
}
