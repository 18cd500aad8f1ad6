package io.cairn.io.zfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code /proc/self/mountinfo} lines (proc(5)): {@code ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS}. The kernel escapes space, tab, newline and
 * backslash in paths and sources as three-digit octal ({@code \040}), which is how a ZFS dataset
 * or mount point with a space appears.
 */
final class MountTable {

    /** One mount. Paths and the source are unescaped. */
    record Mount(Path mountPoint, String fileSystemType, String source, String superOptions) {
    }

    private MountTable() {
    }

    /**
     * The mount that holds {@code path}: the one whose mount point is the longest prefix of the path
     * (compared by path components, so {@code /tank} does not hold {@code /tank2}). Among mounts on
     * the same mount point the last listed is the visible one.
     */
    static Optional<Mount> mountOf(List<String> mountInfoLines, Path path) {
        Path target = path.toAbsolutePath().normalize();
        Mount best = null;
        for (String line : mountInfoLines) {
            Optional<Mount> parsed = parse(line);
            if (parsed.isEmpty() || !target.startsWith(parsed.get().mountPoint())) {
                continue;
            }
            Mount mount = parsed.get();
            if (best == null || mount.mountPoint().getNameCount() >= best.mountPoint().getNameCount()) {
                best = mount;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Parses one line; empty for a line that does not have the mountinfo shape. */
    static Optional<Mount> parse(String line) {
        String[] fields = line.trim().split(" ");
        int separator = -1;
        for (int i = 6; i < fields.length; i++) {
            if (fields[i].equals("-")) {
                separator = i;
                break;
            }
        }
        if (fields.length < 10 || separator < 0 || fields.length < separator + 3) {
            return Optional.empty();
        }
        try {
            Path mountPoint = Path.of(unescape(fields[4]));
            if (!mountPoint.isAbsolute()) {
                return Optional.empty();
            }
            String superOptions = fields.length > separator + 3 ? fields[separator + 3] : "";
            return Optional.of(new Mount(mountPoint, unescape(fields[separator + 1]), unescape(fields[separator + 2]),
                    superOptions));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Decodes the kernel's {@code \ooo} escapes; the result is read as UTF-8, as the kernel wrote bytes. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(field.length());
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2])
                    && isOctal(raw[i + 3])) {
                bytes.write((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
                i += 3;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }
}
