package io.cairn.launch.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The server's home directory and its fixed layout.
 *
 * <pre>
 * home/
 *   etc/     configuration files (.cfg, .config) watched by FileInstall
 *   deploy/  bundles dropped in at run time, watched by FileInstall
 *   log/     cairn.log
 *   data/    tablespaces
 *   redo/    redo log files
 * </pre>
 *
 * Directories this class creates are private to the user (0700) where the file system has POSIX
 * permissions; directories that already exist are left as they are.
 */
public final class CairnHome {

    /** Property naming the home directory (framework property or system property). */
    public static final String PROPERTY = "cairn.home";

    /** Home directory when {@link #PROPERTY} is not set, relative to the working directory. */
    public static final String DEFAULT = "cairn-home";

    /** Subdirectories created in every home. */
    public static final List<String> SUBDIRECTORIES = List.of("etc", "deploy", "log", "data", "redo");

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    private CairnHome(Path root) {
        this.root = root;
    }

    /**
     * Resolves the configured home against the working directory.
     *
     * @param configured value of {@link #PROPERTY}, or {@code null}/blank for the default
     * @param workingDirectory directory that relative paths are resolved against
     * @return the home (not yet created)
     */
    public static CairnHome resolve(String configured, Path workingDirectory) {
        String value = configured == null || configured.isBlank() ? DEFAULT : configured.trim();
        if (value.equals("~") || value.startsWith("~/")) {
            value = System.getProperty("user.home") + value.substring(1);
        }
        return new CairnHome(workingDirectory.resolve(value).toAbsolutePath().normalize());
    }

    /**
     * Creates the home and its {@link #SUBDIRECTORIES} where missing.
     *
     * @return this
     * @throws IOException if a directory cannot be created, or a path exists but is no directory
     */
    public CairnHome create() throws IOException {
        createPrivateDirectory(root);
        for (String name : SUBDIRECTORIES) {
            createPrivateDirectory(root.resolve(name));
        }
        return this;
    }

    public Path root() {
        return root;
    }

    public Path etc() {
        return root.resolve("etc");
    }

    public Path deploy() {
        return root.resolve("deploy");
    }

    public Path log() {
        return root.resolve("log");
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path redo() {
        return root.resolve("redo");
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE)}
            : new FileAttribute<?>[0];
        try {
            Files.createDirectory(dir, attributes);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e; // a file, not a directory: report it
            }
            // created concurrently: fine
        }
        if (posix) {
            // The process umask may have removed bits we asked for; 0700 needs none removed, but
            // set it explicitly so the result does not depend on the umask.
            Files.setPosixFilePermissions(dir, PRIVATE);
        }
    }
}
