package io.cairn.bench.flush;

import io.cairn.bufferpool.BufferPoolStats;
import io.cairn.redo.RedoStats;
import io.cairn.status.EngineStatus;
import io.cairn.status.HardLimit;
import io.cairn.status.RedoPressure;
import io.cairn.status.StatusService;
import io.cairn.status.WaitStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls engine status every {@value #POLL_INTERVAL_MILLIS} ms and turns each second into a
 * {@link SecondSample}. Polling much faster than once a second is the point: the BLOCKING stage
 * lasts only while a writer is inside the free check, which can be a few milliseconds, and a
 * once-a-second look would miss most of those.
 *
 * <p>Runs on its own thread; everything but {@link #samples()} (which the progress printer reads
 * while the run goes on) is that thread's own.
 */
final class WorkloadSampler implements Runnable {

    static final long POLL_INTERVAL_MILLIS = 5;
    private static final String REDO_SPACE_WAIT = "redo space";

    private final StatusService status;
    private final WriterCounters counters;
    private final int firstSecond;
    private final int lastSecond;
    private final List<SecondSample> samples = new CopyOnWriteArrayList<>();
    /** Start of each waiter thread's latest redo-space wait, to count a wait once however often it is polled. */
    private final Map<String, Long> waitStartMillisByWaiter = new HashMap<>();
    private long redoSpaceWaitsTotal;

    // The current second's accumulators.
    private long ageMaxBytes;
    private RedoPressure pressureWorst;
    private int blockingPolls;
    private int waitersMax;
    private int syncFlushPolls;

    /**
     * @param firstSecond the number of the first second (negative to include a warm-up)
     * @param lastSecond the number of the last second recorded; the sampler ends after it
     */
    WorkloadSampler(StatusService status, WriterCounters counters, int firstSecond, int lastSecond) {
        this.status = status;
        this.counters = counters;
        this.firstSecond = firstSecond;
        this.lastSecond = lastSecond;
    }

    List<SecondSample> samples() {
        return samples;
    }

    long redoSpaceWaitsTotal() {
        return redoSpaceWaitsTotal;
    }

    @Override
    public void run() {
        EngineStatus previous = status.engineStatus();
        resetSecond();
        counters.commits.reset();
        counters.pagesChanged.reset();
        counters.slowBegins.reset();
        counters.beginMaxNanos.set(0);
        long secondStartNanos = System.nanoTime();
        long pollIntervalNanos = TimeUnit.MILLISECONDS.toNanos(POLL_INTERVAL_MILLIS);
        for (int second = firstSecond; second <= lastSecond && !Thread.currentThread().isInterrupted(); second++) {
            long secondEndNanos = secondStartNanos + TimeUnit.SECONDS.toNanos(1);
            EngineStatus current;
            while (true) {
                current = poll();
                long now = System.nanoTime();
                if (now >= secondEndNanos) {
                    break;
                }
                LockSupport.parkNanos(Math.min(pollIntervalNanos, secondEndNanos - now));
            }
            long endNanos = System.nanoTime();
            samples.add(sample(second, previous, current, (endNanos - secondStartNanos) / 1e9));
            previous = current;
            // The next second is measured from this one's nominal end, so seconds do not drift.
            secondStartNanos = secondEndNanos;
            resetSecond();
        }
    }

    private EngineStatus poll() {
        EngineStatus s = status.engineStatus();
        RedoStats redo = s.redo();
        ageMaxBytes = Math.max(ageMaxBytes, redo.checkpointAgeBytes());
        if (s.redoPressure().compareTo(pressureWorst) > 0) {
            pressureWorst = s.redoPressure();
        }
        long nowMillis = System.currentTimeMillis();
        int waiters = 0;
        for (WaitStatus wait : s.waits()) {
            if (!wait.waitsFor().startsWith(REDO_SPACE_WAIT)) {
                continue;
            }
            waiters++;
            long startMillis = nowMillis - wait.waitedMillis();
            Long seen = waitStartMillisByWaiter.get(wait.waiter());
            // The start is derived from two clock reads a moment apart, so it wobbles by a millisecond.
            if (seen == null || Math.abs(startMillis - seen) > 2) {
                redoSpaceWaitsTotal++;
                waitStartMillisByWaiter.put(wait.waiter(), startMillis);
            }
        }
        if (waiters > 0 || s.redoPressure() == RedoPressure.BLOCKING) {
            blockingPolls++;
        }
        waitersMax = Math.max(waitersMax, waiters);
        if (s.flush() != null && s.flush().activeLimits().contains(HardLimit.REDO_SYNC_FLUSH)) {
            syncFlushPolls++;
        }
        return s;
    }

    private SecondSample sample(int second, EngineStatus previous, EngineStatus current, double elapsedSeconds) {
        BufferPoolStats pool = current.bufferPool();
        BufferPoolStats poolBefore = previous.bufferPool();
        RedoStats redo = current.redo();
        long capacityBytes = redo.capacityBytes();
        long beginMaxNanos = counters.beginMaxNanos.getAndSet(0);
        return new SecondSample(second,
                counters.commits.sumThenReset() / elapsedSeconds,
                counters.pagesChanged.sumThenReset() / elapsedSeconds,
                (redo.currentLsn() - previous.redo().currentLsn()) / elapsedSeconds,
                pool.dirtyPct(),
                pool.dirtyPages(),
                redo.checkpointAgeBytes(),
                percent(redo.checkpointAgeBytes(), capacityBytes),
                percent(ageMaxBytes, capacityBytes),
                pressureWorst,
                blockingPolls,
                waitersMax,
                redoSpaceWaitsTotal,
                counters.slowBegins.sumThenReset(),
                TimeUnit.NANOSECONDS.toMicros(beginMaxNanos),
                (pool.pagesWritten() - poolBefore.pagesWritten()) / elapsedSeconds,
                (pool.pagesRead() - poolBefore.pagesRead()) / elapsedSeconds,
                current.flush().rounds() - previous.flush().rounds(),
                syncFlushPolls);
    }

    private void resetSecond() {
        ageMaxBytes = 0;
        pressureWorst = RedoPressure.NONE;
        blockingPolls = 0;
        waitersMax = 0;
        syncFlushPolls = 0;
    }

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0 : part * 100.0 / whole;
    }
}
