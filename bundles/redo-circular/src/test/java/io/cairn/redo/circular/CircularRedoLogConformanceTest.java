package io.cairn.redo.circular;

import io.cairn.io.StorageBackend;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.io.direct.DirectStorageBackend;
import io.cairn.io.direct.FlushMethod;
import io.cairn.redo.RedoLogProvider;
import io.cairn.redo.kit.BaseRedoLogTestCase;
import io.cairn.redo.kit.DirectIo;
import java.nio.file.Path;

/** The circular redo log against the conformance kit, on the buffered backend (switching to direct). */
class CircularRedoLogConformanceTest extends BaseRedoLogTestCase {

    @Override
    protected RedoLogProvider newProvider() {
        return new CircularRedoLogProvider(CircularRedoLogOptions.defaults().withLogBufferBytes(1 << 20));
    }

    @Override
    protected StorageBackend newBackend(Path root) {
        return new BufferedStorageBackend(SyncMethod.FDATASYNC);
    }

    @Override
    protected StorageBackend alternateBackend(Path root) throws Exception {
        return DirectIo.supported(root) ? new DirectStorageBackend(FlushMethod.O_DIRECT) : null;
    }
}
