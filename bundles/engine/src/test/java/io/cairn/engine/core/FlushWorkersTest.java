package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.status.WaitStatus;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlushWorkersTest {

    private final WaitRegistry waits = new WaitRegistry();
    private FlushWorkers workers;

    @AfterEach
    void stopWorkers() {
        if (workers != null) {
            workers.close();
        }
    }

    @Test
    void everyPartitionMustBeFlushedExactlyOnceAndTheCountsSummed() throws Exception {
        workers = new FlushWorkers(3, waits);
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        long total = workers.run(8, p -> {
            runs.incrementAndGet(p);
            return p + 1;
        });
        assertEquals(36, total);
        for (int p = 0; p < 8; p++) {
            assertEquals(1, runs.get(p), "partition " + p);
        }
    }

    @Test
    void partitionsMustBeWrittenByDifferentThreadsAtTheSameTime() throws Exception {
        workers = new FlushWorkers(3, waits);
        // Each partition waits until all four are running at once: only four threads writing in
        // parallel (three workers and the caller) get past the latch within the bound.
        CountDownLatch allRunning = new CountDownLatch(4);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        long total = workers.run(4, p -> {
            threads.add(Thread.currentThread().getName());
            allRunning.countDown();
            if (!await(allRunning)) {
                throw new IOException("partition " + p + " never ran alongside the other three");
            }
            return 1;
        });
        assertEquals(4, total);
        assertEquals(4, threads.size(), threads.toString());
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller takes part: " + threads);
        assertEquals(3, threads.stream().filter(n -> n.startsWith(FlushWorkers.THREAD_NAME_PREFIX)).count(),
                threads.toString());
    }

    @Test
    void withoutWorkersTheCallerMustFlushEveryPartitionItself() throws Exception {
        workers = new FlushWorkers(0, waits);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        assertEquals(5, workers.run(5, p -> {
            threads.add(Thread.currentThread().getName());
            return 1;
        }));
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
    }

    @Test
    void aFailingPartitionMustFailTheStepOnlyAfterTheOthersEndedAndLeaveTheWorkersRunning() throws Exception {
        workers = new FlushWorkers(2, waits);
        IOException failure = new IOException("injected write failure in partition 1");
        AtomicIntegerArray ended = new AtomicIntegerArray(6);
        IOException thrown = assertThrows(IOException.class, () -> workers.run(6, p -> {
            if (p == 1) {
                throw failure;
            }
            if (p == 4) {
                throw new IllegalStateException("a second failure, in partition 4");
            }
            ended.incrementAndGet(p);
            return 1;
        }));
        assertSame(failure, thrown);
        assertEquals(1, thrown.getSuppressed().length, "the second failure travels with the first");
        for (int p : new int[] {0, 2, 3, 5}) {
            assertEquals(1, ended.get(p), "partition " + p + " must have run before the step failed");
        }
        // The same threads serve the next step: a failure never kills a worker.
        CountDownLatch allRunning = new CountDownLatch(3);
        assertEquals(3, workers.run(3, p -> {
            allRunning.countDown();
            if (!await(allRunning)) {
                throw new IOException("a worker is gone after the failed step");
            }
            return 1;
        }));
    }

    @Test
    void closeMustStopEveryWorkerThread() throws Exception {
        Set<Thread> before = workerThreads();
        workers = new FlushWorkers(3, waits);
        workers.run(4, p -> 1);
        Set<Thread> started = workerThreads();
        started.removeAll(before);
        assertEquals(3, started.size(), started.toString());
        workers.close();
        for (Thread thread : started) {
            assertFalse(thread.isAlive(), thread.getName() + " still runs after close");
        }
        workers = null;
    }

    @Test
    void aCallerWaitingForAWorkerMustShowAsAWaitWithItsProgressOwner() throws Exception {
        workers = new FlushWorkers(1, waits);
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<WaitStatus> seen = new CopyOnWriteArrayList<>();
        assertEquals(2, workers.run(2, p -> {
            bothStarted.countDown();
            if (!await(bothStarted)) {
                throw new IOException("the two partitions never ran at the same time");
            }
            if (Thread.currentThread().getName().startsWith(FlushWorkers.THREAD_NAME_PREFIX)) {
                // The caller's partition ends at once; then it waits for this one.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (waits.snapshot().isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                seen.addAll(waits.snapshot());
            }
            return 1;
        }));
        assertEquals(1, seen.size(), seen.toString());
        assertTrue(seen.get(0).waitsFor().contains("1 of 2 buffer pool partitions"), seen.get(0).waitsFor());
        assertTrue(seen.get(0).progressOwner().contains(FlushWorkers.THREAD_NAME_PREFIX), seen.get(0).progressOwner());
        assertEquals(List.of(), waits.snapshot(), "the wait ends with the step");
    }

    /** Waits up to 30 s; the partition bodies may only throw IOException. */
    private static boolean await(CountDownLatch latch) throws IOException {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the other partitions");
        }
    }

    private static Set<Thread> workerThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(FlushWorkers.THREAD_NAME_PREFIX) && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @Test
    void aStepOfOnePartitionMustRunOnTheCaller() throws Exception {
        workers = new FlushWorkers(3, waits);
        String[] ranOn = new String[1];
        assertEquals(7, workers.run(1, p -> {
            ranOn[0] = Thread.currentThread().getName();
            return 7;
        }));
        assertEquals(Thread.currentThread().getName(), ranOn[0]);
        assertEquals(0, workers.run(0, p -> {
            throw new AssertionError("no partition, no call");
        }));
    }
}
