package io.cairn.redo.kit;

import io.cairn.redo.RedoLog;
import io.cairn.redo.RedoRecord;
import io.cairn.redo.RedoScanResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/** Test helpers: random groups, value comparison of records, collecting scans. */
public final class RedoGroups {

    private RedoGroups() {
    }

    /** A group as appended or as scanned. */
    public record Group(long startLsn, long endLsn, List<String> records) {
        @Override
        public String toString() {
            return "[" + startLsn + ", " + endLsn + ") " + records.size() + " records";
        }
    }

    /** A scan's groups and result. */
    public record Scan(List<Group> groups, RedoScanResult result) {
    }

    /** Canonical text of a record: equal records give equal text (byte arrays by value). */
    public static String describe(RedoRecord record) {
        if (record instanceof RedoRecord.WriteBytes w) {
            return "WriteBytes(" + w.spaceId() + "," + w.pageNo() + "," + w.pageOffset() + ","
                    + HexFormat.of().formatHex(w.bytes()) + ")";
        }
        return record.toString();
    }

    public static List<String> describe(List<RedoRecord> records) {
        List<String> out = new ArrayList<>(records.size());
        for (RedoRecord r : records) {
            out.add(describe(r));
        }
        return out;
    }

    /** One record of every type. */
    public static List<RedoRecord> everyRecordType() {
        return List.of(
                new RedoRecord.InitPage(7, 42),
                new RedoRecord.WriteBytes(7, 42, 38, new byte[] {1, 2, 3, (byte) 0xFF}),
                new RedoRecord.Memset(7, 42, 100, 300, (byte) 0xAB),
                new RedoRecord.Memmove(7, 42, 200, 180, 64),
                new RedoRecord.FreePage(7, 43),
                new RedoRecord.WriteBytes(-1, Long.MAX_VALUE, 0, new byte[0]),
                new RedoRecord.FileCreate(9, "db/t1.ibd", 16384),
                new RedoRecord.FileDelete(9, "db/t1.ibd"),
                new RedoRecord.FileRename(10, "db/a.ibd", "db/b \u00e9\u00e8.ibd"),
                new RedoRecord.FileExtend(10, 1L << 33),
                new RedoRecord.FileTruncate(10, 3),
                new RedoRecord.CheckpointMarker(123_456_789L));
    }

    /**
     * A random group of roughly {@code approxBytes}: page records on a few pages, now and then a
     * file record.
     */
    public static List<RedoRecord> randomGroup(SplittableRandom random, int approxBytes) {
        List<RedoRecord> records = new ArrayList<>();
        int space = random.nextInt(1, 20);
        long page = random.nextLong(0, 1 << 20);
        int budget = Math.max(1, approxBytes);
        while (budget > 0) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                int length = Math.min(budget, random.nextInt(1, 2000));
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                records.add(new RedoRecord.WriteBytes(space, page, random.nextInt(0, 16000), bytes));
                budget -= length + 8;
            } else if (kind == 6) {
                records.add(new RedoRecord.Memset(space, page, random.nextInt(0, 16000), random.nextInt(1, 400),
                        (byte) random.nextInt(256)));
                budget -= 10;
            } else if (kind == 7) {
                records.add(new RedoRecord.Memmove(space, page, random.nextInt(0, 8000), random.nextInt(0, 8000),
                        random.nextInt(1, 4000)));
                budget -= 10;
            } else if (kind == 8) {
                page = random.nextLong(0, 1 << 20);
                records.add(new RedoRecord.InitPage(space, page));
                budget -= 6;
            } else {
                records.add(new RedoRecord.FileExtend(space, random.nextLong(1, 1 << 24)));
                budget -= 8;
            }
        }
        return records;
    }

    /** One small page write of {@code bytes} bytes. */
    public static List<RedoRecord> smallGroup(int spaceId, long pageNo, int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (pageNo + i);
        }
        return List.of(new RedoRecord.WriteBytes(spaceId, pageNo, 64, data));
    }

    /** Scans {@code log} from {@code fromLsn}, collecting every group. */
    public static Scan scan(RedoLog log, long fromLsn) throws IOException {
        List<Group> groups = new ArrayList<>();
        RedoScanResult result = log.scan(fromLsn, (start, end, records) -> groups.add(new Group(start, end,
                describe(records))));
        return new Scan(groups, result);
    }
}
