package io.cairn.io.direct;

import com.sun.jna.LastErrorException;
import io.cairn.io.direct.internal.Errors;
import io.cairn.io.direct.internal.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the kernel says about the storage under a path: direct-I/O alignment (statx
 * {@code STATX_DIOALIGN}, Linux 6.1+, else the device's logical block size) and the device's
 * write-cache mode (sysfs {@code queue/write_cache}). The sysfs root is injectable so tests can
 * replay other machines' answers.
 */
public final class DeviceFacts {

    /** Direct-I/O alignment of a file. {@code source} says where the numbers came from. */
    public record Alignment(int memoryBytes, int offsetBytes, String source) {
    }

    /** A block device's write cache. */
    public enum WriteCache {
        /** Writes are durable when the device acknowledges them. */
        WRITE_THROUGH,
        /** The device acknowledges writes still in a volatile cache; only a flush makes them durable. */
        WRITE_BACK,
        /** No block device, or sysfs does not tell (tmpfs, FUSE, btrfs's anonymous devices). */
        UNKNOWN
    }

    private final Path sysfsRoot;

    public DeviceFacts(Path sysfsRoot) {
        this.sysfsRoot = sysfsRoot;
    }

    /** Facts from the real {@code /sys}. */
    public static DeviceFacts system() {
        return new DeviceFacts(Path.of("/sys"));
    }

    /**
     * The direct-I/O alignment for {@code path}. For a regular file the kernel answers exactly;
     * for a directory (or an old kernel) the device's logical block size stands in for both.
     */
    public Alignment alignment(Path path) throws IOException {
        byte[] statx = statx(path, LibC.STATX_BASIC_STATS | LibC.STATX_DIOALIGN);
        ByteBuffer view = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
        int mask = view.getInt(LibC.STATX_MASK_OFFSET);
        int memory = view.getInt(LibC.STATX_DIO_MEM_ALIGN_OFFSET);
        int offset = view.getInt(LibC.STATX_DIO_OFFSET_ALIGN_OFFSET);
        if ((mask & LibC.STATX_DIOALIGN) != 0 && memory > 0 && offset > 0) {
            return new Alignment(memory, offset, "statx STATX_DIOALIGN");
        }
        int major = view.getInt(LibC.STATX_DEV_MAJOR_OFFSET);
        int minor = view.getInt(LibC.STATX_DEV_MINOR_OFFSET);
        Integer logical = readQueueInt(major, minor, "logical_block_size");
        int blockBytes = logical == null ? 4096 : logical;
        return new Alignment(blockBytes, blockBytes, logical == null
                ? "default 4096 (no STATX_DIOALIGN, no block device)"
                : "logical block size of device " + major + ":" + minor);
    }

    /** The write-cache mode of the block device holding {@code path}. */
    public WriteCache writeCache(Path path) throws IOException {
        ByteBuffer view = ByteBuffer.wrap(statx(path, LibC.STATX_BASIC_STATS)).order(ByteOrder.nativeOrder());
        return writeCache(view.getInt(LibC.STATX_DEV_MAJOR_OFFSET), view.getInt(LibC.STATX_DEV_MINOR_OFFSET));
    }

    /** The write-cache mode of device {@code major:minor}, as sysfs reports it. */
    public WriteCache writeCache(int major, int minor) {
        String mode = readQueue(major, minor, "write_cache");
        if (mode == null) {
            return WriteCache.UNKNOWN;
        }
        mode = mode.trim().toLowerCase(Locale.ROOT);
        if (mode.equals("write back")) {
            return WriteCache.WRITE_BACK;
        }
        return mode.equals("write through") ? WriteCache.WRITE_THROUGH : WriteCache.UNKNOWN;
    }

    /** The device number of the file system holding {@code path}, as {@code major:minor}. */
    public String deviceNumber(Path path) throws IOException {
        ByteBuffer view = ByteBuffer.wrap(statx(path, LibC.STATX_BASIC_STATS)).order(ByteOrder.nativeOrder());
        return view.getInt(LibC.STATX_DEV_MAJOR_OFFSET) + ":" + view.getInt(LibC.STATX_DEV_MINOR_OFFSET);
    }

    private Integer readQueueInt(int major, int minor, String attribute) {
        String text = readQueue(major, minor, attribute);
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code queue/<attribute>} of a device, going to the parent disk for a partition. */
    private String readQueue(int major, int minor, String attribute) {
        if (major == 0) {
            return null; // anonymous device: no block device behind it
        }
        Path device = sysfsRoot.resolve("dev/block/" + major + ":" + minor);
        for (Path candidate : new Path[] {device.resolve("queue").resolve(attribute),
                device.resolve("..").resolve("queue").resolve(attribute)}) {
            try {
                if (Files.isReadable(candidate)) {
                    return Files.readString(candidate);
                }
            } catch (IOException e) {
                // try the next candidate
            }
        }
        return null;
    }

    private static byte[] statx(Path path, int mask) throws IOException {
        byte[] buffer = new byte[LibC.STATX_SIZE_BYTES];
        try {
            LibC.statx(LibC.AT_FDCWD, path.toString(), 0, mask, buffer);
        } catch (LastErrorException e) {
            throw Errors.of("statx", e, path);
        }
        return buffer;
    }
}
