package io.cairn.redo.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.redo.RedoRecord;
import io.cairn.redo.kit.RedoGroups;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static List<RedoRecord> roundTrip(List<RedoRecord> records) throws IOException {
        int size = RecordCodec.encodedSize(records);
        byte[] bytes = new byte[size + 3];
        assertEquals(size + 3, RecordCodec.encode(records, bytes, 3));
        return RecordCodec.decode(bytes, 3, size, 8192);
    }

    @Test
    void everyRecordTypeMustRoundTrip() throws IOException {
        List<RedoRecord> all = RedoGroups.everyRecordType();
        assertEquals(RedoGroups.describe(all), RedoGroups.describe(roundTrip(all)));
        for (RedoRecord r : all) {
            assertEquals(RedoGroups.describe(List.of(r)), RedoGroups.describe(roundTrip(List.of(r))));
        }
    }

    @Test
    void extremeIdentifiersAndOffsetsMustRoundTrip() throws IOException {
        List<RedoRecord> records = List.of(
                new RedoRecord.InitPage(Integer.MIN_VALUE, Long.MIN_VALUE),
                new RedoRecord.Memset(Integer.MAX_VALUE, -1, Integer.MAX_VALUE, 0, (byte) -1),
                new RedoRecord.Memmove(0, 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE),
                new RedoRecord.FileCreate(-5, "", -1),
                new RedoRecord.FileExtend(1, Long.MIN_VALUE),
                new RedoRecord.CheckpointMarker(Long.MAX_VALUE));
        assertEquals(RedoGroups.describe(records), RedoGroups.describe(roundTrip(records)));
    }

    @Test
    void randomGroupsMustRoundTrip() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 500; i++) {
            List<RedoRecord> g = RedoGroups.randomGroup(random, random.nextInt(1, 5000));
            assertEquals(RedoGroups.describe(g), RedoGroups.describe(roundTrip(g)));
        }
    }

    @Test
    void aHundredByteWriteMustCostLittleMoreThanItsBytes() {
        int size = RecordCodec.encodedSize(List.of(new RedoRecord.WriteBytes(12, 3000, 1200, new byte[100])));
        assertTrue(size <= 110, "encoded size " + size);
    }

    @Test
    void consecutiveRecordsOnOnePageMustNotRepeatThePageIdentifiers() throws IOException {
        RedoRecord first = new RedoRecord.WriteBytes(70000, 1L << 40, 10, new byte[4]);
        RedoRecord second = new RedoRecord.Memset(70000, 1L << 40, 20, 8, (byte) 1);
        RedoRecord other = new RedoRecord.Memset(70000, 5, 20, 8, (byte) 1);
        int together = RecordCodec.encodedSize(List.of(first, second));
        int apart = RecordCodec.encodedSize(List.of(first, other));
        assertTrue(together < apart, together + " vs " + apart);
        assertEquals(RedoGroups.describe(List.of(first, second, other, second)),
                RedoGroups.describe(roundTrip(List.of(first, second, other, second))));
    }

    @Test
    void anUnknownRecordTypeMustBeReportedAsUndecodableNotAsATornWrite() {
        byte[] body = {99, 1, 2};
        IOException e = assertThrows(IOException.class, () -> RecordCodec.decode(body, 0, body.length, 12345));
        assertTrue(e.getMessage().contains("LSN 12345") && e.getMessage().contains("unknown record type 99"),
                e.getMessage());
    }

    @Test
    void truncatedRecordsAndSamePageWithoutAPageMustBeRejected() {
        byte[] truncated = new byte[RecordCodec.encodedSize(List.of(new RedoRecord.WriteBytes(1, 1, 1, new byte[50])))];
        RecordCodec.encode(List.of(new RedoRecord.WriteBytes(1, 1, 1, new byte[50])), truncated, 0);
        assertThrows(IOException.class, () -> RecordCodec.decode(truncated, 0, truncated.length - 1, 1));
        byte[] orphan = {(byte) (RecordCodec.FREE_PAGE | RecordCodec.SAME_PAGE)};
        assertThrows(IOException.class, () -> RecordCodec.decode(orphan, 0, 1, 1));
        assertThrows(IOException.class, () -> RecordCodec.decode(new byte[0], 0, 0, 1));
    }

    @Test
    void varLongSizesMustMatchTheEncoding() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, 127L, 128L, 16383L, 16384L, Long.MAX_VALUE, -1L));
        for (long v : values) {
            int expected = v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
            assertEquals(expected, RecordCodec.varLongSize(v), Long.toString(v));
        }
        assertEquals(10, RecordCodec.varLongSize(-1L));
    }
}
