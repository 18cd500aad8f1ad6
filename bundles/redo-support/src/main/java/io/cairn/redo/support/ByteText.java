package io.cairn.redo.support;

import java.nio.charset.StandardCharsets;

/** Bytes as an operator can read them in an error message about a file that is not what it should be. */
public final class ByteText {

    private ByteText() {
    }

    /**
     * Printable ASCII as quoted text, all zeros as "zero bytes", anything else as hex: enough to
     * recognise the format a file really has from its first bytes.
     */
    public static String describe(byte[] bytes) {
        boolean printable = true;
        boolean zero = true;
        for (byte b : bytes) {
            printable &= b >= 0x20 && b < 0x7F;
            zero &= b == 0;
        }
        if (zero) {
            return "zero bytes";
        }
        if (printable) {
            return "'" + new String(bytes, StandardCharsets.US_ASCII) + "'";
        }
        StringBuilder sb = new StringBuilder("bytes 0x");
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
