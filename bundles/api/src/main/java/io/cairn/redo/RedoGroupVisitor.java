package io.cairn.redo;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives the complete groups of a redo scan, in LSN order. Implemented by the engine's recovery. */
@ConsumerType
@FunctionalInterface
public interface RedoGroupVisitor {

    /**
     * One complete, checksum-verified group: the records of one mini-transaction.
     *
     * @param startLsn the LSN at which the group starts
     * @param endLsn the LSN just after the group
     * @throws IOException to abort the scan; it is rethrown by {@link RedoLog#scan}
     */
    void group(long startLsn, long endLsn, List<RedoRecord> records) throws IOException;
}
