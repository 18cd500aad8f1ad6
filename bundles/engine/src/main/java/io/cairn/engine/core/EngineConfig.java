package io.cairn.engine.core;

import io.cairn.config.InvalidSettingException;
import io.cairn.redo.CommitDurability;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An engine's settings. Defaults follow InnoDB where it has an equivalent (innodb.md section 7).
 *
 * @param home the home directory
 * @param pageSizeBytes page size for a new home, 0 to use the home's own (16 KiB for a new one)
 * @param bufferPoolSizeBytes buffer pool size
 * @param redoCapacityBytes redo capacity
 * @param commitDurability default commit durability
 * @param doublewrite doublewrite mode
 * @param cleanerIntervalMillis the page cleaner's round interval when there is no pressure
 * @param ioCapacityPagesPerSecond the normal flushing budget
 * @param ioCapacityMaxPagesPerSecond the maximum flushing budget outside sync flushing
 * @param watchdogThresholdMillis waits older than this are logged with what they wait for
 * @param bufferPoolInstances buffer pool instances (each with its own lists and locks), 0 for
 *     InnoDB's rule: 8 from 1 GiB up, else 1
 * @param pageCleanerThreads threads that write a cleaner round's pages, the cleaner's own thread
 *     included (InnoDB's {@code innodb_page_cleaners}); more than the pool's instances are not used
 */
public record EngineConfig(
        Path home,
        int pageSizeBytes,
        long bufferPoolSizeBytes,
        long redoCapacityBytes,
        CommitDurability commitDurability,
        DoublewriteMode doublewrite,
        long cleanerIntervalMillis,
        long ioCapacityPagesPerSecond,
        long ioCapacityMaxPagesPerSecond,
        long watchdogThresholdMillis,
        int bufferPoolInstances,
        int pageCleanerThreads) {

    /** InnoDB's {@code innodb_page_cleaners} default. */
    public static final int DEFAULT_PAGE_CLEANER_THREADS = 4;
    /** Upper bound of both {@code bufferPoolInstances} and {@code pageCleanerThreads} (InnoDB's limit). */
    public static final int MAX_INSTANCES = 64;

    public EngineConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(commitDurability, "commitDurability");
        Objects.requireNonNull(doublewrite, "doublewrite");
        InvalidSettingException.requireRange("bufferPoolSizeBytes", bufferPoolSizeBytes, 1L << 20, Long.MAX_VALUE);
        InvalidSettingException.requireRange("redoCapacityBytes", redoCapacityBytes, 1L << 20, 1L << 40);
        InvalidSettingException.requireRange("cleanerIntervalMillis", cleanerIntervalMillis, 10, 60_000);
        InvalidSettingException.requireRange("ioCapacityPagesPerSecond", ioCapacityPagesPerSecond, 100, 1_000_000);
        InvalidSettingException.requireRange("ioCapacityMaxPagesPerSecond", ioCapacityMaxPagesPerSecond,
                ioCapacityPagesPerSecond, 2_000_000);
        InvalidSettingException.requireRange("watchdogThresholdMillis", watchdogThresholdMillis, 100, 3_600_000);
        InvalidSettingException.requireRange("bufferPoolInstances", bufferPoolInstances, 0, MAX_INSTANCES);
        InvalidSettingException.requireRange("pageCleanerThreads", pageCleanerThreads, 1, MAX_INSTANCES);
    }

    /** The settings before instances and cleaner threads were settings: both at their defaults. */
    public EngineConfig(Path home, int pageSizeBytes, long bufferPoolSizeBytes, long redoCapacityBytes,
            CommitDurability commitDurability, DoublewriteMode doublewrite, long cleanerIntervalMillis,
            long ioCapacityPagesPerSecond, long ioCapacityMaxPagesPerSecond, long watchdogThresholdMillis) {
        this(home, pageSizeBytes, bufferPoolSizeBytes, redoCapacityBytes, commitDurability, doublewrite,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis, 0,
                DEFAULT_PAGE_CLEANER_THREADS);
    }

    /** Production-sane defaults for a home. */
    public static EngineConfig defaults(Path home) {
        return new EngineConfig(home, 0, 128L << 20, 100L << 20, CommitDurability.SYNC_ON_COMMIT, DoublewriteMode.AUTO,
                1000, 200, 2000, 5000);
    }

    /** This config with another buffer pool size. */
    public EngineConfig withBufferPoolSizeBytes(long sizeBytes) {
        return new EngineConfig(home, pageSizeBytes, sizeBytes, redoCapacityBytes, commitDurability, doublewrite,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                bufferPoolInstances, pageCleanerThreads);
    }

    /** This config with another redo capacity. */
    public EngineConfig withRedoCapacityBytes(long capacityBytes) {
        return new EngineConfig(home, pageSizeBytes, bufferPoolSizeBytes, capacityBytes, commitDurability, doublewrite,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                bufferPoolInstances, pageCleanerThreads);
    }

    /** This config with another doublewrite mode. */
    public EngineConfig withDoublewrite(DoublewriteMode mode) {
        return new EngineConfig(home, pageSizeBytes, bufferPoolSizeBytes, redoCapacityBytes, commitDurability, mode,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                bufferPoolInstances, pageCleanerThreads);
    }

    /** This config with another default commit durability. */
    public EngineConfig withCommitDurability(CommitDurability durability) {
        return new EngineConfig(home, pageSizeBytes, bufferPoolSizeBytes, redoCapacityBytes, durability, doublewrite,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                bufferPoolInstances, pageCleanerThreads);
    }

    /** This config with another page cleaner interval. */
    public EngineConfig withCleanerIntervalMillis(long intervalMillis) {
        return new EngineConfig(home, pageSizeBytes, bufferPoolSizeBytes, redoCapacityBytes, commitDurability, doublewrite,
                intervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                bufferPoolInstances, pageCleanerThreads);
    }

    /** This config with another buffer pool instance count (0: InnoDB's rule). */
    public EngineConfig withBufferPoolInstances(int instances) {
        return new EngineConfig(home, pageSizeBytes, bufferPoolSizeBytes, redoCapacityBytes, commitDurability, doublewrite,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                instances, pageCleanerThreads);
    }

    /** This config with another number of page cleaner threads. */
    public EngineConfig withPageCleanerThreads(int threads) {
        return new EngineConfig(home, pageSizeBytes, bufferPoolSizeBytes, redoCapacityBytes, commitDurability, doublewrite,
                cleanerIntervalMillis, ioCapacityPagesPerSecond, ioCapacityMaxPagesPerSecond, watchdogThresholdMillis,
                bufferPoolInstances, threads);
    }
}
