package io.cairn.kv.btree;

import io.cairn.kv.Table;
import io.cairn.kv.TableExistsException;
import io.cairn.kv.WriteBatch;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child process of {@link KvProcessCrashTest}: threads commit batches to one table with
 * durability 1 and print {@code C <thread> <seq>} after each commit returned, until killed.
 *
 * <p>Commit {@code seq} of thread {@code t} puts entry {@code t-seq} (a value derived from both,
 * sometimes long enough for overflow pages), sets {@code t-last} to {@code seq}, and on every
 * seventh commit deletes entry {@code t-(seq-5)}: so after any crash, which entries exist follows
 * from {@code t-last} alone, and a half-applied batch shows.
 */
public final class KvCrashWorkloadMain {

    static final int THREADS = 3;
    static final String TABLE = "crash";

    private KvCrashWorkloadMain() {
    }

    static byte[] entryKey(int thread, long seq) {
        return String.format("%d-%08d", thread, seq).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] lastKey(int thread) {
        return (thread + "-last").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] value(int thread, long seq) {
        int length = seq % 11 == 0 ? 6000 + (int) (seq % 500) : 10 + (int) ((seq * 37 + thread) % 900);
        byte[] value = new byte[length];
        Arrays.fill(value, (byte) (seq * 31 + thread));
        return value;
    }

    /** Whether entry {@code seq} should exist once commit {@code last} is applied. */
    static boolean exists(long seq, long last) {
        return seq <= last && !(seq + 5 <= last && (seq + 5) % 7 == 0);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        long[] start = new long[THREADS];
        for (int t = 0; t < THREADS; t++) {
            start[t] = Long.parseLong(args[1 + t]);
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.US_ASCII);
        BTreeStore store = TestStores.open(TestStores.config(home, 4096).withCommitDurability(
                io.cairn.redo.CommitDurability.SYNC_ON_COMMIT));
        Table table;
        try {
            table = store.createTable(TABLE);
        } catch (TableExistsException e) {
            table = store.table(TABLE);
        }
        Table t0 = table;
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (long seq = start[thread] + 1;; seq++) {
                    WriteBatch batch = store.newBatch();
                    batch.put(t0, entryKey(thread, seq), value(thread, seq));
                    batch.put(t0, lastKey(thread), ByteBuffer.allocate(8).putLong(seq).array());
                    if (seq % 7 == 0 && seq - 5 > 0) {
                        batch.delete(t0, entryKey(thread, seq - 5));
                    }
                    store.write(batch);
                    synchronized (out) {
                        out.println("C " + thread + " " + seq);
                        out.flush();
                    }
                }
            }, "kv-crash-writer-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
