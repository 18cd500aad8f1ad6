package io.cairn.engine.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The page cleaner's writer threads (InnoDB's page cleaner workers): a step of a cleaner round that
 * divides into buffer pool partitions runs one partition per thread at a time, with the calling
 * thread (the cleaner itself) taking partitions too.
 *
 * <p>Progress never depends on a worker: partitions are claimed one by one, the caller claims
 * until none is left, so a round completes even when every worker is slow or gone; the caller only
 * waits for partitions a worker has already started. A worker survives anything a partition
 * throws; the failure is handed to the caller, which rethrows it once the step's other partitions
 * ended, so a failed write fails the round as it did with one thread.
 */
final class FlushWorkers implements AutoCloseable {

    /** Writes one partition's share of a step; returns the pages it wrote or freed. */
    @FunctionalInterface
    interface PartitionFlush {
        long flush(int partition) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger("io.cairn.engine.cleaner");
    static final String THREAD_NAME_PREFIX = "cairn-page-cleaner-worker-";
    private static final Step STOP = new Step(0, p -> 0);

    private final Thread[] threads;
    private final LinkedBlockingQueue<Step> queue = new LinkedBlockingQueue<>();
    private final WaitRegistry waits;

    /** Starts {@code workerThreads} threads (0 runs every step on the caller). */
    FlushWorkers(int workerThreads, WaitRegistry waits) {
        this.waits = waits;
        this.threads = new Thread[workerThreads];
        for (int i = 0; i < workerThreads; i++) {
            Thread thread = new Thread(this::work, THREAD_NAME_PREFIX + (i + 1));
            thread.setDaemon(true);
            threads[i] = thread;
            thread.start();
        }
    }

    /** Worker threads, not counting the caller. */
    int workerThreads() {
        return threads.length;
    }

    /**
     * Runs {@code flush} for every partition from 0 to {@code partitions - 1}, each exactly once,
     * spread over the workers and the calling thread.
     *
     * @return the sum of what the partitions returned
     * @throws IOException the first partition's failure, with later ones suppressed, after every
     *     started partition ended
     */
    long run(int partitions, PartitionFlush flush) throws IOException {
        if (partitions <= 0) {
            return 0;
        }
        Step step = new Step(partitions, flush);
        if (partitions > 1) {
            for (int i = 0; i < Math.min(threads.length, partitions - 1); i++) {
                queue.add(step);
            }
        }
        step.work();
        step.awaitStarted(waits);
        return step.result();
    }

    private void work() {
        for (;;) {
            Step step;
            try {
                step = queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts these threads but the JVM's shutdown of a crashed test; stop quietly.
                return;
            }
            if (step == STOP) {
                return;
            }
            step.work();
        }
    }

    /** Stops the workers after the steps already queued and waits for them (bounded). */
    @Override
    public void close() {
        for (int i = 0; i < threads.length; i++) {
            queue.add(STOP);
        }
        for (Thread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, thread.getName()
                        + " did not stop within 30 s; it is still writing a partition and stops when that write returns");
            }
        }
    }

    /** One step of a round: its partitions, claimed one at a time by whoever takes part. */
    private static final class Step {
        private final int partitions;
        private final PartitionFlush flush;
        private final AtomicInteger nextPartition = new AtomicInteger();
        // Guarded by this.
        private int ended;
        private long total;
        private Throwable failure;

        Step(int partitions, PartitionFlush flush) {
            this.partitions = partitions;
            this.flush = flush;
        }

        void work() {
            for (int p = nextPartition.getAndIncrement(); p < partitions; p = nextPartition.getAndIncrement()) {
                long done = 0;
                Throwable thrown = null;
                try {
                    done = flush.flush(p);
                } catch (Throwable t) {
                    thrown = t;
                }
                ended(done, thrown);
            }
        }

        private synchronized void ended(long done, Throwable thrown) {
            total += done;
            if (thrown != null) {
                if (failure == null) {
                    failure = thrown;
                } else {
                    failure.addSuppressed(thrown);
                }
            }
            ended++;
            if (ended == partitions) {
                notifyAll();
            }
        }

        /**
         * Waits for the partitions workers took. The caller claimed every partition left, so all
         * of them are started; each ends when its writes return.
         */
        void awaitStarted(WaitRegistry waits) {
            boolean interrupted = false;
            WaitRegistry.Wait wait = null;
            synchronized (this) {
                try {
                    while (ended < partitions) {
                        if (wait == null) {
                            wait = waits.begin("page cleaner workers writing " + (partitions - ended) + " of "
                                    + partitions + " buffer pool partitions of this round",
                                    "the " + THREAD_NAME_PREFIX + "* threads, each writing one partition");
                        }
                        try {
                            wait(1000);
                        } catch (InterruptedException e) {
                            // The written pages are what the round's callers wait for: finish, then
                            // pass the interrupt on.
                            interrupted = true;
                        }
                    }
                } finally {
                    if (wait != null) {
                        wait.close();
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized long result() throws IOException {
            if (failure == null) {
                return total;
            }
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof UncheckedIOException e) {
                throw e.getCause();
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IOException("a page cleaner worker failed: " + failure, failure);
        }
    }
}
