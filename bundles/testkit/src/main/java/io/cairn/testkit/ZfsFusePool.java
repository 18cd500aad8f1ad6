package io.cairn.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZFS for tests: a pool on a sparse file, served by zfs-fuse, mounted below a directory
 * whose name contains a space, with the datasets a test class asks for. Register it as a static
 * extension; it creates the pool before the class's tests and destroys it and deletes its files
 * after them, also when tests or the set-up fail:
 *
 * <pre>{@code
 * class BufferedOnZfsFuseTest extends BaseStorageBackendTestCase {
 *     @RegisterExtension
 *     static final ZfsFusePool ZFS = ZfsFusePool.create().withDataset("data", "recordsize=16K");
 *
 *     protected Path baseDirectory() { return ZFS.mountPoint("data"); }
 *     protected StorageBackend newBackend(Path root) { return new MyBackend(); }
 * }
 * }</pre>
 *
 * <p>All pools of a test run share one zfs-fuse daemon, started by the first and stopped when the
 * run ends; pool names are unique per class and per JVM, and the pools are kept out of the
 * daemon's cache file ({@code cachefile=none}), so a killed run leaves no pool to be imported the
 * next time. JVMs that run at the same time take turns (zfs-fuse can serve only one daemon per
 * machine).
 *
 * <p>Needs root, {@code /dev/fuse} and the {@code zfs-fuse} package ({@code zfs-fuse},
 * {@code zpool}, {@code zfs}). Where one is missing, or a zfs-fuse daemon that this run did not
 * start is running (it is never touched), every test of the class is skipped saying why (per test,
 * so that the reason shows in the test reports); {@code -Dcairn.testkit.requireRealFileSystems=true}
 * (CI sets it) turns the skip into a failure, as for {@link MountedFileSystem}.
 */
public final class ZfsFusePool implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final long IMAGE_SIZE_BYTES = 256L << 20;
    private static final long BUSY_DEADLINE_MILLIS = 60_000;
    private static final long POLL_MILLIS = 100;
    private static final AtomicInteger POOLS_OF_THIS_JVM = new AtomicInteger();

    private final Map<String, List<String>> datasets;
    private ZfsFuseDaemon daemon;
    private Path work;
    private Path mountRoot;
    private String pool;
    private boolean poolCreated;
    private boolean ready;
    private String skipReason;

    private ZfsFusePool(Map<String, List<String>> datasets) {
        this.datasets = datasets;
    }

    /** A pool with only its root dataset, mounted at {@link #mountPoint()}. */
    public static ZfsFusePool create() {
        return new ZfsFusePool(new LinkedHashMap<>());
    }

    /**
     * This pool with one more dataset {@code POOL/name}, created with the given properties (each
     * {@code key=value}, as for {@code zfs create -o}) and mounted at {@link #mountPoint(String)}.
     */
    public ZfsFusePool withDataset(String name, String... properties) {
        if (name.isEmpty() || name.contains("/") || name.contains(" ")) {
            throw new IllegalArgumentException("dataset name must be one plain component: '" + name + "'");
        }
        Map<String, List<String>> more = new LinkedHashMap<>(datasets);
        more.put(name, List.of(properties));
        return new ZfsFusePool(more);
    }

    /** The pool's name, unique per class and run. */
    public String pool() {
        requireReady();
        return pool;
    }

    /** The full name of a dataset given to {@link #withDataset}: {@code POOL/name}. */
    public String dataset(String name) {
        requireDataset(name);
        return pool() + "/" + name;
    }

    /** The mount point of the pool's root dataset. */
    public Path mountPoint() {
        requireReady();
        return mountRoot;
    }

    /** The mount point of a dataset given to {@link #withDataset}. */
    public Path mountPoint(String name) {
        requireDataset(name);
        return mountPoint().resolve(name);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        daemon = ZfsFuseDaemon.of(context);
        String unavailable = daemon.start();
        if (unavailable != null) {
            String message = "skipping " + context.getDisplayName() + " on zfs-fuse: " + unavailable;
            if (Boolean.getBoolean("cairn.testkit.requireRealFileSystems")) {
                throw new IllegalStateException(message + " (cairn.testkit.requireRealFileSystems is set)");
            }
            skipReason = message;
            return;
        }
        try {
            createPool();
        } catch (Exception | Error e) {
            try {
                tearDown();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (skipReason != null) {
            Assumptions.abort(skipReason);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        tearDown();
    }

    private void createPool() throws Exception {
        work = Files.createTempDirectory("cairn-zfs-fuse-").toRealPath();
        mountRoot = work.resolve("mnt dir");
        Path image = work.resolve("pool.img");
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1), IMAGE_SIZE_BYTES - 1); // sparse
        }
        // The random part keeps a name apart from pools of an earlier JVM that had the same pid.
        pool = "cairnkit" + ProcessHandle.current().pid() + "x" + POOLS_OF_THIS_JVM.incrementAndGet() + "x"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        daemon.mountedAt(mountRoot);
        run("zpool", "create", "-o", "cachefile=none", "-m", mountRoot.toString(), pool, image.toString());
        poolCreated = true;
        for (Map.Entry<String, List<String>> dataset : datasets.entrySet()) {
            List<String> command = new ArrayList<>(List.of("zfs", "create"));
            for (String property : dataset.getValue()) {
                command.add("-o");
                command.add(property);
            }
            command.add(pool + "/" + dataset.getKey());
            run(command.toArray(String[]::new));
        }
        ready = true;
    }

    private void tearDown() throws Exception {
        ready = false;
        List<Exception> failures = new ArrayList<>();
        if (poolCreated) {
            try {
                destroyPool();
                poolCreated = false;
            } catch (IOException e) {
                failures.add(e);
            }
        }
        // Mounts are left when the pool could not be destroyed or the daemon died; the files below
        // them cannot go while they are there.
        if (mountRoot != null) {
            for (Path mountPoint : ZfsFuseDaemon.mountsBelow(mountRoot)) {
                Commands.Result umount = Commands.run(List.of("umount", "-l", mountPoint.toString()),
                        ZfsFuseDaemon.COMMAND_TIMEOUT_MILLIS);
                if (!umount.succeeded()) {
                    failures.add(new IOException("umount -l " + mountPoint + " failed: " + umount.firstLine()));
                }
            }
        }
        try {
            TestFiles.deleteRecursively(work);
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * {@code zpool destroy}, repeated while the pool is busy: FUSE delivers the release of a closed
     * file to the daemon asynchronously, so files the tests just closed may still count as open.
     */
    private void destroyPool() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_DEADLINE_MILLIS);
        while (true) {
            Commands.Result destroy = daemon.command("zpool", "destroy", "-f", pool);
            if (destroy.succeeded()) {
                return;
            }
            boolean busy = destroy.output().contains("busy");
            // Waiting on the daemon paces the retries and notices its death at once.
            if (!busy || System.nanoTime() - deadline > 0 || daemon.awaitExit(POLL_MILLIS)) {
                throw new IOException("zpool destroy -f " + pool + " failed: " + destroy.firstLine()
                        + "; files of this JVM open below the mount point: " + openFilesBelow(mountRoot)
                        + (daemon.awaitExit(0) ? "; zfs-fuse has exited: " + daemon.logText() : ""));
            }
        }
    }

    /** This JVM's open descriptors that point below {@code root}, for failure messages. */
    private static List<String> openFilesBelow(Path root) {
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) {
                        open.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            });
        } catch (IOException e) {
            open.add("(cannot list /proc/self/fd: " + e.getMessage() + ")");
        }
        return open;
    }

    private void run(String... command) throws IOException, InterruptedException {
        Commands.Result result = daemon.command(command);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " failed with exit status " + result.exitCode() + ": "
                    + result.output().trim());
        }
    }

    private void requireDataset(String name) {
        if (!datasets.containsKey(name)) {
            throw new IllegalArgumentException("no dataset '" + name + "' was asked for; datasets: " + datasets.keySet());
        }
    }

    private void requireReady() {
        if (!ready) {
            throw new IllegalStateException("the zfs-fuse pool is not ready");
        }
    }
}
