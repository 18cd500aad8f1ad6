package io.cairn.redo.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogBufferTest {

    @Test
    void reservationsMustRefuseWithTheReasonTheyCannotProceed() {
        // 128 link slots: reservations may start at most 127 LSNs past the oldest group being copied.
        LogBuffer buffer = new LogBuffer(1024, 128, 8192);
        assertEquals(LogBuffer.NO_CAPACITY, buffer.tryReserve(100, 8192 + 99));
        assertEquals(8192, buffer.tryReserve(100, Long.MAX_VALUE));
        assertEquals(LogBuffer.NO_BUFFER_SPACE, buffer.tryReserve(1000, Long.MAX_VALUE));
        assertEquals(8292, buffer.tryReserve(10, Long.MAX_VALUE));
        assertEquals(8302, buffer.tryReserve(10, Long.MAX_VALUE));
        assertEquals(8312, buffer.tryReserve(10, Long.MAX_VALUE));
        assertEquals(LogBuffer.NO_LINK_SLOT, buffer.tryReserve(10, Long.MAX_VALUE), "130 LSNs past the copying group");
        buffer.publish(8192, 8292);
        assertEquals(8292, buffer.ready());
        assertEquals(8322, buffer.tryReserve(10, Long.MAX_VALUE));
    }

    @Test
    void readyMustAdvanceOnlyOverContiguouslyPublishedGroups() {
        LogBuffer buffer = new LogBuffer(1024, 1024, 100);
        long a = buffer.tryReserve(10, Long.MAX_VALUE);
        long b = buffer.tryReserve(20, Long.MAX_VALUE);
        long c = buffer.tryReserve(30, Long.MAX_VALUE);
        assertEquals(100, buffer.publish(c, c + 30));
        assertEquals(100, buffer.publish(b, b + 20));
        assertEquals(160, buffer.publish(a, a + 10), "the first publication completes the chain");
    }

    @Test
    void concurrentAppendersMustEndWithEveryByteInPlaceAndReadyAtTheEnd() throws Exception {
        int ringBytes = 1 << 16;
        LogBuffer buffer = new LogBuffer(ringBytes, 64, 8192);
        int threads = 8;
        int perThread = 2000;
        ConcurrentHashMap<Long, byte[]> groups = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(t);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] bytes = new byte[random.nextInt(1, 300)];
                        random.nextBytes(bytes);
                        long start;
                        while ((start = buffer.tryReserve(bytes.length, Long.MAX_VALUE)) < 0) {
                            Thread.onSpinWait(); // the test's reader releases space
                        }
                        buffer.copyIn(start, bytes, bytes.length);
                        groups.put(start, bytes);
                        buffer.publish(start, start + bytes.length);
                    }
                    return null;
                }));
            }
            // The reader: takes ready bytes out and checks them against what was published.
            Future<Long> reader = pool.submit(() -> {
                long position = 8192;
                long expectedEnd = -1;
                while (true) {
                    long ready = buffer.advanceReady();
                    while (position < ready) {
                        byte[] expected = groups.get(position);
                        ByteBuffer out = ByteBuffer.allocate(expected.length);
                        buffer.copyOut(position, out, expected.length);
                        assertArrayEquals(expected, out.array(), "group at " + position);
                        position += expected.length;
                        buffer.release(position);
                    }
                    if (expectedEnd < 0 && futures.stream().allMatch(Future::isDone)) {
                        expectedEnd = buffer.reserved();
                    }
                    if (expectedEnd >= 0 && position == expectedEnd) {
                        return position;
                    }
                    Thread.onSpinWait();
                }
            });
            for (Future<?> f : futures) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertEquals(buffer.reserved(), reader.get(1, TimeUnit.MINUTES));
            assertEquals((long) threads * perThread, groups.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
