package io.cairn.itest;

import static org.junit.Assert.fail;

import io.cairn.kv.KeyValueStore;
import io.cairn.kv.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The look-ups and waits of a test running inside the framework, each bounded by one timeout and
 * failing with what it waited for. Services are held through trackers until {@link #close()}: a
 * delayed component such as the key-value store is deactivated (its store closed) once nobody
 * uses it.
 */
final class InFramework implements AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BundleContext context;
    private final Duration timeout;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    InFramework(BundleContext context, Duration timeout) {
        this.context = context;
        this.timeout = timeout;
    }

    /** The installed bundle of that symbolic name. */
    Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    void awaitCondition(String what, BooleanSupplier condition) {
        awaitCondition(what, condition, () -> "");
    }

    /** Waits for {@code condition}; on timeout fails naming {@code what} and the {@code state} then. */
    void awaitCondition(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String now = state.get();
                fail(what + " (waited " + timeout.toSeconds() + " s)" + (now.isEmpty() ? "" : ": " + now));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The table once the store lists it (after a restart the store may come up before its tables). */
    Table awaitTable(KeyValueStore store, String name, String when) {
        awaitCondition(when + ": table " + name + " comes back", () -> store.tableNames().contains(name),
                () -> "tables " + store.tableNames());
        return store.table(name);
    }

    /** A service of that type, held until {@link #close()}. */
    <T> T awaitService(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        trackers.add(tracker);
        T service = tracker.waitForService(timeout.toMillis());
        if (service == null) {
            fail("no " + type.getSimpleName() + " service within " + timeout.toSeconds() + " s");
        }
        return service;
    }

    /** The reference of a service of that type, once there is one. */
    <T> ServiceReference<T> awaitReference(Class<T> type) throws InterruptedException {
        awaitService(type);
        return context.getServiceReference(type);
    }

    /** Keeps {@code tracker} open until {@link #close()}. */
    void hold(ServiceTracker<?, ?> tracker) {
        trackers.add(tracker);
    }

    @Override
    public void close() {
        trackers.forEach(ServiceTracker::close);
    }
}
