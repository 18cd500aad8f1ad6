package io.cairn.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PageFormatTest {

    private static final int PAGE = 16384;

    private static ByteBuffer writtenPage(int spaceId, long pageNo, long lsn) {
        ByteBuffer frame = ByteBuffer.allocateDirect(PAGE);
        PageFormat.initialise(frame, spaceId, pageNo);
        byte[] body = new byte[PageFormat.bodyEnd(PAGE) - PageFormat.bodyStart()];
        new SplittableRandom(pageNo).nextBytes(body);
        frame.put(PageFormat.bodyStart(), body);
        PageFormat.setPageLsn(frame, lsn);
        PageFormat.stamp(frame);
        return frame;
    }

    @Test
    void stampedPageMustVerify() {
        assertEquals(PageFormat.Verdict.VALID, PageFormat.verify(writtenPage(7, 42, 123_456_789_012L), 7, 42));
    }

    @Test
    void neverWrittenPageMustBeRecognisedAsAllZeros() {
        assertEquals(PageFormat.Verdict.ALL_ZEROS, PageFormat.verify(ByteBuffer.allocateDirect(PAGE), 7, 42));
    }

    @Test
    void pageWithNewHeaderAndOldTailMustBeDetectedAsTorn() {
        ByteBuffer oldPage = writtenPage(7, 42, 1000);
        ByteBuffer newPage = writtenPage(7, 42, 2000);
        ByteBuffer torn = ByteBuffer.allocateDirect(PAGE);
        torn.put(0, newPage, 0, 4096);               // the first 4 KiB sector of the new write landed
        torn.put(4096, oldPage, 4096, PAGE - 4096);  // the rest is still the old page
        PageFormat.Verdict verdict = PageFormat.verify(torn, 7, 42);
        assertTrue(verdict == PageFormat.Verdict.TORN || verdict == PageFormat.Verdict.CHECKSUM_MISMATCH, verdict.name());
    }

    @Test
    void flippedBodyBitMustFailTheChecksum() {
        ByteBuffer page = writtenPage(7, 42, 1000);
        page.put(5000, (byte) (page.get(5000) ^ 0x10));
        assertEquals(PageFormat.Verdict.CHECKSUM_MISMATCH, PageFormat.verify(page, 7, 42));
        assertTrue(PageFormat.explain(PageFormat.Verdict.CHECKSUM_MISMATCH, page).startsWith("checksum mismatch"));
    }

    @Test
    void pageOfAnotherPlaceMustBeDetectedAsMisdirected() {
        assertEquals(PageFormat.Verdict.MISDIRECTED, PageFormat.verify(writtenPage(7, 42, 1000), 7, 43));
        assertEquals(PageFormat.Verdict.MISDIRECTED, PageFormat.verify(writtenPage(7, 42, 1000), 8, 42));
    }
}
