package io.cairn.kv.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.kv.Table;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process writing B+tree batches with durability 1, at random moments, many times on
 * one home: after each restart every acknowledged batch is there, no batch is half applied, and
 * {@code verify} finds the tree sound.
 */
class KvProcessCrashTest {

    private static final int EXIT_BY_SIGKILL = 128 + 9;
    private static final long TIMEOUT_SECONDS = 60;
    private static final String EOF = "\u0000EOF";

    @TempDir
    Path root;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void everyAcknowledgedBatchMustSurviveKillNineAndTheTreeMustVerify() throws Exception {
        int rounds = Integer.getInteger("cairn.test.kvCrashRounds", 12);
        long seed = Long.getLong("cairn.test.kvCrashSeed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path home = root.resolve("home");
        long[] last = new long[KvCrashWorkloadMain.THREADS];
        for (int round = 1; round <= rounds; round++) {
            String context = "round " + round + ", seed " + seed + " (-Dcairn.test.kvCrashSeed=" + seed + ")";
            long[] before = last.clone();
            long[] acknowledged = runAndKill(home, last, 20 + random.nextInt(300), root.resolve("child-" + round + ".err"),
                    context);
            try (BTreeStore store = TestStores.open(TestStores.config(home, 4096))) {
                Table table = store.table(KvCrashWorkloadMain.TABLE);
                for (int t = 0; t < KvCrashWorkloadMain.THREADS; t++) {
                    byte[] lastValue = table.get(KvCrashWorkloadMain.lastKey(t));
                    long recovered = lastValue == null ? 0 : ByteBuffer.wrap(lastValue).getLong();
                    String where = context + ", thread " + t;
                    assertTrue(recovered >= acknowledged[t], where + ": acknowledged commit " + acknowledged[t]
                            + " lost, recovered up to " + recovered);
                    assertTrue(recovered <= acknowledged[t] + 1, where + ": recovered " + recovered
                            + ", more than one commit beyond the acknowledged " + acknowledged[t]);
                    for (long seq = Math.max(1, before[t] - 6); seq <= recovered + 1; seq++) {
                        byte[] value = table.get(KvCrashWorkloadMain.entryKey(t, seq));
                        if (KvCrashWorkloadMain.exists(seq, recovered)) {
                            assertArrayEquals(KvCrashWorkloadMain.value(t, seq), value, where + ": entry " + seq);
                        } else {
                            assertNull(value, where + ": entry " + seq + " must not exist with last " + recovered);
                        }
                    }
                    last[t] = recovered;
                }
                assertEquals(List.of(), store.verify(), context);
            }
        }
        for (long l : last) {
            assertTrue(l > 0, "every thread committed something");
        }
    }

    private long[] runAndKill(Path home, long[] start, int killAfter, Path stderr, String context) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KvCrashWorkloadMain.class.getName());
        command.add(home.toString());
        for (long s : start) {
            command.add(Long.toString(s));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(stderr.toFile());
        Process child = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("read failed: " + e);
            } finally {
                lines.add(EOF);
            }
        }, "kv-child-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            long[] acknowledged = start.clone();
            for (int count = 0; count < killAfter; count++) {
                String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (line == null || line.equals(EOF)) {
                    fail((line == null ? "no acknowledged commit for " + TIMEOUT_SECONDS + " s" : "the child ended")
                            + ": " + context + "\n" + Files.readString(stderr));
                }
                acknowledge(line, acknowledged, context);
            }
            // Kill through the handle, so acknowledgements still in the pipe can be read afterwards.
            assertTrue(child.toHandle().destroyForcibly(), context);
            assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not die: " + context);
            assertEquals(EXIT_BY_SIGKILL, child.exitValue(), context);
            for (String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS); !EOF.equals(line);
                    line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                if (line == null) {
                    fail("the pipe of a dead child did not reach EOF: " + context);
                }
                acknowledge(line, acknowledged, context);
            }
            return acknowledged;
        } finally {
            child.destroyForcibly();
            child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }
    }

    private static void acknowledge(String line, long[] acknowledged, String context) {
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[0].equals("C")) {
            fail("unexpected line from the child: '" + line + "': " + context);
        }
        int thread = Integer.parseInt(parts[1]);
        long seq = Long.parseLong(parts[2]);
        assertEquals(acknowledged[thread] + 1, seq, "thread " + thread + " acknowledged out of order: " + context);
        acknowledged[thread] = seq;
    }
}
