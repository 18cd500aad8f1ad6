package io.cairn.redo.circular;

import io.cairn.io.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the pages of the circle from a checkpoint's mark and parses the groups in them: the
 * recovery at open (to find the end) and {@link CircularRedoLog#scan} (to deliver the groups).
 * Plain logic over a {@link StorageFile}; the rules it applies are those of {@link CircularFormat}.
 *
 * <h2>Walk</h2>
 * At each home slot the walk reads that slot and the next. A page there is accepted if it is
 * <ul>
 *   <li>the first page: it starts at the mark LSN, with an epoch up to the record's; or</li>
 *   <li>a continuation: the previous page is full, and this one has its epoch and starts at its
 *       end; or</li>
 *   <li>a restart: flagged, of a higher epoch (up to the record's), starting where the group being
 *       read began (while still skipping towards the start LSN: anywhere from the mark up to the
 *       previous page's end).</li>
 * </ul>
 * If both slots hold versions of the accepted page, the longer chain wins (versions of one page
 * are prefixes of each other), and the next home is two slots on; otherwise one. The walk ends at
 * the first home where neither slot holds an acceptable page, or once a whole circle was walked.
 *
 * <h2>Groups</h2>
 * Bytes before the start LSN are skipped. A group whose length or checksum is wrong ends the
 * readable stream at its start, but the walk goes on through the same incarnation's pages: a
 * later incarnation's restart page may supersede the stream from exactly that LSN.
 */
final class LogScanner {

    /** A page start and the slot it was first written to. */
    record PageMark(long startLsn, int slot) {
    }

    /** Receives each complete group. */
    @FunctionalInterface
    interface GroupSink {
        void group(long startLsn, long endLsn, byte[] body, int offset, int length) throws IOException;
    }

    /**
     * What a walk found.
     *
     * @param endLsn the LSN after the last complete group
     * @param groups complete groups passed to the sink
     * @param tailDescription why the stream ends there
     * @param nextHomeSlot the slot after everything the walk accepted: where the next incarnation's
     *     first page goes
     * @param liveSlots how many slots, from the mark's, the walk accepted
     * @param marks page marks along the walk (the first page's, every
     *     {@link CircularFormat#MARK_EVERY_PAGES}th page's and every restart page's), ascending
     */
    record Result(long endLsn, long groups, String tailDescription, int nextHomeSlot, int liveSlots,
            List<PageMark> marks) {
    }

    private static final int WINDOW_SLOTS = 64;

    private final StorageFile file;
    private final int slotCount;
    private final int logTag;
    private final int maxEpoch;
    private final ByteBuffer window = CircularFormat.alignedBuffer(WINDOW_SLOTS * CircularFormat.PAGE_BYTES);
    private int windowFirstSlot = -1;
    private int windowSlots;

    LogScanner(StorageFile file, int slotCount, int logTag, int maxEpoch) {
        this.file = file;
        this.slotCount = slotCount;
        this.logTag = logTag;
        this.maxEpoch = maxEpoch;
    }

    /**
     * Walks from the page {@code markLsn} first written to {@code markSlot}.
     *
     * @param fromLsn where groups start to count (a group boundary at or after {@code markLsn})
     * @param stopAtLsn stop once the groups reach this LSN ({@code Long.MAX_VALUE}: the end)
     * @throws IOException if reading fails, the sink throws, or the stream ends before {@code fromLsn}
     */
    Result walk(long markLsn, int markSlot, long fromLsn, long stopAtLsn, GroupSink sink) throws IOException {
        GroupParser parser = new GroupParser(markLsn, fromLsn, stopAtLsn, sink);
        List<PageMark> marks = new ArrayList<>();
        int home = markSlot;
        int walked = 0;
        int pagesSinceMark = 0;
        PageChain previous = null;
        while (walked < slotCount && !parser.done()) {
            int alternate = next(home);
            PageChain atHome = PageChain.parse(read(home), logTag);
            PageChain atAlternate = PageChain.parse(read(alternate), logTag);
            PageChain accepted = acceptable(atHome, previous, markLsn, parser) ? atHome
                    : acceptable(atAlternate, previous, markLsn, parser) ? atAlternate : null;
            if (accepted == null) {
                break;
            }
            // A version of the page in the alternate slot means the writer used both slots for it
            // (even when the home version is torn now): the next page is two slots on.
            boolean pair = accepted.samePage(atAlternate);
            if (pair && accepted.samePage(atHome)) {
                accepted = atAlternate.payloadBytes() > atHome.payloadBytes() ? atAlternate : atHome;
            }
            if (previous == null || accepted.restart() && accepted.epoch() > previous.epoch()) {
                if (previous != null) {
                    // The restart supersedes everything from its start: so do marks of pages past it.
                    while (!marks.isEmpty() && marks.get(marks.size() - 1).startLsn() >= accepted.startLsn()) {
                        marks.remove(marks.size() - 1);
                    }
                }
                marks.add(new PageMark(accepted.startLsn(), home));
                pagesSinceMark = 0;
                parser.restartAt(accepted.startLsn());
            } else if (++pagesSinceMark >= CircularFormat.MARK_EVERY_PAGES) {
                marks.add(new PageMark(accepted.startLsn(), home));
                pagesSinceMark = 0;
            }
            parser.feed(accepted.payload(), accepted.payloadBytes());
            int used = pair ? 2 : 1;
            walked += used;
            home = used == 2 ? next(alternate) : alternate;
            previous = accepted;
        }
        if (parser.skipping()) {
            throw new IOException(file.path() + ": the redo stream ends at LSN " + parser.lsn() + " ("
                    + (previous == null ? "no readable page in slot " + markSlot : "last readable page at LSN "
                    + previous.startLsn()) + "), before LSN " + fromLsn + " where reading was to start: the log is"
                    + " damaged beyond what a torn write explains");
        }
        return new Result(parser.endLsn(), parser.groups(), parser.tailDescription(), home,
                Math.min(walked, slotCount), List.copyOf(marks));
    }

    private boolean acceptable(PageChain page, PageChain previous, long markLsn, GroupParser parser) {
        if (page == null || page.epoch() > maxEpoch) {
            return false;
        }
        if (previous == null) {
            return page.startLsn() == markLsn;
        }
        if (page.restart() && page.epoch() > previous.epoch()) {
            return parser.skipping()
                    ? page.startLsn() >= markLsn && page.startLsn() <= previous.endLsn()
                    : page.startLsn() == parser.resumeLsn();
        }
        return !page.restart() && previous.full() && page.epoch() == previous.epoch()
                && page.startLsn() == previous.endLsn();
    }

    private int next(int slot) {
        return slot + 1 == slotCount ? 0 : slot + 1;
    }

    /** The page in {@code slot}, read through a window of consecutive slots. */
    private ByteBuffer read(int slot) throws IOException {
        if (windowFirstSlot < 0 || slot < windowFirstSlot || slot >= windowFirstSlot + windowSlots) {
            windowSlots = Math.min(WINDOW_SLOTS, slotCount - slot);
            window.clear().limit(windowSlots * CircularFormat.PAGE_BYTES);
            file.read(CircularFormat.slotOffset(slot), window);
            windowFirstSlot = slot;
        }
        int at = (slot - windowFirstSlot) * CircularFormat.PAGE_BYTES;
        return window.duplicate().position(at).limit(at + CircularFormat.PAGE_BYTES).slice();
    }

    /** Assembles groups from the stream of page payloads. */
    private static final class GroupParser {
        private final long fromLsn;
        private final long stopAtLsn;
        private final GroupSink sink;
        /** LSN of the next stream byte. */
        private long lsn;
        /** Where the group being assembled (or the next one) starts; meaningful once not skipping. */
        private long groupStart;
        private boolean skipping;
        /** A group failed its length or checksum: the stream is unreadable from groupStart on. */
        private String broken;
        private byte[] partial = new byte[8192];
        private int partialLength;
        private long groups;

        GroupParser(long markLsn, long fromLsn, long stopAtLsn, GroupSink sink) {
            this.fromLsn = fromLsn;
            this.stopAtLsn = stopAtLsn;
            this.sink = sink;
            this.lsn = markLsn;
            this.skipping = fromLsn > markLsn;
            this.groupStart = fromLsn;
        }

        boolean skipping() {
            return skipping;
        }

        long lsn() {
            return lsn;
        }

        boolean done() {
            return !skipping && broken == null && partialLength == 0 && groupStart >= stopAtLsn;
        }

        long resumeLsn() {
            return groupStart;
        }

        long endLsn() {
            return groupStart;
        }

        long groups() {
            return groups;
        }

        String tailDescription() {
            if (broken != null) {
                return broken;
            }
            if (partialLength > 0) {
                return "incomplete group at LSN " + groupStart + " (" + partialLength
                        + " bytes of it readable: a torn or unfinished write)";
            }
            return "end of log";
        }

        /** The stream continues at {@code startLsn}, superseding anything read from there on. */
        void restartAt(long startLsn) {
            lsn = startLsn;
            if (!skipping) {
                partialLength = 0;
                broken = null;
                groupStart = startLsn;
            } else if (lsn >= fromLsn) {
                skipping = false;
                groupStart = lsn;
            }
        }

        void feed(byte[] bytes, int length) throws IOException {
            int at = 0;
            if (skipping) {
                int skip = (int) Math.min(length, fromLsn - lsn);
                at = skip;
                lsn += skip;
                if (lsn < fromLsn) {
                    return;
                }
                skipping = false;
                groupStart = lsn;
            }
            if (broken != null) {
                lsn += length - at;
                return;
            }
            while (at < length && !done()) {
                int need = partialLength < 4 ? 4 : CircularFormat.GROUP_OVERHEAD_BYTES
                        + RecordEncoding.getInt(partial, 0);
                int n = Math.min(need - partialLength, length - at);
                ensure(partialLength + n);
                System.arraycopy(bytes, at, partial, partialLength, n);
                partialLength += n;
                at += n;
                lsn += n;
                if (partialLength == 4) {
                    int bodyLength = RecordEncoding.getInt(partial, 0);
                    if (bodyLength < 1 || bodyLength > CircularFormat.MAX_GROUP_BODY_BYTES) {
                        breakAt("no group at LSN " + groupStart + " (length field " + bodyLength + ")");
                        lsn += length - at;
                        return;
                    }
                } else if (partialLength == need) {
                    int bodyLength = need - CircularFormat.GROUP_OVERHEAD_BYTES;
                    int stored = RecordEncoding.getInt(partial, need - 4);
                    if (stored != CircularFormat.groupCrc(groupStart, partial, 4, bodyLength)) {
                        breakAt("checksum mismatch in the group at LSN " + groupStart + " (a torn write)");
                        lsn += length - at;
                        return;
                    }
                    long end = groupStart + need;
                    sink.group(groupStart, end, partial, 4, bodyLength);
                    groups++;
                    groupStart = end;
                    partialLength = 0;
                }
            }
            lsn += length - at;
        }

        private void breakAt(String why) {
            broken = why;
            partialLength = 0;
        }

        private void ensure(int capacity) {
            if (capacity > partial.length) {
                partial = java.util.Arrays.copyOf(partial, Math.max(capacity, partial.length * 2));
            }
        }
    }
}
