package io.cairn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Argument handling of the table commands; their effect on a store is covered in Felix (EngineServiceIT, ServerProcessIT). */
class KvCommandsTest {

    private final KvCommands commands = new KvCommands();

    @Test
    void keysAndValuesMustBeTextOrHexWithA0xPrefix() {
        assertArrayEquals(new byte[] {'a', 'b'}, KvCommands.bytes("ab"));
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, KvCommands.bytes("0x00ff"));
        assertEquals("ab", KvCommands.text(new byte[] {'a', 'b'}));
        assertEquals("0x00ff", KvCommands.text(new byte[] {0, (byte) 0xFF}));
        assertEquals("0x3078", KvCommands.text("0x".getBytes()), "text that looks like hex is shown as hex");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvCommands.bytes("0xzz"));
        assertTrue(e.getMessage().contains("not hex"), e.getMessage());
    }

    @Test
    void aWrongNumberOfArgumentsMustGiveTheUsageOnOneLine() {
        IllegalArgumentException put = assertThrows(IllegalArgumentException.class, () -> commands.put("t", "k"));
        assertEquals("put takes a table, a key and a value, got 2 arguments; usage: cairn:put TABLE KEY VALUE",
                put.getMessage());
        IllegalArgumentException scan = assertThrows(IllegalArgumentException.class,
                () -> commands.scan("t", "--limit", "zero"));
        assertTrue(scan.getMessage().startsWith("--limit needs a whole number, got 'zero'; usage: cairn:scan"),
                scan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> commands.get());
        assertThrows(IllegalArgumentException.class, () -> commands.scan("t", "--sideways"));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> commands.verify("now"));
        assertEquals("verify takes no arguments, got 1; usage: cairn:verify", extra.getMessage());
    }

    @Test
    void withoutAStoreTheCommandsMustSayWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.tables());
        assertTrue(e.getMessage().contains("no KeyValueStore service"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> commands.checkpoint());
    }

    @Test
    void benchMustRefuseUnknownOptionsAndValuesNamingWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchCommand.run(null, new String[] {"--threads", "0"}, System.out));
        assertTrue(e.getMessage().startsWith("--threads must be from 1 to 1024, got 0; usage: cairn:bench"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.run(null, new String[] {"--speed", "9"}, System.out));
        assertThrows(io.cairn.config.InvalidSettingException.class,
                () -> BenchCommand.run(null, new String[] {"--workload", "fast"}, System.out));
        assertTrue(assertThrowsNothing(() -> BenchCommand.run(null, new String[] {"--help"}, System.out))
                .startsWith("usage: cairn:bench"));
    }

    private static String assertThrowsNothing(java.util.concurrent.Callable<String> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
