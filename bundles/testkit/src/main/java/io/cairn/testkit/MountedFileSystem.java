package io.cairn.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real file system on a loop-mounted image file, for running a kit on ext4, xfs or btrfs
 * whatever the machine's own disk is, or a memory file system ({@code ramfs}, {@code tmpfs})
 * mounted without an image, for the behaviour of file systems that have no block device (ramfs,
 * for one, refuses {@code O_DIRECT}). Register it as a static extension; it mounts before the
 * class's tests and unmounts and deletes everything after them, also when tests fail:
 *
 * <pre>{@code
 * class BufferedOnXfsTest extends BaseStorageBackendTestCase {
 *     @RegisterExtension
 *     static final MountedFileSystem XFS = MountedFileSystem.of("xfs");
 *
 *     protected Path baseDirectory() { return XFS.mountPoint(); }
 *     protected StorageBackend newBackend(Path root) { return new MyBackend(); }
 * }
 * }</pre>
 *
 * <p>It needs root (for {@code mount}) and the file system's {@code mkfs.<type>} (a memory file
 * system: the kernel's support, listed in {@code /proc/filesystems}). Where either is missing,
 * the class is skipped with a message saying exactly what is missing, never failed.
 * Set {@code -Dcairn.testkit.requireRealFileSystems=true} (CI does) to turn those skips into
 * failures, so a CI machine that lost a tool cannot pass silently.
 */
public final class MountedFileSystem implements BeforeAllCallback, AfterAllCallback {

    /** Image size: above the minimum of every supported mkfs (xfs needs 300 MiB). */
    private static final long IMAGE_SIZE_BYTES = 512L << 20;
    private static final long COMMAND_TIMEOUT_MILLIS = 120_000;
    private static final List<String> MEMORY_TYPES = List.of("ramfs", "tmpfs");

    private final String type;
    private Path workDirectory;
    private Path mountPoint;
    private boolean mounted;

    private MountedFileSystem(String type) {
        this.type = type;
    }

    /**
     * A file system of {@code type}: {@code ext4}, {@code xfs} or {@code btrfs} on an image, or
     * {@code ramfs} or {@code tmpfs} in memory.
     */
    public static MountedFileSystem of(String type) {
        return new MountedFileSystem(type);
    }

    /** The mounted file system's root directory; valid between beforeAll and afterAll. */
    public Path mountPoint() {
        if (!mounted) {
            throw new IllegalStateException(type + " is not mounted");
        }
        return mountPoint;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String missing = missingPrerequisite();
        if (missing != null) {
            String message = "skipping " + context.getDisplayName() + " on " + type + ": " + missing;
            if (Boolean.getBoolean("cairn.testkit.requireRealFileSystems")) {
                throw new IllegalStateException(message + " (cairn.testkit.requireRealFileSystems is set)");
            }
            Assumptions.abort(message);
        }
        workDirectory = Files.createTempDirectory("cairn-" + type + "-");
        mountPoint = Files.createDirectory(workDirectory.resolve("mnt"));
        if (MEMORY_TYPES.contains(type)) {
            run(List.of("mount", "-t", type, "cairn-" + type, mountPoint.toString()));
            mounted = true;
            return;
        }
        Path image = workDirectory.resolve(type + ".img");
        try (var channel = java.nio.channels.FileChannel.open(image,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.allocate(1), IMAGE_SIZE_BYTES - 1); // sparse image
        }
        run(mkfsCommand(image));
        run(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()));
        mounted = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (mounted) {
                try {
                    run(List.of("umount", mountPoint.toString()));
                } catch (IOException busy) {
                    // A leaked handle must not leave a mount behind: detach lazily, then report.
                    run(List.of("umount", "-l", mountPoint.toString()));
                    throw busy;
                }
                mounted = false;
            }
        } finally {
            TestFiles.deleteRecursively(workDirectory);
        }
    }

    private String missingPrerequisite() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "mounting " + type + " needs root, running as " + System.getProperty("user.name");
        }
        if (MEMORY_TYPES.contains(type)) {
            // Lines read "nodev<TAB>ramfs": the type is the last field.
            boolean known = Files.readAllLines(Path.of("/proc/filesystems")).stream()
                    .map(line -> line.trim().split("\\s+")).anyMatch(fields -> fields[fields.length - 1].equals(type));
            return known ? null : "the kernel does not list " + type + " in /proc/filesystems";
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "no /dev/loop-control (loop devices unavailable)";
        }
        String mkfs = "mkfs." + type;
        if (Commands.findOnPath(mkfs) == null) {
            return mkfs + " is not installed (Debian package " + packageFor(type) + ")";
        }
        return null;
    }

    private List<String> mkfsCommand(Path image) {
        List<String> command = new ArrayList<>();
        command.add("mkfs." + type);
        switch (type.toLowerCase(Locale.ROOT)) {
            case "ext4" -> command.addAll(List.of("-q", "-F"));
            case "xfs" -> command.addAll(List.of("-q", "-f"));
            case "btrfs" -> command.addAll(List.of("-q", "-f"));
            default -> throw new IllegalArgumentException("unsupported file system type " + type);
        }
        command.add(image.toString());
        return command;
    }

    private static String packageFor(String type) {
        return switch (type) {
            case "xfs" -> "xfsprogs";
            case "btrfs" -> "btrfs-progs";
            case "ext4" -> "e2fsprogs";
            default -> throw new IllegalArgumentException("unsupported file system type " + type
                    + " (supported: ext4, xfs, btrfs, ramfs, tmpfs)");
        };
    }

    /** Runs a command, failing with its output if it fails or overruns the timeout. */
    static String run(List<String> command) throws IOException, InterruptedException {
        return Commands.runOrFail(command, COMMAND_TIMEOUT_MILLIS);
    }
}
