package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReaderGateTest {

    /** Waits until {@code thread} is blocked or parked, i.e. waits inside the gate. */
    private static void awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread.getName() + " never waited; it is " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void exclusiveMustWaitForSharedHoldersAndKeepNewOnesOutUntilItLeaves() throws Exception {
        ReaderGate gate = new ReaderGate();
        AtomicInteger phase = new AtomicInteger();
        boolean token = gate.enterShared();
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            gate.enterExclusive();
            phase.set(1);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            phase.set(2);
            gate.exitExclusive();
        }, "gate-writer");
        writer.start();
        awaitBlocked(writer);
        assertEquals(0, phase.get(), "the exclusive side must not get in while a shared holder is inside");
        gate.exitShared(token);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (phase.get() != 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, phase.get(), "the exclusive side got in once the shared holder left");

        int[] seenPhase = new int[1];
        Thread reader = new Thread(() -> {
            boolean t = gate.enterShared();
            seenPhase[0] = phase.get();
            gate.exitShared(t);
        }, "gate-reader");
        reader.start();
        awaitBlocked(reader);
        release.countDown();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(2, seenPhase[0], "a reader arriving during the exclusive section enters only after it");
        assertTrue(gate.enterShared(), "after the exclusive side left, readers take the fast path again");
    }
}
