package io.cairn.bufferpool.lru;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.FutureTask;

/** Waiting, with a bound, until a test thread blocks (the condition tests here wait on, never a sleep). */
final class Blocking {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private Blocking() {
    }

    /** Returns once {@code thread} waits or is blocked; fails if it finishes or runs on for 30 s. */
    static void awaitBlocked(Thread thread, FutureTask<?> task) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!task.isDone()) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(thread.getName() + " did not block: " + state);
            }
            Thread.onSpinWait();
        }
        fail(thread.getName() + " finished instead of waiting");
    }
}
