package io.cairn.redo.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LsnWaitersTest {

    /**
     * Longer than any wait in these tests: a waiter that returns before it ran out was woken, not
     * timed out.
     */
    private static final long LONG_SLICE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long TEST_TIMEOUT_MILLIS = 20_000;

    private final LsnWaiters waiters = new LsnWaiters();
    private final AtomicLong position = new AtomicLong();
    private final AtomicBoolean abort = new AtomicBoolean();

    /** Releases any waiter a failed test left parked. */
    @AfterEach
    void releaseWaiters() {
        abort.set(true);
        waiters.wakeAll();
    }

    @Test
    void awaitMustReturnAtOnceWhenThePositionAlreadyCoversTheLsn() throws InterruptedException {
        position.set(10);
        AtomicInteger hookRuns = new AtomicInteger();
        assertTrue(waiters.await(position::get, 10, abort::get, LONG_SLICE_NANOS, hookRuns::incrementAndGet));
        assertEquals(0, hookRuns.get(), "a wait that never queued must not wake the position's owner");
        assertEquals(0, waiters.size());
    }

    @Test
    void oneWakeUpMustReachEveryCoveredWaiterThoughTheWakerUnparksOnlyFanOut() throws Exception {
        int count = 24;
        List<Waiting> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(startWaiting(i));
        }
        awaitCondition("all waiters queued", () -> waiters.size() == count);

        position.set(count);
        waiters.wakeUpTo(count);

        for (Waiting w : all) {
            w.thread.join(TEST_TIMEOUT_MILLIS);
            assertFalse(w.thread.isAlive(), "waiter for LSN " + w.lsn + " was never woken");
            assertEquals(Boolean.TRUE, w.result.get(), "waiter for LSN " + w.lsn);
        }
        assertEquals(0, waiters.size());
        assertEquals(0, waiters.unwokenExpiries());
    }

    @Test
    void aWakeUpMustLeaveTheWaitersItDoesNotCoverWaiting() throws Exception {
        Waiting low = startWaiting(10);
        Waiting high = startWaiting(100);
        awaitCondition("both waiters queued", () -> waiters.size() == 2);

        position.set(10);
        waiters.wakeUpTo(10);
        low.thread.join(TEST_TIMEOUT_MILLIS);
        assertEquals(Boolean.TRUE, low.result.get());
        // The low waiter passes the wake-up on when it leaves; the high one must stay queued.
        assertTrue(high.thread.isAlive());
        assertEquals(1, waiters.size());

        position.set(100);
        waiters.wakeUpTo(100);
        high.thread.join(TEST_TIMEOUT_MILLIS);
        assertEquals(Boolean.TRUE, high.result.get());
    }

    @Test
    void abortMustEndTheWaitBelowThePosition() throws Exception {
        Waiting w = startWaiting(50);
        awaitCondition("waiter queued", () -> waiters.size() == 1);
        abort.set(true);
        waiters.wakeAll();
        w.thread.join(TEST_TIMEOUT_MILLIS);
        assertEquals(Boolean.TRUE, w.result.get());
        assertEquals(0, position.get());
    }

    @Test
    void aWaitThatRunsOutMustReturnFalseAndLeaveTheQueue() throws InterruptedException {
        assertFalse(waiters.await(position::get, 5, abort::get, TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(0, waiters.size());
        assertEquals(0, waiters.uncovered());
    }

    @Test
    void anInterruptedWaitMustThrowAndClearTheFlag() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean(true);
        Thread t = new Thread(() -> {
            try {
                waiters.await(position::get, 5, abort::get, LONG_SLICE_NANOS);
            } catch (Throwable e) {
                thrown.set(e);
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        }, "lsn-waiters-test-interrupted");
        t.start();
        awaitCondition("waiter queued", () -> waiters.size() == 1);
        t.interrupt();
        t.join(TEST_TIMEOUT_MILLIS);
        assertTrue(thrown.get() instanceof InterruptedException, "thrown: " + thrown.get());
        assertFalse(flagAfter.get());
        assertEquals(0, waiters.size());
    }

    @Test
    void coverUpToMustUncountOnlyTheWaitersItCovers() throws Exception {
        AtomicInteger countedWhenHookRan = new AtomicInteger(-1);
        List<Waiting> all = List.of(startWaiting(5), startWaiting(10), startWaiting(15));
        awaitCondition("three waiters counted", () -> waiters.uncovered() == 3);

        assertEquals(2, waiters.coverUpTo(10));
        assertEquals(1, waiters.uncovered());
        assertEquals(0, waiters.coverUpTo(10), "a waiter is uncounted once");

        position.set(15);
        waiters.wakeUpTo(15);
        for (Waiting w : all) {
            w.thread.join(TEST_TIMEOUT_MILLIS);
            assertEquals(Boolean.TRUE, w.result.get());
        }
        assertEquals(0, waiters.uncovered());

        // The hook runs once the waiter counts, so a flusher it wakes sees the waiter.
        Thread t = new Thread(() -> {
            try {
                waiters.await(position::get, 20, abort::get, LONG_SLICE_NANOS,
                        () -> countedWhenHookRan.set(waiters.uncovered()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lsn-waiters-test-hook");
        t.start();
        awaitCondition("hook ran", () -> countedWhenHookRan.get() >= 0);
        assertEquals(1, countedWhenHookRan.get());
        position.set(20);
        waiters.wakeUpTo(20);
        t.join(TEST_TIMEOUT_MILLIS);
        assertFalse(t.isAlive());
    }

    @Test
    void noWakeUpMayBeLostWhenThePositionMovesWhileWaitersQueue() throws Exception {
        // A waker that publishes and wakes while waiters are still arriving: every waiter must
        // return by a wake-up, none by running out of its (long) slice.
        int rounds = 2_000;
        Thread waker = new Thread(() -> {
            for (int lsn = 1; lsn <= rounds; lsn++) {
                position.set(lsn);
                waiters.wakeUpTo(lsn);
            }
        }, "lsn-waiters-test-waker");
        List<Waiting> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int first = i;
            AtomicReference<Boolean> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    boolean allReached = true;
                    for (int lsn = first + 1; lsn <= rounds; lsn += 4) {
                        allReached &= waiters.await(position::get, lsn, abort::get, LONG_SLICE_NANOS);
                    }
                    result.set(allReached);
                } catch (InterruptedException e) {
                    result.set(false);
                }
            }, "lsn-waiters-test-" + i);
            t.setDaemon(true);
            all.add(new Waiting(first, t, result));
            t.start();
        }
        waker.start();
        waker.join(TEST_TIMEOUT_MILLIS);
        for (Waiting w : all) {
            w.thread.join(TEST_TIMEOUT_MILLIS);
            assertFalse(w.thread.isAlive(), w.thread.getName() + " is stuck: a wake-up was lost");
            assertEquals(Boolean.TRUE, w.result.get());
        }
        assertEquals(0, waiters.unwokenExpiries());
    }

    private record Waiting(long lsn, Thread thread, AtomicReference<Boolean> result) {
    }

    private Waiting startWaiting(long lsn) {
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(waiters.await(position::get, lsn, abort::get, LONG_SLICE_NANOS));
            } catch (InterruptedException e) {
                result.set(false);
            }
        }, "lsn-waiters-test-" + lsn);
        t.setDaemon(true);
        t.start();
        return new Waiting(lsn, t, result);
    }

    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TEST_TIMEOUT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " (waited " + TEST_TIMEOUT_MILLIS + " ms)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
