package io.cairn.io.zfs;

import java.util.Objects;

/**
 * The outcome of running an external command (the {@code zfs} CLI) through
 * {@link ZfsEnvironment#run}.
 *
 * @param status how the command ended
 * @param exitCode the exit status when {@link Status#EXITED}, else -1
 * @param stdout what it printed on standard output (empty unless it exited)
 * @param stderr what it printed on standard error, or why it could not run
 */
public record CommandResult(Status status, int exitCode, String stdout, String stderr) {

    /** How a command ended. */
    public enum Status {
        /** The command ran and exited with {@link #exitCode()}. */
        EXITED,
        /** The program does not exist (the CLI is not installed). */
        NOT_FOUND,
        /** The command overran its timeout and was destroyed. */
        TIMED_OUT,
        /** The command could not be started or waited for (permissions, interrupt, I/O error). */
        FAILED
    }

    public CommandResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** A command that ran and exited. */
    public static CommandResult exited(int exitCode, String stdout, String stderr) {
        return new CommandResult(Status.EXITED, exitCode, stdout, stderr);
    }

    /** A program that does not exist; {@code detail} says what was looked for. */
    public static CommandResult notFound(String detail) {
        return new CommandResult(Status.NOT_FOUND, -1, "", detail);
    }

    /** A command destroyed after overrunning its timeout. */
    public static CommandResult timedOut(String detail) {
        return new CommandResult(Status.TIMED_OUT, -1, "", detail);
    }

    /** A command that could not be run for another reason. */
    public static CommandResult failed(String detail) {
        return new CommandResult(Status.FAILED, -1, "", detail);
    }

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return status == Status.EXITED && exitCode == 0;
    }

    /** The first non-blank line of standard error (or of the failure detail), for one-line messages. */
    public String firstErrorLine() {
        for (String line : stderr.split("\n")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return status == Status.EXITED ? "exit status " + exitCode : status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
