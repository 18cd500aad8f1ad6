package io.cairn.redo.support;

import static io.cairn.redo.support.LsnWaitersTest.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaitQueueTest {

    private static final long LONG_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long JOIN_MILLIS = 20_000;

    private final WaitQueue queue = new WaitQueue();
    private volatile long state;
    private volatile boolean released;

    @AfterEach
    void releaseWaiters() {
        released = true;
        queue.signalAll();
    }

    @Test
    void aSatisfiedConditionMustReturnWithoutWaiting() throws InterruptedException {
        state = 1;
        assertTrue(queue.await(() -> state == 1, LONG_WAIT_NANOS));
        assertEquals(0, queue.waiting());
    }

    @Test
    void aWaitThatRunsOutMustReturnFalse() throws InterruptedException {
        assertFalse(queue.await(() -> state == 1, TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(0, queue.waiting());
    }

    @Test
    void aSignalAfterTheStateChangedMustWakeTheWaiter() throws Exception {
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(queue.await(() -> state == 1 || released, LONG_WAIT_NANOS));
            } catch (InterruptedException e) {
                result.set(false);
            }
        }, "wait-queue-test-waiter");
        t.setDaemon(true);
        t.start();
        awaitCondition("the waiter counts itself", () -> queue.waiting() == 1);
        state = 1;
        queue.signalAll();
        t.join(JOIN_MILLIS);
        assertFalse(t.isAlive(), "the signal did not wake the waiter");
        assertEquals(Boolean.TRUE, result.get());
        assertEquals(0, queue.waiting());
    }

    @Test
    void noSignalMayBeLostBetweenTheConditionCheckAndThePark() throws Exception {
        // Hand a counter back and forth: each side waits for its turn with a long timeout, so a
        // lost signal shows as a waiter that never returns (or returns false), not as slowness.
        int rounds = 5_000;
        AtomicReference<String> problem = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                for (long turn = 1; turn < 2L * rounds; turn += 2) {
                    long mine = turn;
                    if (!queue.await(() -> state == mine || released, LONG_WAIT_NANOS) || released) {
                        problem.compareAndSet(null, "odd side gave up at turn " + mine);
                        return;
                    }
                    state = mine + 1;
                    queue.signalAll();
                }
            } catch (InterruptedException e) {
                problem.compareAndSet(null, "interrupted");
            }
        }, "wait-queue-test-odd");
        other.setDaemon(true);
        other.start();
        for (long turn = 0; turn < 2L * rounds; turn += 2) {
            long mine = turn;
            assertTrue(queue.await(() -> state == mine, TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS)),
                    "even side stuck at turn " + mine + ": a signal was lost");
            state = mine + 1;
            queue.signalAll();
        }
        other.join(JOIN_MILLIS);
        assertEquals(null, problem.get());
        assertEquals(2L * rounds, state);
    }
}
