package io.cairn.io.zfs;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link ZfsIoPolicy#decide}: a path, the reasons for it, and advice for the
 * operator that does not change the path.
 *
 * @param path the chosen I/O path
 * @param reasons why, in operator language; never empty; warnings that concern the chosen path
 *     (an OpenZFS version below the recommended minimum) start with {@code "warning: "}
 * @param advice dataset or version changes that would make I/O better or safer
 */
public record IoChoice(IoPath path, List<String> reasons, List<String> advice) {

    public IoChoice {
        Objects.requireNonNull(path, "path");
        reasons = List.copyOf(reasons);
        advice = List.copyOf(advice);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a choice needs at least one reason");
        }
    }

    /** The reasons joined into one line. */
    public String reason() {
        return String.join("; ", reasons);
    }
}
