package io.cairn.io.faultinject;

import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.testkit.BaseStorageBackendTestCase;
import java.nio.file.Path;

/** Without faults or crashes the decorator must be invisible: it passes the whole kit. */
class FaultInjectingPassThroughTest extends BaseStorageBackendTestCase {

    @Override
    protected StorageBackend newBackend(Path root) {
        return new FaultInjectingStorageBackend(new BufferedStorageBackend(SyncMethod.FDATASYNC), 42);
    }
}
