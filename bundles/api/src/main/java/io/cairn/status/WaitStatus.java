package io.cairn.status;

/**
 * A wait the watchdog knows about: every wait inside the engine names what it waits for and who
 * must make progress for it to end.
 *
 * @param waiter the waiting thread's name
 * @param waitsFor what it waits for, for example {@code "pages flushed up to LSN 81920"}
 * @param progressOwner who is responsible, for example {@code "page cleaner"} or {@code "waiting thread"}
 * @param waitedMillis how long it has waited so far
 */
public record WaitStatus(String waiter, String waitsFor, String progressOwner, long waitedMillis) {
}
