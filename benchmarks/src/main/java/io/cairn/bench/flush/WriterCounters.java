package io.cairn.bench.flush;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the writer threads count for the sampler, which drains it once per second. */
final class WriterCounters {

    /** A begin this slow cannot be the free check's fast path (a few loads and a compare). */
    static final long SLOW_BEGIN_NANOS = 1_000_000;

    final LongAdder commits = new LongAdder();
    final LongAdder pagesChanged = new LongAdder();
    final LongAdder slowBegins = new LongAdder();
    final AtomicLong beginMaxNanos = new AtomicLong();

    void begun(long nanos) {
        if (nanos >= SLOW_BEGIN_NANOS) {
            slowBegins.increment();
        }
        if (nanos > beginMaxNanos.get()) {
            beginMaxNanos.accumulateAndGet(nanos, Math::max);
        }
    }

    void committed(int pages) {
        commits.increment();
        pagesChanged.add(pages);
    }
}
