package io.cairn.bufferpool.lru;

import io.cairn.status.WaitStatus;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's long waits (free frames, shrinking), each naming what it waits for and who must make
 * progress (field report 5). The waiting thread itself logs a warning every
 * {@value #REPORT_SECONDS} seconds it keeps waiting, so a stuck pool explains itself; the engine
 * can also show {@link #snapshot()}.
 */
final class WaitList {

    static final long REPORT_SECONDS = 10;

    private static final System.Logger LOG = System.getLogger("io.cairn.bufferpool");

    /** A registered wait; close it when the wait ends. Used by its own thread only. */
    final class Entry implements AutoCloseable {
        private final long id;
        private final String waiter;
        private final String waitsFor;
        private final String progressOwner;
        private final long startNanos;
        private long reportedMultiples;

        private Entry(long id, String waitsFor, String progressOwner) {
            this.id = id;
            this.waiter = Thread.currentThread().getName();
            this.waitsFor = waitsFor;
            this.progressOwner = progressOwner;
            this.startNanos = System.nanoTime();
        }

        long waitedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }

        /** Logs a warning once per {@value #REPORT_SECONDS} seconds of waiting. */
        void reportIfLong() {
            long multiples = waitedMillis() / TimeUnit.SECONDS.toMillis(REPORT_SECONDS);
            if (multiples > reportedMultiples) {
                reportedMultiples = multiples;
                LOG.log(Level.WARNING, "{0} has waited {1} s for {2}; progress owner: {3}", waiter,
                        waitedMillis() / 1000, waitsFor, progressOwner);
            }
        }

        @Override
        public void close() {
            entries.remove(id);
        }
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    Entry begin(String waitsFor, String progressOwner) {
        Entry entry = new Entry(ids.incrementAndGet(), waitsFor, progressOwner);
        entries.put(entry.id, entry);
        return entry;
    }

    /** The current waits, longest first. */
    List<WaitStatus> snapshot() {
        List<WaitStatus> result = new ArrayList<>();
        for (Entry e : entries.values()) {
            result.add(new WaitStatus(e.waiter, e.waitsFor, e.progressOwner, e.waitedMillis()));
        }
        result.sort(Comparator.comparingLong(WaitStatus::waitedMillis).reversed());
        return result;
    }
}
