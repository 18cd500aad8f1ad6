package io.cairn.io;

import io.cairn.config.InvalidSettingException;
import java.util.function.Supplier;

/**
 * The base of backend components whose settings change while they run: each configuration builds
 * a new backend, which replaces the old one for operations started afterwards (open files keep the
 * backend that opened them).
 *
 * <p>A configuration that cannot be used is reported as one line, in the log and in
 * {@link #describe()}, instead of a failed activation with a stack trace: a bad first configuration
 * leaves an {@link UnusableStorageBackend} that refuses all I/O with the reason; a bad update keeps
 * the settings that worked.
 */
public abstract class ReconfigurableStorageBackend extends FilterStorageBackend {

    private static final System.Logger LOG = System.getLogger("io.cairn.io");

    private volatile StorageBackend delegate;
    private volatile String rejectedConfiguration;

    /**
     * Applies a configuration.
     *
     * @param name the backend's name, for the unusable stand-in
     * @param configurationPid where the settings come from, for the message
     * @param factory builds the backend from the settings, throwing {@link InvalidSettingException}
     *     for a bad value
     */
    protected final void reconfigure(String name, String configurationPid, Supplier<StorageBackend> factory) {
        try {
            delegate = factory.get();
            rejectedConfiguration = null;
        } catch (InvalidSettingException e) {
            StorageBackend previous = delegate;
            boolean keep = previous != null && !(previous instanceof UnusableStorageBackend);
            rejectedConfiguration = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "configuration " + configurationPid + ": " + e.getMessage()
                    + (keep ? "; keeping the previous settings" : "; the backend refuses all I/O until this is fixed"));
            if (!keep) {
                delegate = new UnusableStorageBackend(name, e.getMessage());
            }
        }
    }

    @Override
    protected final StorageBackend delegate() {
        return delegate;
    }

    /** The message of the latest rejected configuration, or null when the latest one was applied. */
    public final String rejectedConfiguration() {
        return rejectedConfiguration;
    }

    @Override
    public String describe() {
        String rejected = rejectedConfiguration;
        return super.describe() + (rejected == null ? "" : " [rejected configuration: " + rejected + "]");
    }
}
