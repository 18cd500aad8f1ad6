package io.cairn.kv;

import io.cairn.engine.CairnException;
import org.osgi.annotation.versioning.ProviderType;

/** A value is longer than {@link KeyValueStore#MAX_VALUE_BYTES}. Nothing was changed. */
@ProviderType
public class ValueTooLargeException extends CairnException {
    private static final long serialVersionUID = 1L;

    public ValueTooLargeException(int valueBytes) {
        super("value of " + valueBytes + " bytes: values must be at most " + KeyValueStore.MAX_VALUE_BYTES + " bytes");
    }
}
