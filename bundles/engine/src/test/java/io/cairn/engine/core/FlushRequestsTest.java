package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Field report 5: a wait for flushing must always have a progress owner. */
class FlushRequestsTest {

    /** Dirty pages as a single oldest LSN; flushing below an LSN moves it there. */
    private static final class FakePool implements FlushRequests.Flusher {
        final AtomicLong oldest = new AtomicLong(100);
        final AtomicLong flushesByCaller = new AtomicLong();

        @Override
        public long oldestDirtyLsn() {
            return oldest.get();
        }

        @Override
        public void flushBelow(long lsn) {
            flushesByCaller.incrementAndGet();
            oldest.accumulateAndGet(lsn, Math::max);
        }
    }

    @Test
    void waitDuringStartupMustBeServedByTheWaitingThreadItself() throws Exception {
        FakePool pool = new FakePool();
        FlushRequests requests = new FlushRequests(pool, new WaitRegistry(), 1000);
        // The cleaner never said it serves (it waits for the end of startup, as in the Percona hang).
        requests.awaitFlushed(500);
        assertTrue(pool.oldestDirtyLsn() >= 500);
        assertEquals(1, pool.flushesByCaller.get());
    }

    @Test
    void waitMustBeServedByAServingCleanerWithoutTheWaiterFlushing() throws Exception {
        FakePool pool = new FakePool();
        FlushRequests requests = new FlushRequests(pool, new WaitRegistry(), 60_000);
        requests.cleanerServing(true);
        CountDownLatch requested = new CountDownLatch(1);
        Thread cleaner = new Thread(() -> {
            try {
                while (requests.target() < 500) {
                    Thread.onSpinWait();
                }
                requested.countDown();
                pool.oldest.set(600); // the cleaner's own flush, not counted as the caller's
                requests.cleanerRoundDone();
            } catch (RuntimeException e) {
                throw e;
            }
        }, "test-cleaner");
        cleaner.start();
        requests.awaitFlushed(500);
        assertTrue(requested.await(10, TimeUnit.SECONDS));
        cleaner.join(10_000);
        assertEquals(0, pool.flushesByCaller.get(), "the cleaner served the request");
    }

    @Test
    void stuckCleanerMustBeOvertakenByTheWaiterAfterTheHandOverTimeout() throws Exception {
        FakePool pool = new FakePool();
        FlushRequests requests = new FlushRequests(pool, new WaitRegistry(), 50);
        requests.cleanerServing(true); // claims to serve, but never finishes a round
        requests.awaitFlushed(500);
        assertEquals(1, pool.flushesByCaller.get());
    }

    @Test
    void cleanerThatStopsServingMustReleaseTheWaiterToFlushItself() throws Exception {
        FakePool pool = new FakePool();
        FlushRequests requests = new FlushRequests(pool, new WaitRegistry(), 600_000);
        requests.cleanerServing(true);
        Thread stopper = new Thread(() -> {
            while (requests.target() < 500) {
                Thread.onSpinWait();
            }
            requests.cleanerServing(false); // shutdown: the cleaner leaves
        }, "test-stopper");
        stopper.start();
        requests.awaitFlushed(500);
        stopper.join(10_000);
        assertEquals(1, pool.flushesByCaller.get());
    }

    @Test
    void failedCleanerRoundMustReleaseTheWaiterAtOnceWithoutWaitingOutTheHandOverTimeout() throws Exception {
        FakePool pool = new FakePool();
        // A hand-over timeout the test's own timeout would notice: only the failure report releases it.
        FlushRequests requests = new FlushRequests(pool, new WaitRegistry(), 600_000);
        requests.cleanerServing(true);
        Thread failingCleaner = new Thread(() -> {
            while (requests.target() < 500) {
                Thread.onSpinWait();
            }
            requests.cleanerRoundFailed(); // its write met an I/O error
        }, "test-failing-cleaner");
        failingCleaner.start();
        Thread waiter = new Thread(() -> {
            try {
                requests.awaitFlushed(500);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-waiter");
        waiter.setDaemon(true); // a failure must not leave it holding the test JVM
        waiter.start();
        waiter.join(30_000);
        failingCleaner.join(10_000);
        assertTrue(!waiter.isAlive(), "the waiter still waits for a cleaner whose round failed");
        assertEquals(1, pool.flushesByCaller.get(), "the waiter flushed by itself, where an error reaches its caller");
    }

    @Test
    void waiterArrivingAfterAFailedCleanerRoundMustFlushByItself() throws Exception {
        FakePool pool = new FakePool();
        FlushRequests requests = new FlushRequests(pool, new WaitRegistry(), 600_000);
        requests.cleanerServing(true);
        requests.cleanerRoundFailed(); // before anyone waits: no later signal will come for this waiter
        requests.awaitFlushed(500);
        assertEquals(1, pool.flushesByCaller.get());
    }

    @Test
    void watchdogMustLogALongWaitWithItsProgressOwnerOncePerThreshold() {
        AtomicLong clock = new AtomicLong(1_000);
        WaitRegistry registry = new WaitRegistry(clock::get);
        try (WaitRegistry.Wait wait = registry.begin("pages flushed below LSN 500", "page cleaner")) {
            assertEquals(List.of(), registry.watchdogPass(5_000));
            clock.addAndGet(5_001);
            List<String> logged = registry.watchdogPass(5_000);
            assertEquals(1, logged.size());
            assertTrue(logged.get(0).endsWith("has waited 5001 ms for pages flushed below LSN 500; progress owner: page cleaner"),
                    logged.get(0));
            assertEquals(List.of(), registry.watchdogPass(5_000), "logged once per threshold multiple");
            assertEquals(1, registry.snapshot().size());
        }
        assertEquals(0, registry.snapshot().size());
    }
}
