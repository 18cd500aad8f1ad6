package io.cairn.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of threads for one engine, each with its own {@link KvEngine.Session} created on and
 * used by that thread only, and kept across phases: LMDB's read transactions are bound to their
 * thread, and SQLite's page cache belongs to a connection, so worker 0 of the get phase at one
 * thread is the same thread with the same session as worker 0 of the load.
 */
final class Workers implements AutoCloseable {

    /** Work for one worker thread. */
    interface Task<T> {
        T run(int worker, KvEngine.Session session) throws Exception;
    }

    private final KvEngine engine;
    private final ExecutorService[] threads;
    private final KvEngine.Session[] sessions;

    Workers(KvEngine engine, int count) {
        this.engine = engine;
        this.threads = new ExecutorService[count];
        this.sessions = new KvEngine.Session[count];
        for (int i = 0; i < count; i++) {
            String name = "peer-" + engine.id() + "-" + i;
            threads[i] = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, name);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    int size() {
        return threads.length;
    }

    /** Starts {@code task} on workers 0..count-1 at once. */
    <T> List<Future<T>> start(int count, Task<T> task) {
        if (count > threads.length) {
            throw new IllegalArgumentException(count + " workers asked, " + threads.length + " exist");
        }
        List<Future<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int worker = i;
            futures.add(threads[i].submit(() -> task.run(worker, session(worker))));
        }
        return futures;
    }

    /** Runs {@code task} on worker 0 and waits for it. */
    <T> T runOnFirst(Task<T> task) throws Exception {
        try {
            return start(1, task).get(0).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** Called on worker thread {@code worker} only, so no two threads touch one slot. */
    private KvEngine.Session session(int worker) throws Exception {
        if (sessions[worker] == null) {
            sessions[worker] = engine.openSession();
        }
        return sessions[worker];
    }

    static Exception unwrap(java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
            return exception;
        }
        return new RuntimeException(cause);
    }

    /** Closes each session on its own thread, then stops the threads. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = 0; i < threads.length; i++) {
            int worker = i;
            try {
                threads[i].submit(() -> {
                    if (sessions[worker] != null) {
                        sessions[worker].close();
                        sessions[worker] = null;
                    }
                    return null;
                }).get();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
            threads[i].shutdown();
        }
        for (ExecutorService thread : threads) {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (first != null) {
            throw first;
        }
    }
}
