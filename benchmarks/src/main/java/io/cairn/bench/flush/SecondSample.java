package io.cairn.bench.flush;

import io.cairn.status.RedoPressure;
import java.util.Locale;

/**
 * What one second of a {@link FlushPolicyWorkloadMain} run looked like. Rates are normalised by the
 * second's measured length; levels (dirty share, checkpoint age) are taken at its end, except the
 * "max" and "worst" columns, which cover every status poll inside the second, so a peak between
 * two ends of seconds is not lost.
 *
 * @param second seconds since the measurement started; negative during the warm-up
 * @param commitsPerSecond committed mini-transactions
 * @param pagesChangedPerSecond pages changed by those commits
 * @param redoBytesPerSecond LSN advance
 * @param dirtyPct the buffer pool's dirty share, InnoDB's formula ({@code BufferPoolStats.dirtyPct})
 * @param dirtyPages pages on the flush lists
 * @param checkpointAgeBytes current LSN minus checkpoint LSN
 * @param checkpointAgePct the same in percent of the redo capacity
 * @param checkpointAgeMaxPct the highest checkpoint age any poll in the second saw, in percent
 * @param pressureWorst the highest redo pressure stage any poll in the second saw
 * @param blockingPolls polls that saw {@link RedoPressure#BLOCKING} or a "redo space" wait
 * @param redoSpaceWaitersMax the most "redo space" waits one poll saw at once
 * @param redoSpaceWaitsTotal distinct "redo space" waits seen since the run started (warm-up included)
 * @param slowBegins {@code beginMiniTransaction} calls that took 1 ms or more, the writers' own view
 *     of the free check (which is the only thing that call can wait for; scheduling delays on a
 *     2-CPU machine also land here, so it is an upper bound)
 * @param beginMaxMicros the longest {@code beginMiniTransaction} call of the second
 * @param pagesWrittenPerSecond pages the buffer pool wrote (flush list, LRU and single-page flushes)
 * @param pagesReadPerSecond pages the buffer pool read
 * @param cleanerRounds page cleaner rounds completed in the second
 * @param syncFlushPolls polls in which the cleaner's latest round had enforced the redo sync flush
 */
record SecondSample(
        int second,
        double commitsPerSecond,
        double pagesChangedPerSecond,
        double redoBytesPerSecond,
        double dirtyPct,
        long dirtyPages,
        long checkpointAgeBytes,
        double checkpointAgePct,
        double checkpointAgeMaxPct,
        RedoPressure pressureWorst,
        int blockingPolls,
        int redoSpaceWaitersMax,
        long redoSpaceWaitsTotal,
        long slowBegins,
        long beginMaxMicros,
        double pagesWrittenPerSecond,
        double pagesReadPerSecond,
        long cleanerRounds,
        int syncFlushPolls) {

    static final String CSV_HEADER = "second,commits_per_s,pages_changed_per_s,redo_bytes_per_s,dirty_pct,dirty_pages,"
            + "checkpoint_age_bytes,checkpoint_age_pct,checkpoint_age_max_pct,pressure_worst,blocking_polls,"
            + "redo_space_waiters_max,redo_space_waits_total,slow_begins,begin_max_us,pages_written_per_s,"
            + "pages_read_per_s,cleaner_rounds,sync_flush_polls";

    /** Whether writers were seen blocked at the redo limit during this second. */
    boolean blocked() {
        return pressureWorst == RedoPressure.BLOCKING || blockingPolls > 0;
    }

    String toCsv() {
        return String.format(Locale.ROOT, "%d,%.1f,%.1f,%.0f,%.2f,%d,%d,%.2f,%.2f,%s,%d,%d,%d,%d,%d,%.1f,%.1f,%d,%d",
                second, commitsPerSecond, pagesChangedPerSecond, redoBytesPerSecond, dirtyPct, dirtyPages,
                checkpointAgeBytes, checkpointAgePct, checkpointAgeMaxPct, pressureWorst, blockingPolls,
                redoSpaceWaitersMax, redoSpaceWaitsTotal, slowBegins, beginMaxMicros, pagesWrittenPerSecond,
                pagesReadPerSecond, cleanerRounds, syncFlushPolls);
    }

    static SecondSample parseCsv(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 19) {
            throw new IllegalArgumentException("expected 19 fields (" + CSV_HEADER + "), got " + f.length + ": " + line);
        }
        return new SecondSample(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                Double.parseDouble(f[7]), Double.parseDouble(f[8]), RedoPressure.valueOf(f[9]), Integer.parseInt(f[10]),
                Integer.parseInt(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                Double.parseDouble(f[15]), Double.parseDouble(f[16]), Long.parseLong(f[17]), Integer.parseInt(f[18]));
    }
}
