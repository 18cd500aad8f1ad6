package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.engine.NoSuchTablespaceException;
import io.cairn.engine.TablespaceState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Field report 3: the drop-table race must be impossible by construction. */
class TablespaceLifecycleTest {

    @Test
    void dropMustWaitForPendingOperationsAndIo() throws Exception {
        TablespaceLifecycle space = new TablespaceLifecycle("t1");
        space.acquire();
        space.ioStarted();
        space.beginStop();
        WaitRegistry waits = new WaitRegistry();
        CountDownLatch dropped = new CountDownLatch(1);
        Thread dropper = new Thread(() -> {
            try {
                if (space.awaitQuiescent(waits, 60_000)) {
                    space.markDropped();
                    dropped.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dropper");
        dropper.start();
        assertFalse(dropped.await(0, TimeUnit.MILLISECONDS));
        space.ioDone();
        assertFalse(dropped.await(0, TimeUnit.MILLISECONDS), "an operation is still pending");
        space.release();
        assertTrue(dropped.await(30, TimeUnit.SECONDS));
        assertEquals(TablespaceState.DROPPED, space.state());
        dropper.join(10_000);
    }

    @Test
    void userCallOnAStoppingOrDroppedTablespaceMustGetAClearError() {
        TablespaceLifecycle space = new TablespaceLifecycle("orders");
        space.beginStop();
        NoSuchTablespaceException stopping = assertThrows(NoSuchTablespaceException.class, space::acquire);
        assertEquals("no such tablespace: 'orders' is being dropped", stopping.getMessage());
        space.markDropped();
        NoSuchTablespaceException dropped = assertThrows(NoSuchTablespaceException.class, space::acquire);
        assertEquals("no such tablespace: 'orders' was dropped", dropped.getMessage());
    }

    @Test
    void backgroundWorkOnAStoppingTablespaceMustBeSkippedQuietly() {
        TablespaceLifecycle space = new TablespaceLifecycle("t1");
        assertTrue(space.tryAcquireForBackground());
        space.release();
        space.beginStop();
        assertFalse(space.tryAcquireForBackground());
        assertEquals(0, space.pendingOperations());
    }

    /**
     * Hammers the report 3 race: background readers take references while a dropper stops the
     * tablespace. No reader may ever hold a reference after the drop completed, and no reader gets
     * an exception: each is either admitted before the stop or skipped.
     */
    @Test
    void backgroundReadersRacingADropMustNeverTouchADroppedTablespace() throws Exception {
        for (int round = 0; round < 200; round++) {
            TablespaceLifecycle space = new TablespaceLifecycle("t" + round);
            AtomicBoolean fileDeleted = new AtomicBoolean();
            AtomicLong readsAfterDelete = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Thread reader = new Thread(() -> {
                    try {
                        for (int i = 0; i < 200; i++) {
                            if (space.tryAcquireForBackground()) {
                                try {
                                    space.ioStarted();
                                    if (fileDeleted.get()) {
                                        readsAfterDelete.incrementAndGet();
                                    }
                                    space.ioDone();
                                } finally {
                                    space.release();
                                }
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }, "read-ahead-" + r);
                readers.add(reader);
                reader.start();
            }
            space.beginStop();
            assertTrue(space.awaitQuiescent(new WaitRegistry(), 30_000));
            fileDeleted.set(true);
            space.markDropped();
            for (Thread reader : readers) {
                reader.join(30_000);
            }
            assertEquals(0, readsAfterDelete.get(), "round " + round);
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }
}
