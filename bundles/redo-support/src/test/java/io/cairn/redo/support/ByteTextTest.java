package io.cairn.redo.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTextTest {

    @Test
    void printableBytesMustReadAsQuotedText() {
        assertEquals("'CAIRNLOG'", ByteText.describe("CAIRNLOG".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void zerosMustBeNamedAsSuch() {
        assertEquals("zero bytes", ByteText.describe(new byte[8]));
    }

    @Test
    void anythingElseMustReadAsHex() {
        assertEquals("bytes 0x00ff41", ByteText.describe(new byte[] {0, (byte) 0xFF, 0x41}));
    }
}
