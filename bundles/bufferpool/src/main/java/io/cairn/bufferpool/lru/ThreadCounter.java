package io.cairn.bufferpool.lru;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter for the hit path: one cell per thread, incremented by its owner with opaque (plain,
 * eventually visible) stores, so counting costs no locked instruction. ({@link
 * java.util.concurrent.atomic.LongAdder} starts with a CAS on a shared base, which on x86 is a
 * full fence that serializes the surrounding cache misses.) {@link #sum()} reads every cell; the
 * counts of threads that ended are folded into a base so the cells do not accumulate.
 *
 * <p>A sum is exact for increments that happen-before the call (for example of joined threads);
 * concurrent increments may or may not be included.
 */
final class ThreadCounter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Cell {
        final WeakReference<Thread> owner = new WeakReference<>(Thread.currentThread());
        @SuppressWarnings("unused") // accessed through VALUE
        long value;
    }

    private final ConcurrentLinkedQueue<Cell> cells = new ConcurrentLinkedQueue<>();
    private final AtomicLong ended = new AtomicLong();
    private final ThreadLocal<Cell> local = ThreadLocal.withInitial(this::register);

    private Cell register() {
        Cell cell = new Cell();
        cells.add(cell);
        return cell;
    }

    void increment() {
        Cell cell = local.get();
        VALUE.setOpaque(cell, (long) VALUE.getOpaque(cell) + 1);
    }

    long sum() {
        long sum = ended.get();
        for (Iterator<Cell> it = cells.iterator(); it.hasNext();) {
            Cell cell = it.next();
            Thread owner = cell.owner.get();
            long value = (long) VALUE.getOpaque(cell);
            if (owner == null || !owner.isAlive()) {
                // A thread that ended wrote its last increment before ending (join/isAlive order it).
                if (cells.remove(cell)) {
                    ended.addAndGet((long) VALUE.getVolatile(cell));
                    sum += (long) VALUE.getVolatile(cell);
                }
            } else {
                sum += value;
            }
        }
        return sum;
    }
}
