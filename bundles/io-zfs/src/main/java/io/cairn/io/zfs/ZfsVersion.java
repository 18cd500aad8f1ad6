package io.cairn.io.zfs;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenZFS kernel module version as {@code /sys/module/zfs/version} prints it:
 * {@code VERSION-RELEASE}, for example {@code 2.3.1-1}, {@code 2.3.0-rc4},
 * {@code 2.3.99-94_g0ffa6f346} (a git build 94 commits after the last tag), {@code 2.4.99-12.gabc1234}
 * (newer master builds use a dot), or distribution releases such as {@code 2.1.11-1+deb12u1},
 * {@code 2.2.2-0ubuntu9.1} or {@code 2.2.7-pve2}.
 *
 * <p>Ordering and the {@code isAtLeast} checks compare {@code major.minor.patch} only; release
 * candidates and git builds are told apart by {@link #releaseCandidate()} and
 * {@link #commitsSinceTag()}.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version; {@code 99} marks a development (master) build
 * @param release the part after the first {@code -}, empty when absent
 * @param releaseCandidate {@code N} for {@code -rcN}, 0 for a final release
 * @param commitsSinceTag {@code N} for a git build {@code N_gHASH} or {@code N.gHASH}, -1 when the
 *     release does not carry a commit count
 * @param text the version exactly as read, trimmed
 */
public record ZfsVersion(int major, int minor, int patch, String release, int releaseCandidate, int commitsSinceTag,
        String text) {

    private static final Pattern VERSION = Pattern.compile("^(?:zfs-(?:kmod-)?)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-(.*))?$");
    private static final Pattern RELEASE_CANDIDATE = Pattern.compile("^rc(\\d+)");
    private static final Pattern GIT_BUILD = Pattern.compile("(?:^|[_.-])(\\d+)[_.]g[0-9a-f]{6,40}(?:$|[^0-9a-f])");

    public ZfsVersion {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(text, "text");
    }

    /**
     * Parses a version string; surrounding white space (the trailing newline of the sysfs file) is
     * ignored.
     *
     * @return the version, or empty when {@code text} does not start with {@code MAJOR.MINOR}
     */
    public static Optional<ZfsVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        Matcher m = VERSION.matcher(trimmed);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            String release = m.group(4) == null ? "" : m.group(4);
            Matcher rc = RELEASE_CANDIDATE.matcher(release);
            int releaseCandidate = rc.find() ? Integer.parseInt(rc.group(1)) : 0;
            Matcher git = GIT_BUILD.matcher(release);
            int commits = git.find() ? Integer.parseInt(git.group(1)) : -1;
            return Optional.of(new ZfsVersion(major, minor, patch, release, releaseCandidate, commits, trimmed));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** Whether {@code major.minor.patch} is at least the given one (release tags ignored). */
    public boolean isAtLeast(int otherMajor, int otherMinor, int otherPatch) {
        if (major != otherMajor) {
            return major > otherMajor;
        }
        if (minor != otherMinor) {
            return minor > otherMinor;
        }
        return patch >= otherPatch;
    }

    /** Whether this is {@code X.Y.Z-rcN}. */
    public boolean isReleaseCandidate() {
        return releaseCandidate > 0;
    }

    /** Whether this is a development build from the master branch ({@code X.Y.99}). */
    public boolean isDevelopmentBuild() {
        return patch == 99;
    }

    /** {@code major.minor.patch}. */
    public String numbers() {
        return major + "." + minor + "." + patch;
    }

    @Override
    public String toString() {
        return text;
    }
}
