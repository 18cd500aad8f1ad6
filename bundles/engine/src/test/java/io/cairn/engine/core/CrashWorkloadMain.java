package io.cairn.engine.core;

import io.cairn.engine.MiniTransaction;
import io.cairn.engine.PageRef;
import io.cairn.engine.Tablespace;
import io.cairn.io.buffered.BufferedStorageBackend;
import io.cairn.io.buffered.SyncMethod;
import io.cairn.redo.CommitDurability;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link ProcessCrashTest}: runs an update workload until it is killed, and prints
 * {@code C <thread> <seq>} on stdout only after the commit of that sequence number returned.
 *
 * <p>The layout is shared with the parent, which recomputes it to check the recovered state:
 * <ul>
 *   <li>tablespace {@value #TABLESPACE}, whose pages {@code 1 .. FIXED_PAGES} are allocated by the
 *       parent before the first round;</li>
 *   <li>commit {@code (t, s)} writes its identity into slot {@code t} of {@link #PAGES_PER_COMMIT}
 *       fixed pages chosen by {@link #pagesOf} — the same pages in every process, so a commit that
 *       reached only some of its pages shows;</li>
 *   <li>thread 0's commit {@code s} also allocates the next page when {@link #grows}{@code (s)}, and
 *       writes its identity there, so extensions are part of the workload and of the check.</li>
 * </ul>
 *
 * <p>Arguments: home, durability level, doublewrite mode, then one start sequence per thread (the
 * last sequence the parent found for it; the child continues after it).
 */
public final class CrashWorkloadMain {

    static final String TABLESPACE = "crash";
    static final int FIXED_PAGES = 256;
    static final int PAGES_PER_COMMIT = 4;
    static final int GROW_EVERY = 8;
    static final int GROW_CAP = 4096;
    /** Slot {@code t}: the sequence at {@code 16 t}, the thread at {@code 16 t + 8} (body relative). */
    static final int SLOT_BYTES = 16;

    private CrashWorkloadMain() {
    }

    /**
     * The config both processes use: a pool of 64 pages against a few hundred pages in use, in two
     * instances, so the cleaner and its worker flush in parallel when the process is killed.
     */
    static EngineConfig config(Path home, CommitDurability durability, DoublewriteMode doublewrite) {
        return EngineConfig.defaults(home).withBufferPoolSizeBytes(1L << 20).withRedoCapacityBytes(2L << 20)
                .withCommitDurability(durability).withDoublewrite(doublewrite).withCleanerIntervalMillis(50)
                .withBufferPoolInstances(2).withPageCleanerThreads(2);
    }

    /** The fixed pages commit {@code (thread, seq)} writes, ascending (the latch order). */
    static long[] pagesOf(int thread, long seq) {
        SplittableRandom random = new SplittableRandom(seq * 0x9E3779B97F4A7C15L + thread);
        long[] pages = new long[PAGES_PER_COMMIT];
        int n = 0;
        while (n < PAGES_PER_COMMIT) {
            long page = TablespaceImpl.FIRST_USER_PAGE_NO + random.nextInt(FIXED_PAGES);
            boolean taken = false;
            for (int i = 0; i < n; i++) {
                taken |= pages[i] == page;
            }
            if (!taken) {
                pages[n++] = page;
            }
        }
        Arrays.sort(pages);
        return pages;
    }

    /** Whether thread 0's commit {@code seq} allocates a page. */
    static boolean grows(long seq) {
        return seq % GROW_EVERY == 0 && seq / GROW_EVERY <= GROW_CAP;
    }

    /** How many pages thread 0 allocated once its last commit is {@code seq}. */
    static long grownPages(long seq) {
        return Math.min(seq / GROW_EVERY, GROW_CAP);
    }

    /** The page thread 0's {@code j}-th allocation (1-based) returns: nothing else allocates after setup. */
    static long grownPageNo(long j) {
        return TablespaceImpl.FIRST_USER_PAGE_NO + FIXED_PAGES + j - 1;
    }

    static int slotOffset(PageRef page, int thread) {
        return page.bodyStartOffset() + thread * SLOT_BYTES;
    }

    private static void writeIdentity(PageRef page, int thread, long seq) {
        int offset = slotOffset(page, thread);
        page.putLong(offset, seq);
        page.putLong(offset + 8, thread);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        CommitDurability durability = CommitDurability.parse("durability", args[1]);
        DoublewriteMode doublewrite = DoublewriteMode.valueOf(args[2]);
        long[] start = new long[args.length - 3];
        for (int t = 0; t < start.length; t++) {
            start[t] = Long.parseLong(args[3 + t]);
        }
        exitWhenOrphaned();
        CairnEngine engine = CairnEngine.open(config(home, durability, doublewrite),
                TestEngines.parts(new BufferedStorageBackend(SyncMethod.FDATASYNC)));
        Tablespace space = engine.tablespace(TABLESPACE);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        Thread[] threads = new Thread[start.length];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> run(engine, space, durability, thread, start[thread], out), "workload-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void run(CairnEngine engine, Tablespace space, CommitDurability durability, int thread, long start,
            OutputStream out) {
        try {
            for (long seq = start + 1;; seq++) {
                try (MiniTransaction mtr = engine.beginMiniTransaction()) {
                    if (thread == 0 && grows(seq)) {
                        // First, so the header page (page 0) is latched before any fixed page.
                        PageRef fresh = mtr.allocatePage(space);
                        if (fresh.pageNo() != grownPageNo(seq / GROW_EVERY)) {
                            throw new IllegalStateException("allocation returned page " + fresh.pageNo() + " for commit "
                                    + seq + ", expected " + grownPageNo(seq / GROW_EVERY));
                        }
                        writeIdentity(fresh, thread, seq);
                    }
                    for (long pageNo : pagesOf(thread, seq)) {
                        writeIdentity(mtr.writePage(space, pageNo), thread, seq);
                    }
                    mtr.commit(durability);
                }
                // One write per line, so a line the parent reads is never torn by the kill.
                byte[] line = ("C " + thread + " " + seq + "\n").getBytes(StandardCharsets.US_ASCII);
                synchronized (out) {
                    out.write(line);
                }
            }
        } catch (Throwable t) {
            System.err.println("workload thread " + thread + " failed:");
            t.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
    }

    /**
     * The parent holds our stdin open until it killed us; EOF means it is gone without killing us
     * (its JVM died), and a workload nobody reads must not run on. The hard limit covers a parent
     * that hangs.
     */
    private static void exitWhenOrphaned() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; only EOF matters
                }
            } catch (IOException ignored) {
                // treated like EOF
            }
            Runtime.getRuntime().halt(3);
        }, "orphan-watch");
        watcher.setDaemon(true);
        watcher.start();
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(4);
        }, "hard-limit");
        limit.setDaemon(true);
        limit.start();
    }
}
