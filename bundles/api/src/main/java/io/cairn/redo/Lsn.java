package io.cairn.redo;

/**
 * Log sequence numbers. An LSN is a {@code long} counting bytes of redo ever generated; it only
 * grows, so it orders all changes. It is kept as a primitive on every hot path (page headers, the
 * flush list, commit waits); this class holds the constants and helpers around it.
 */
public final class Lsn {

    /** "No LSN": a page never modified, a log never written. Real LSNs are greater. */
    public static final long NONE = 0L;

    /** The LSN at which a freshly created redo log starts. */
    public static final long FIRST = 8192L;

    /** The greatest LSN; used as "no limit". */
    public static final long MAX = Long.MAX_VALUE;

    private Lsn() {
    }

    /** Whether {@code lsn} is a real LSN rather than {@link #NONE}. */
    public static boolean isSet(long lsn) {
        return lsn != NONE;
    }

    /** An LSN for humans: the decimal value, as InnoDB prints them. */
    public static String format(long lsn) {
        return lsn == NONE ? "none" : Long.toString(lsn);
    }
}
