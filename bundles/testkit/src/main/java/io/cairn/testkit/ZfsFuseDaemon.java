package io.cairn.testkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The zfs-fuse daemon that the {@link ZfsFusePool}s of one test run share. zfs-fuse serves the
 * whole machine through one socket, so there can be only one: the first pool starts it, every pool
 * adds its own uniquely named pool to it, and JUnit closes it when the run ends (it lives in the
 * root context's store), also after failures.
 *
 * <p>Test JVMs that run at the same time (a parallel reactor build, two builds of two work trees)
 * take turns through an exclusive lock on {@link #LOCK_FILE}, held from the start of the daemon to
 * its stop. A JVM waits up to {@link #LOCK_WAIT_MILLIS} for the other one to finish. A daemon that
 * this JVM did not start is never touched.
 */
final class ZfsFuseDaemon implements ExtensionContext.Store.CloseableResource {

    static final Path LOCK_FILE = (Files.isDirectory(Path.of("/run/lock")) ? Path.of("/run/lock") : Path.of("/tmp"))
            .resolve("cairn-zfs-fuse.lock");
    static final long LOCK_WAIT_MILLIS = 15 * 60_000;
    static final long COMMAND_TIMEOUT_MILLIS = 120_000;
    private static final long READY_DEADLINE_MILLIS = 60_000;
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 100;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ZfsFuseDaemon.class);
    private static final System.Logger LOG = System.getLogger(ZfsFuseDaemon.class.getName());

    private enum State { NEW, RUNNING, UNAVAILABLE, FAILED, CLOSED }

    private State state = State.NEW;
    private String unavailableReason;
    private Exception startFailure;
    private FileChannel lockChannel;
    /** What the lock file said when this JVM got the lock: names a daemon that a killed JVM left. */
    private String previousHolder = "";
    private Path work;
    private Path log;
    private Process process;
    private Thread shutdownHook;
    /** Where pools were mounted: a daemon that dies leaves its FUSE mounts there. */
    private final Set<Path> mountRoots = new LinkedHashSet<>();

    private ZfsFuseDaemon() {
    }

    /** The daemon of the test run that {@code context} belongs to; not started yet on first use. */
    static ZfsFuseDaemon of(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(ZfsFuseDaemon.class, key -> new ZfsFuseDaemon(), ZfsFuseDaemon.class);
    }

    /**
     * Starts the daemon unless it runs already. Returns null when it runs, or why zfs-fuse cannot be
     * used on this machine; throws when it should run but did not start. Every later call gives the
     * same answer.
     */
    synchronized String start() throws Exception {
        switch (state) {
            case RUNNING:
                return null;
            case UNAVAILABLE:
                return unavailableReason;
            case FAILED:
                throw new IOException("the zfs-fuse daemon of this test run failed to start earlier: "
                        + startFailure.getMessage(), startFailure);
            case CLOSED:
                throw new IllegalStateException("the zfs-fuse daemon of this test run is already stopped");
            default:
                break;
        }
        try {
            unavailableReason = missingPrerequisite();
            if (unavailableReason == null) {
                unavailableReason = acquireMachineLock();
            }
            if (unavailableReason == null) {
                unavailableReason = foreignDaemon();
            }
            if (unavailableReason != null) {
                releaseMachineLock();
                state = State.UNAVAILABLE;
                return unavailableReason;
            }
            launch();
            state = State.RUNNING;
            return null;
        } catch (Exception | Error e) {
            state = State.FAILED;
            startFailure = e instanceof Exception ex ? ex : new IOException(e);
            try {
                stop();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Records where a pool is mounted, so that a stop after a crash of the daemon can unmount it. */
    synchronized void mountedAt(Path mountRoot) {
        mountRoots.add(mountRoot);
    }

    /** Runs a zfs-fuse tool ({@code zpool}, {@code zfs}) against this daemon. */
    Commands.Result command(String... command) throws IOException, InterruptedException {
        return Commands.run(List.of(command), COMMAND_TIMEOUT_MILLIS);
    }

    /**
     * Waits up to {@code millis} for the daemon to exit: paces a retry loop and notices a dead
     * daemon at once. True when it is not running.
     */
    boolean awaitExit(long millis) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        return p == null || p.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** The daemon's log, for failure messages. */
    synchronized String logText() {
        try {
            return log == null || !Files.exists(log) ? "(no log)" : Files.readString(log).trim();
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        stop();
    }

    private void launch() throws Exception {
        work = Files.createTempDirectory("cairn-zfs-fuse-daemon-").toRealPath();
        log = work.resolve("zfs-fuse.log");
        Path executable = Commands.findOnPath("zfs-fuse");
        process = new ProcessBuilder(executable.toString(), "--no-daemon", "--no-kstat-mount")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        recordHolder(" daemon=" + process.pid());
        // A JVM that ends without JUnit closing the store (Ctrl-C, a forked-JVM timeout) must not
        // leave the daemon running: it is a child process, which the JVM does not end by itself.
        Process started = process;
        shutdownHook = new Thread(() -> {
            started.destroy();
            try {
                started.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "zfs-fuse stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitAnswer();
    }

    /** Polls {@code zpool list} until the daemon answers, the daemon dies, or the deadline passes. */
    private void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_DEADLINE_MILLIS);
        while (true) {
            Commands.Result list = command("zpool", "list");
            if (list.succeeded()) {
                return;
            }
            if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IOException("zfs-fuse exited with status " + process.exitValue() + " before it answered: "
                        + logText());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("zfs-fuse did not answer 'zpool list' within " + READY_DEADLINE_MILLIS
                        + " ms; last answer: " + list.firstLine() + "; log: " + logText());
            }
        }
    }

    private void stop() throws Exception {
        List<Exception> failures = new ArrayList<>();
        if (process != null) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    failures.add(new IOException("zfs-fuse (pid " + process.pid() + ") did not stop"));
                }
            }
            process = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway, and finds the daemon stopped
            }
            shutdownHook = null;
        }
        // A daemon that was killed, or died, leaves its FUSE mounts behind; detach them so the
        // pools' files can be deleted.
        for (Path root : mountRoots) {
            try {
                for (Path mountPoint : mountsBelow(root)) {
                    Commands.Result umount = Commands.run(List.of("umount", "-l", mountPoint.toString()),
                            COMMAND_TIMEOUT_MILLIS);
                    if (!umount.succeeded()) {
                        failures.add(new IOException("umount -l " + mountPoint + " failed: " + umount.firstLine()));
                    }
                }
            } catch (IOException e) {
                failures.add(e);
            }
        }
        mountRoots.clear();
        try {
            TestFiles.deleteRecursively(work);
        } catch (IOException e) {
            failures.add(e);
        }
        releaseMachineLock();
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Null once this JVM holds the machine-wide lock, else why it could not get it in time. */
    private String acquireMachineLock() throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                channel.close();
                return "another JUnit run in this JVM holds the zfs-fuse daemon (lock " + LOCK_FILE + ")";
            }
            if (lock == null) {
                String holder = holder(channel);
                LOG.log(System.Logger.Level.INFO, "waiting up to " + LOCK_WAIT_MILLIS / 1000
                        + " s for the zfs-fuse daemon of another test JVM (" + holder + ") to stop");
                lock = lockWithin(channel, LOCK_WAIT_MILLIS);
                if (lock == null) {
                    channel.close();
                    return "another test JVM (" + holder + ") kept zfs-fuse for more than " + LOCK_WAIT_MILLIS / 1000
                            + " s (lock " + LOCK_FILE + ")";
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channel.close();
            throw e;
        }
        lockChannel = channel;
        previousHolder = holder(channel);
        recordHolder("");
        return null;
    }

    /**
     * {@link FileChannel#lock()} with a timeout: a helper thread blocks in it, and is interrupted
     * (which closes the channel and so gives the lock up) when the time is over. Null on timeout.
     */
    private static FileLock lockWithin(FileChannel channel, long millis) throws IOException, InterruptedException {
        CompletableFuture<FileLock> result = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                result.complete(channel.lock());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "zfs-fuse lock waiter");
        waiter.setDaemon(true);
        waiter.start();
        try {
            return result.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            waiter.interrupt();
            waiter.join(STOP_TIMEOUT_MILLIS);
            return null;
        } catch (ExecutionException e) {
            throw new IOException("cannot lock " + LOCK_FILE + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            waiter.interrupt();
            throw e;
        }
    }

    /**
     * Writes who holds the lock into the lock file, for the messages of JVMs that wait. Only
     * through the locked channel: closing any other descriptor of the file would give up this
     * JVM's lock (POSIX record locks belong to the process, not to the descriptor).
     */
    private void recordHolder(String daemon) throws IOException {
        String text = "jvm=" + ProcessHandle.current().pid() + daemon + "\n";
        lockChannel.truncate(0);
        lockChannel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    /** The holder that the lock file names, read through {@code channel} (see {@link #recordHolder}). */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private void releaseMachineLock() throws IOException {
        if (lockChannel != null) {
            try {
                lockChannel.truncate(0);
            } finally {
                lockChannel.close(); // closing gives the lock up
                lockChannel = null;
            }
        }
    }

    private static String missingPrerequisite() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "running a zfs-fuse daemon needs root, running as " + System.getProperty("user.name");
        }
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return "no /dev/fuse (FUSE unavailable)";
        }
        for (String tool : List.of("zfs-fuse", "zpool", "zfs")) {
            if (Commands.findOnPath(tool) == null) {
                return tool + " is not installed (Debian package zfs-fuse)";
            }
        }
        return null;
    }

    /** Why a daemon that this JVM did not start is in the way, or null; checked under the lock. */
    private String foreignDaemon() throws IOException, InterruptedException {
        Optional<ProcessHandle> running = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("zfs-fuse"))
                        .orElse(false))
                .findFirst();
        if (running.isPresent()) {
            long pid = running.get().pid();
            return "a zfs-fuse daemon is already running (pid " + pid + ")" + leftBehindBy(pid) + "; it is left alone";
        }
        if (command("zpool", "list").succeeded()) {
            return "a ZFS daemon already answers 'zpool list'; it is left alone";
        }
        return null;
    }

    /** Says which ended test JVM started daemon {@code pid}, when the lock file still names it. */
    private String leftBehindBy(long pid) {
        Matcher holder = Pattern.compile("jvm=(\\d+) daemon=(\\d+)").matcher(previousHolder);
        if (!holder.find() || Long.parseLong(holder.group(2)) != pid) {
            return "";
        }
        long jvm = Long.parseLong(holder.group(1));
        boolean jvmRuns = ProcessHandle.of(jvm).map(ProcessHandle::isAlive).orElse(false);
        return jvmRuns ? ", started by test JVM " + jvm + ", which still runs"
                : ", left behind by test JVM " + jvm + ", which ended without stopping it; stop it with 'kill " + pid
                        + "' and unmount its file systems ('grep fuse.zfs /proc/mounts')";
    }

    /** The mount points at or below {@code root}, deepest first, from this process's mount table. */
    static List<Path> mountsBelow(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                Path mountPoint = Path.of(unescape(fields[4]));
                if (mountPoint.startsWith(root)) {
                    found.add(mountPoint);
                }
            }
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    /** Decodes the kernel's octal escapes in mountinfo paths ({@code \040} for a space). */
    private static String unescape(String field) {
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2]) && isOctal(raw[i + 3])) {
                bytes.write((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
                i += 3;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte c) {
        return c >= '0' && c <= '7';
    }
}
