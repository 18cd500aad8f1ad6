package io.cairn.io.zfs;

import io.cairn.io.zfs.internal.SystemZfsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Every input ZFS detection reads from the machine, behind one interface so that tests replay the
 * answers of real systems (OpenZFS 0.7 to 2.4, zfs-fuse, ext4) on any machine.
 *
 * <p>Implementations must be thread-safe. Methods that ask about something the machine cannot
 * tell return empty rather than throwing; only {@link #mountInfo()} throws, because without a
 * mount table the caller wants to know why.
 */
@ConsumerType
public interface ZfsEnvironment {

    /** The real machine: {@code /proc/self/mountinfo}, {@code /sys/module/zfs}, statfs/statx, processes. */
    static ZfsEnvironment system() {
        return new SystemZfsEnvironment();
    }

    /** The lines of {@code /proc/self/mountinfo}. */
    List<String> mountInfo() throws IOException;

    /** {@code statfs(2)} {@code f_type} of the file system holding {@code path}, when it can be asked. */
    OptionalLong statfsMagic(Path path);

    /**
     * The file system's block size as {@code statvfs(3)} {@code f_frsize} reports it (Java:
     * {@link java.nio.file.FileStore#getBlockSize()}). On OpenZFS this is the dataset's recordsize.
     */
    OptionalLong fileSystemBlockSizeBytes(Path path);

    /**
     * The block size ({@code st_blksize}) and size of an existing regular file. On ZFS the block size
     * is the file's actual record size, which differs from the dataset's recordsize for files
     * created before the property changed.
     */
    Optional<FileBlocks> fileBlocks(Path file);

    /**
     * The trimmed contents of a file below {@code /sys/module/zfs}, for example {@code version} or
     * {@code parameters/zfs_dio_enabled}; empty when it does not exist or cannot be read.
     */
    Optional<String> zfsModuleFile(String relativePath);

    /**
     * Runs a command, destroying it if it has not finished within {@code timeoutMillis}. Never
     * throws: every way of failing is a {@link CommandResult.Status}.
     */
    CommandResult run(List<String> command, long timeoutMillis);

    /**
     * A file's block size and size.
     *
     * @param blockSizeBytes {@code st_blksize}
     * @param sizeBytes {@code st_size}
     */
    record FileBlocks(long blockSizeBytes, long sizeBytes) {
    }
}
