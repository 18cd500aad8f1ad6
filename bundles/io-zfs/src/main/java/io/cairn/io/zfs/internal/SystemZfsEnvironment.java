package io.cairn.io.zfs.internal;

import com.sun.jna.LastErrorException;
import io.cairn.io.zfs.CommandResult;
import io.cairn.io.zfs.ZfsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@link ZfsEnvironment} of the machine this JVM runs on. The mount table and the module
 * directory can be pointed elsewhere, for tests.
 */
public final class SystemZfsEnvironment implements ZfsEnvironment {

    /** Where sbin tools live when the PATH of a service does not include them. */
    private static final List<String> EXTRA_PATH = List.of("/sbin", "/usr/sbin", "/usr/local/sbin");
    /** How long a destroyed command gets to exit before it is killed. */
    private static final long DESTROY_GRACE_MILLIS = 2_000;

    private final Path mountInfoFile;
    private final Path zfsModuleDirectory;

    /** The real {@code /proc/self/mountinfo} and {@code /sys/module/zfs}. */
    public SystemZfsEnvironment() {
        this(Path.of("/proc/self/mountinfo"), Path.of("/sys/module/zfs"));
    }

    public SystemZfsEnvironment(Path mountInfoFile, Path zfsModuleDirectory) {
        this.mountInfoFile = mountInfoFile;
        this.zfsModuleDirectory = zfsModuleDirectory;
    }

    @Override
    public List<String> mountInfo() throws IOException {
        // Bytes that are not UTF-8 become U+FFFD instead of failing the whole table.
        String text = new String(Files.readAllBytes(mountInfoFile), StandardCharsets.UTF_8);
        return List.of(text.split("\n"));
    }

    @Override
    public OptionalLong statfsMagic(Path path) {
        Path existing = existingAncestor(path);
        if (existing == null) {
            return OptionalLong.empty();
        }
        try {
            byte[] buffer = new byte[NativeFs.STATFS_SIZE_BYTES];
            NativeFs.statfs(existing.toString(), buffer);
            return OptionalLong.of(ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder()).getLong(NativeFs.STATFS_TYPE_OFFSET));
        } catch (LastErrorException | LinkageError e) {
            // No JNA or no libc binding: the mount table alone decides.
            return OptionalLong.empty();
        }
    }

    @Override
    public OptionalLong fileSystemBlockSizeBytes(Path path) {
        Path existing = existingAncestor(path);
        if (existing == null) {
            return OptionalLong.empty();
        }
        try {
            long blockSize = Files.getFileStore(existing).getBlockSize();
            return blockSize > 0 ? OptionalLong.of(blockSize) : OptionalLong.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Optional<FileBlocks> fileBlocks(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] buffer = new byte[NativeFs.STATX_SIZE_BYTES];
            NativeFs.statx(NativeFs.AT_FDCWD, file.toString(), 0, NativeFs.STATX_BASIC_STATS, buffer);
            ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
            long blockSize = Integer.toUnsignedLong(view.getInt(NativeFs.STATX_BLKSIZE_OFFSET));
            return Optional.of(new FileBlocks(blockSize, view.getLong(NativeFs.STATX_SIZE_OFFSET)));
        } catch (LastErrorException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> zfsModuleFile(String relativePath) {
        try {
            return Optional.of(Files.readString(zfsModuleDirectory.resolve(relativePath)).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public CommandResult run(List<String> command, long timeoutMillis) {
        Path executable = findExecutable(command.get(0));
        if (executable == null) {
            return CommandResult.notFound(command.get(0) + " not found on the PATH or in " + String.join(", ", EXTRA_PATH));
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, executable.toString());
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            // Output goes to files, not pipes: a reader blocked on a pipe could outlive the timeout.
            stdout = Files.createTempFile("cairn-zfs-", ".out");
            stderr = Files.createTempFile("cairn-zfs-", ".err");
            ProcessBuilder builder = new ProcessBuilder(resolved)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // Error texts are matched ("invalid property"), so they must not be translated.
            builder.environment().put("LC_ALL", "C");
            process = builder.start();
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                stop(process);
                return CommandResult.timedOut(String.join(" ", command) + " did not finish within " + timeoutMillis
                        + " ms and was destroyed");
            }
            return CommandResult.exited(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandResult.failed(String.join(" ", command) + " was interrupted");
        } catch (IOException e) {
            return CommandResult.failed(String.join(" ", command) + ": " + e.getMessage());
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** SIGTERM, a grace period, then SIGKILL; reaps the process either way. */
    private static void stop(Process process) {
        process.destroy();
        boolean interrupted = false;
        try {
            if (!process.waitFor(DESTROY_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(DESTROY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path findExecutable(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? p : null;
        }
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(EXTRA_PATH);
        for (String directory : directories) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Path existingAncestor(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }
}
