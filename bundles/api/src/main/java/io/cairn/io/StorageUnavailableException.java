package io.cairn.io;

import java.io.IOException;

/**
 * No storage backend is available for a file: the bound backend went away (its bundle stopped)
 * and none of the remaining ones can serve the file within the configured wait. Operations that
 * get it did not happen; commits that get it were not acknowledged.
 */
public class StorageUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message) {
        super(message);
    }
}
