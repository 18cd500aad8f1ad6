package io.cairn.bench.peers;

/**
 * What one engine measured. Filled phase by phase, so an engine that fails half-way still reports
 * what it finished; NaN marks a figure not measured.
 */
final class EngineResult {

    final String id;
    final String displayName;
    String version = "?";
    String settings = "";

    double loadSeconds = Double.NaN;
    double loadKeysPerSecond = Double.NaN;
    long sizeAfterLoadBytes = -1;
    double verifySeconds = Double.NaN;
    double getsPerSecond1Thread = Double.NaN;
    double getsPerSecond2Threads = Double.NaN;
    double commitsPerSecond1Thread = Double.NaN;
    double commitsPerSecond8Threads = Double.NaN;
    /** The raw write + fdatasync rate measured on the same disk just before the commit phases. */
    double rawFdatasyncPerSecond = Double.NaN;

    /** CPUs' worth of time other processes used over this engine's whole run, and in its busiest measured phase. */
    double otherCpusWholeRun = Double.NaN;
    double otherCpusBusiestPhase = Double.NaN;

    /** Null when every phase ran; else what went wrong, in which phase. */
    String failure;

    EngineResult(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }
}
