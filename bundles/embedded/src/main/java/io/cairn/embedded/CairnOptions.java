package io.cairn.embedded;

import io.cairn.config.InvalidSettingException;
import io.cairn.engine.core.DoublewriteMode;
import io.cairn.redo.CommitDurability;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Cairn#open} assembles a store. Parts are chosen by the names their bundles register
 * under in Felix: backends {@code buffered}, {@code direct} (O_DIRECT) and {@code zfs}; flush
 * policies {@code adaptive}, {@code fixed} and {@code safe} (the engine's built-in one). Immutable;
 * each {@code with...} returns a copy.
 */
public final class CairnOptions {

    /** Backend names {@link Cairn} knows. */
    public static final List<String> BACKENDS = List.of("buffered", "direct", "zfs");
    /** Flush policy names {@link Cairn} knows. */
    public static final List<String> POLICIES = List.of("adaptive", "fixed", "safe");

    private long bufferPoolSizeBytes = 128L << 20;
    private long redoCapacityBytes = 100L << 20;
    private int pageSizeBytes;
    private CommitDurability durability = CommitDurability.SYNC_ON_COMMIT;
    private DoublewriteMode doublewrite = DoublewriteMode.AUTO;
    private String dataBackend = "buffered";
    private String redoBackend = "buffered";
    private String flushPolicy = "adaptive";

    private CairnOptions() {
    }

    /** The server's defaults: 128 MiB pool, 100 MiB redo, durability 1, buffered I/O, adaptive flushing. */
    public static CairnOptions defaults() {
        return new CairnOptions();
    }

    private CairnOptions copy() {
        CairnOptions c = new CairnOptions();
        c.bufferPoolSizeBytes = bufferPoolSizeBytes;
        c.redoCapacityBytes = redoCapacityBytes;
        c.pageSizeBytes = pageSizeBytes;
        c.durability = durability;
        c.doublewrite = doublewrite;
        c.dataBackend = dataBackend;
        c.redoBackend = redoBackend;
        c.flushPolicy = flushPolicy;
        return c;
    }

    public CairnOptions withBufferPoolSizeBytes(long sizeBytes) {
        InvalidSettingException.requireRange("bufferPoolSizeBytes", sizeBytes, 1L << 20, Long.MAX_VALUE);
        CairnOptions c = copy();
        c.bufferPoolSizeBytes = sizeBytes;
        return c;
    }

    public CairnOptions withRedoCapacityBytes(long capacityBytes) {
        InvalidSettingException.requireRange("redoCapacityBytes", capacityBytes, 1L << 20, 1L << 40);
        CairnOptions c = copy();
        c.redoCapacityBytes = capacityBytes;
        return c;
    }

    /** Page size of a new home: 4096 to 65536, a power of two; 0 keeps the home's own (16 KiB when new). */
    public CairnOptions withPageSizeBytes(int sizeBytes) {
        if (sizeBytes != 0 && (sizeBytes < 4096 || sizeBytes > 65536 || Integer.bitCount(sizeBytes) != 1)) {
            throw new InvalidSettingException("pageSizeBytes", sizeBytes, "0, 4096, 8192, 16384, 32768 or 65536");
        }
        CairnOptions c = copy();
        c.pageSizeBytes = sizeBytes;
        return c;
    }

    public CairnOptions withDurability(CommitDurability commitDurability) {
        CairnOptions c = copy();
        c.durability = Objects.requireNonNull(commitDurability, "commitDurability");
        return c;
    }

    public CairnOptions withDoublewrite(DoublewriteMode mode) {
        CairnOptions c = copy();
        c.doublewrite = Objects.requireNonNull(mode, "doublewrite");
        return c;
    }

    /** The backend of data files and of redo files, by name. */
    public CairnOptions withBackends(String dataBackendName, String redoBackendName) {
        requireName("dataBackend", dataBackendName, BACKENDS);
        requireName("redoBackend", redoBackendName, BACKENDS);
        CairnOptions c = copy();
        c.dataBackend = dataBackendName;
        c.redoBackend = redoBackendName;
        return c;
    }

    public CairnOptions withFlushPolicy(String policyName) {
        requireName("flushPolicy", policyName, POLICIES);
        CairnOptions c = copy();
        c.flushPolicy = policyName;
        return c;
    }

    private static void requireName(String setting, String name, List<String> allowed) {
        if (name == null || !allowed.contains(name)) {
            throw new InvalidSettingException(setting, name, "one of " + allowed);
        }
    }

    long bufferPoolSizeBytes() {
        return bufferPoolSizeBytes;
    }

    long redoCapacityBytes() {
        return redoCapacityBytes;
    }

    int pageSizeBytes() {
        return pageSizeBytes;
    }

    CommitDurability durability() {
        return durability;
    }

    DoublewriteMode doublewrite() {
        return doublewrite;
    }

    String dataBackend() {
        return dataBackend;
    }

    String redoBackend() {
        return redoBackend;
    }

    String flushPolicy() {
        return flushPolicy;
    }

    @Override
    public String toString() {
        return "CairnOptions[pool " + (bufferPoolSizeBytes >> 20) + " MiB, redo " + (redoCapacityBytes >> 20) + " MiB, "
                + durability + ", doublewrite " + doublewrite + ", data " + dataBackend + ", redo " + redoBackend
                + ", policy " + flushPolicy + "]";
    }
}
