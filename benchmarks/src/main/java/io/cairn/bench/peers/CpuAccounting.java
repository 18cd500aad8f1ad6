package io.cairn.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes used while an engine ran, from Linux's /proc: the machine's busy
 * time (/proc/stat) less this JVM's own (/proc/self/stat). On a 2-CPU machine a build running beside
 * the benchmark moves every figure, so the report shows this next to each engine.
 */
final class CpuAccounting {

    /** USER_HZ: the unit of /proc's CPU times; 100 on every Linux this project runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long startNanos;
    private final long startMachineBusyTicks;
    private final long startOwnTicks;

    private CpuAccounting(long startNanos, long machineBusyTicks, long ownTicks) {
        this.startNanos = startNanos;
        this.startMachineBusyTicks = machineBusyTicks;
        this.startOwnTicks = ownTicks;
    }

    /** Starts counting; null when /proc cannot be read (not Linux). */
    static CpuAccounting start() {
        try {
            return new CpuAccounting(System.nanoTime(), machineBusyTicks(), ownTicks());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPUs' worth of time other processes used since the start (e.g. 0.5 = half a CPU), or NaN. */
    double otherProcessesCpus() {
        try {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            long machine = machineBusyTicks() - startMachineBusyTicks;
            long own = ownTicks() - startOwnTicks;
            return Math.max(0, machine - own) / TICKS_PER_SECOND / seconds;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPUs' worth of time this JVM used since the start (all its threads: workers, engine, JIT, GC), or NaN. */
    double ownCpus() {
        try {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return (ownTicks() - startOwnTicks) / TICKS_PER_SECOND / seconds;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** user + nice + system + irq + softirq of all CPUs (not idle, iowait or steal). */
    private static long machineBusyTicks() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
        String[] f = cpu.trim().split("\\s+");
        return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
    }

    /** utime + stime of this process, all threads. */
    private static long ownTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
    }
}
