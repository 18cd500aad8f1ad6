package io.cairn.kv;

import io.cairn.engine.CairnException;
import org.osgi.annotation.versioning.ProviderType;

/** A key is empty or longer than {@link KeyValueStore#MAX_KEY_BYTES}. Nothing was changed. */
@ProviderType
public class KeyTooLargeException extends CairnException {
    private static final long serialVersionUID = 1L;

    public KeyTooLargeException(int keyBytes) {
        super("key of " + keyBytes + " bytes: keys must be 1 to " + KeyValueStore.MAX_KEY_BYTES + " bytes");
    }
}
