package io.cairn.io.buffered.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;

/** File-system helpers shared by the buffered backend's operations. */
public final class FileSystems {

    private FileSystems() {
    }

    /** The mount's file system type as the JDK reports it ({@code ext4}, {@code xfs}, ...). */
    public static String fileSystemType(Path directory) throws IOException {
        return Files.getFileStore(directory).type();
    }

    /** The file system's block size, or 4096 when the platform does not tell. */
    public static long blockSizeBytes(Path directory) throws IOException {
        FileStore store = Files.getFileStore(directory);
        try {
            return store.getBlockSize();
        } catch (UnsupportedOperationException e) {
            return 4096;
        }
    }

    /** fsync of a directory: makes creates, renames and deletes of its entries durable. */
    public static void syncDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new java.nio.file.NoSuchFileException(directory.toString(), null, "no such directory to sync");
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Creates the missing directories of {@code directory} with mode 0700, each followed by a sync
     * of its parent, so the new path survives power loss once this returns.
     */
    public static void createDirectoriesDurably(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = directory; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                Files.createDirectory(next,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(next)) {
                    throw e;
                }
            }
            syncDirectory(next.getParent());
        }
    }
}
