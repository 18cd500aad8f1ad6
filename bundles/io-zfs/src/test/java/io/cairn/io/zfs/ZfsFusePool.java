package io.cairn.io.zfs;

import io.cairn.io.zfs.internal.SystemZfsEnvironment;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZFS for tests: a zfs-fuse daemon started as a child process, a pool on a sparse file in a
 * temporary directory, mounted below a mount point whose name contains a space, with two datasets:
 * {@code POOL/data} ({@code recordsize=16K}) and {@code POOL/small} ({@code recordsize=8K}).
 * Register it as a static extension; everything is torn down after the class, also when tests or
 * the set-up fail: the pool destroyed, the daemon stopped through its process handle, the files
 * deleted.
 *
 * <p>Needs root, {@code /dev/fuse} and the {@code zfs-fuse} package ({@code zfs-fuse}, {@code zpool},
 * {@code zfs}). Where one is missing, or a zfs-fuse daemon is already running (it is never touched),
 * every test of the class is skipped saying why (per test, so the reason shows in the test
 * reports); {@code -Dcairn.testkit.requireRealFileSystems=true} turns the skip into a failure, as
 * for {@link io.cairn.testkit.MountedFileSystem}.
 */
final class ZfsFusePool implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private static final long COMMAND_TIMEOUT_MILLIS = 120_000;
    private static final long READY_DEADLINE_MILLIS = 60_000;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final long IMAGE_SIZE_BYTES = 256L << 20;

    private final SystemZfsEnvironment system = new SystemZfsEnvironment();
    private Path work;
    private Path mountRoot;
    private Process daemon;
    private String pool;
    private boolean poolCreated;
    private boolean ready;
    private String skipReason;

    /** The mount point of {@code POOL/data}. */
    Path dataMountPoint() {
        requireReady();
        return mountRoot.resolve("data");
    }

    /** The mount point of {@code POOL/small}. */
    Path smallMountPoint() {
        requireReady();
        return mountRoot.resolve("small");
    }

    /** The pool's name, unique per run. */
    String pool() {
        requireReady();
        return pool;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String missing = missingPrerequisite();
        if (missing != null) {
            String message = "skipping " + context.getDisplayName() + " on zfs-fuse: " + missing;
            if (Boolean.getBoolean("cairn.testkit.requireRealFileSystems")) {
                throw new IllegalStateException(message + " (cairn.testkit.requireRealFileSystems is set)");
            }
            skipReason = message;
            return;
        }
        try {
            start();
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

    private void start() throws Exception {
        work = Files.createTempDirectory("cairn-zfs-fuse-").toRealPath();
        mountRoot = work.resolve("mnt dir");
        Path log = work.resolve("zfs-fuse.log");
        daemon = new ProcessBuilder(executable("zfs-fuse").toString(), "--no-daemon", "--no-kstat-mount")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        awaitDaemon(log);

        Path image = work.resolve("pool.img");
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(1), IMAGE_SIZE_BYTES - 1); // sparse
        }
        pool = "cairnkit" + ProcessHandle.current().pid() + "x" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run("zpool", "create", "-m", mountRoot.toString(), pool, image.toString());
        poolCreated = true;
        run("zfs", "create", "-o", "recordsize=16K", pool + "/data");
        run("zfs", "create", "-o", "recordsize=8K", pool + "/small");
        ready = true;
    }

    /** Polls {@code zpool list} until the daemon answers, the daemon dies, or the deadline passes. */
    private void awaitDaemon(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_DEADLINE_MILLIS);
        while (true) {
            CommandResult list = command("zpool", "list");
            if (list.succeeded()) {
                return;
            }
            // Waiting on the daemon itself both paces the polling and notices its death at once.
            if (daemon.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new IOException("zfs-fuse exited with status " + daemon.exitValue() + " before it answered: "
                        + Files.readString(log).trim());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("zfs-fuse did not answer 'zpool list' within " + READY_DEADLINE_MILLIS
                        + " ms; last answer: " + list.firstErrorLine() + "; log: " + Files.readString(log).trim());
            }
        }
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
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                if (!daemon.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    failures.add(new IOException("zfs-fuse (pid " + daemon.pid() + ") did not stop"));
                }
            }
            daemon = null;
        }
        // A daemon that died hard leaves its FUSE mounts behind; detach them so the files can go.
        if (mountRoot != null) {
            for (Path mountPoint : mountsBelow(mountRoot)) {
                CommandResult umount = command("umount", "-l", mountPoint.toString());
                if (!umount.succeeded()) {
                    failures.add(new IOException("umount -l " + mountPoint + " failed: " + umount.firstErrorLine()));
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_DEADLINE_MILLIS);
        while (true) {
            CommandResult destroy = command("zpool", "destroy", "-f", pool);
            if (destroy.succeeded()) {
                return;
            }
            boolean busy = destroy.stderr().contains("busy");
            if (!busy || System.nanoTime() - deadline > 0 || daemon == null
                    || daemon.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new IOException("zpool destroy -f " + pool + " failed: " + destroy.firstErrorLine()
                        + "; files of this JVM open below the mount point: " + openFilesBelow(mountRoot));
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

    private List<Path> mountsBelow(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String line : system.mountInfo()) {
            MountTable.parse(line).map(MountTable.Mount::mountPoint).filter(p -> p.startsWith(root)).ifPresent(found::add);
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    private String missingPrerequisite() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "running a zfs-fuse daemon needs root, running as " + System.getProperty("user.name");
        }
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return "no /dev/fuse (FUSE unavailable)";
        }
        for (String tool : List.of("zfs-fuse", "zpool", "zfs")) {
            if (executableOrNull(tool) == null) {
                return tool + " is not installed (Debian package zfs-fuse)";
            }
        }
        Optional<ProcessHandle> running = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("zfs-fuse")).orElse(false))
                .findFirst();
        if (running.isPresent()) {
            return "a zfs-fuse daemon is already running (pid " + running.get().pid() + "); it is left alone";
        }
        if (command("zpool", "list").succeeded()) {
            return "a ZFS daemon already answers 'zpool list'; it is left alone";
        }
        return null;
    }

    private void run(String... command) throws IOException {
        CommandResult result = command(command);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " failed (" + result.status() + ", exit " + result.exitCode()
                    + "): " + result.firstErrorLine() + " " + result.stdout().trim());
        }
    }

    private CommandResult command(String... command) throws IOException {
        List<String> resolved = new ArrayList<>(List.of(command));
        Path exe = executableOrNull(command[0]);
        if (exe != null) {
            resolved.set(0, exe.toString());
        }
        return system.run(resolved, COMMAND_TIMEOUT_MILLIS);
    }

    private static Path executable(String name) throws IOException {
        Path exe = executableOrNull(name);
        if (exe == null) {
            throw new IOException(name + " not found");
        }
        return exe;
    }

    private static Path executableOrNull(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private void requireReady() {
        if (!ready) {
            throw new IllegalStateException("the zfs-fuse pool is not ready");
        }
    }
}
