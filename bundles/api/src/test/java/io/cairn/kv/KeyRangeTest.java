package io.cairn.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyRangeTest {

    @Test
    void rangeMustUseUnsignedOrder() {
        KeyRange range = KeyRange.between(new byte[] {0x10}, new byte[] {(byte) 0x90});
        assertTrue(range.contains(new byte[] {0x7F}));
        assertTrue(range.contains(new byte[] {(byte) 0x80}), "0x80 is above 0x10 when unsigned");
        assertFalse(range.contains(new byte[] {(byte) 0x90}), "upper bound is exclusive");
        assertTrue(range.contains(new byte[] {0x10}), "lower bound is inclusive");
    }

    @Test
    void prefixRangeMustIncrementTheLastByteThatCan() {
        KeyRange range = KeyRange.prefix(new byte[] {1, (byte) 0xFF});
        assertArrayEquals(new byte[] {2}, range.toExclusive());
        assertTrue(range.contains(new byte[] {1, (byte) 0xFF, 0}));
        assertFalse(range.contains(new byte[] {2}));
        assertNull(KeyRange.prefix(new byte[] {(byte) 0xFF}).toExclusive());
    }

    @Test
    void boundsMustBeCopied() {
        byte[] from = {5};
        KeyRange range = KeyRange.from(from);
        from[0] = 9;
        assertEquals(5, range.fromInclusive()[0]);
        assertEquals(range, KeyRange.from(new byte[] {5}));
    }
}
