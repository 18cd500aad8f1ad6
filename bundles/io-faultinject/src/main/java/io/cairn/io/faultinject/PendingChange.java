package io.cairn.io.faultinject;

/** A change to a file that a simulated power loss may undo, with what it overwrote. */
sealed interface PendingChange {

    /** A write of {@code after} at {@code fileOffset}, which replaced {@code before}. */
    record Write(long fileOffset, byte[] before, byte[] after) implements PendingChange {
    }

    /**
     * A size change from {@code oldSizeBytes} to {@code newSizeBytes}. For a shrink,
     * {@code tailBefore} holds the bytes from {@code tailOffset} that it cut off.
     */
    record Resize(long oldSizeBytes, long newSizeBytes, long tailOffset, byte[] tailBefore) implements PendingChange {
    }
}
