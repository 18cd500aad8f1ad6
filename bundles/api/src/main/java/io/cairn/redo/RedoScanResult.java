package io.cairn.redo;

/**
 * The outcome of {@link RedoLog#scan}.
 *
 * @param startLsn the LSN the scan started from
 * @param endLsn the LSN just after the last complete group; appends continue from here
 * @param groups how many complete groups were passed to the visitor
 * @param tailDescription why the scan stopped, for the recovery log: {@code "end of log"}, or the
 *     expected torn tail, for example {@code "checksum mismatch at LSN 81920 (torn write)"}
 */
public record RedoScanResult(long startLsn, long endLsn, long groups, String tailDescription) {
}
