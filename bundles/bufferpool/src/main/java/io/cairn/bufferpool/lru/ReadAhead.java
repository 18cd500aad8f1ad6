package io.cairn.bufferpool.lru;

import io.cairn.engine.NoSuchTablespaceException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The background thread that performs linear read-ahead. Requests come from the access detector
 * (under an instance lock, so {@link #offer} never blocks: a full queue drops the request, as the
 * read is only speculative). The thread survives every exception of a single request and stops
 * on {@link #stop()}.
 */
final class ReadAhead {

    private static final System.Logger LOG = System.getLogger("io.cairn.bufferpool");
    private static final int QUEUE_CAPACITY = 64;

    private record Request(int spaceId, long firstPageNo) {
    }

    /** Wakes the thread for stopping without interrupting a read in progress. */
    private static final Request STOP = new Request(0, -1);

    private final LruBufferPool pool;
    private final ArrayBlockingQueue<Request> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean stopped;

    ReadAhead(LruBufferPool pool, String threadName) {
        this.pool = pool;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues the read of one extent starting at {@code firstPageNo}; drops it if the queue is full. */
    void offer(int spaceId, long firstPageNo) {
        queue.offer(new Request(spaceId, firstPageNo));
    }

    /** Whether the thread is running (tests). */
    boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        while (!stopped) {
            Request request;
            try {
                request = queue.take();
            } catch (InterruptedException e) {
                continue; // only stop() interrupts, and only if it could not queue STOP
            }
            if (stopped || request == STOP) {
                return;
            }
            try {
                pool.readAheadExtent(request.spaceId(), request.firstPageNo());
            } catch (NoSuchTablespaceException e) {
                // A store that throws instead of skipping a background read of a dropped
                // tablespace; still not an error worth a log line (field report 3).
                LOG.log(Level.DEBUG, "read-ahead of tablespace {0} skipped: {1}", request.spaceId(), e.getMessage());
            } catch (Exception e) {
                if (!stopped) {
                    LOG.log(Level.WARNING, "read-ahead of pages " + request.firstPageNo() + " to "
                            + (request.firstPageNo() + LruBufferPool.EXTENT_PAGES - 1) + " of tablespace "
                            + request.spaceId() + " failed; the pages will be read on demand", e);
                }
            }
        }
    }

    /** Stops the thread and waits up to 10 s for a read in progress to finish. */
    void stop() {
        stopped = true;
        queue.clear();
        if (!queue.offer(STOP)) {
            thread.interrupt();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
