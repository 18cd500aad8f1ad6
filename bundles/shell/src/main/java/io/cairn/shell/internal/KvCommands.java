package io.cairn.shell.internal;

import io.cairn.engine.CairnException;
import io.cairn.engine.Engine;
import io.cairn.kv.Cursor;
import io.cairn.kv.KeyRange;
import io.cairn.kv.KeyValueStore;
import io.cairn.kv.ScanDirection;
import io.cairn.kv.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The table commands of scope {@code cairn}: tables, create, drop, put, get, del, scan,
 * checkpoint, verify and bench. Keys and values are UTF-8 text, or hex with a {@code 0x} prefix.
 * A bad argument is a one-line {@link IllegalArgumentException} with the command's usage, which
 * Gogo prints on one line.
 */
@Component(service = KvCommands.class, immediate = true, property = {
    "osgi.command.scope=cairn",
    "osgi.command.function=tables",
    "osgi.command.function=create",
    "osgi.command.function=drop",
    "osgi.command.function=put",
    "osgi.command.function=get",
    "osgi.command.function=del",
    "osgi.command.function=scan",
    "osgi.command.function=checkpoint",
    "osgi.command.function=verify",
    "osgi.command.function=bench"
})
public final class KvCommands {

    private volatile KeyValueStore store;
    private volatile Engine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setStore(KeyValueStore store) {
        this.store = store;
    }

    void unsetStore(KeyValueStore store) {
        if (this.store == store) {
            this.store = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEngine(Engine engine) {
        this.engine = engine;
    }

    void unsetEngine(Engine engine) {
        if (this.engine == engine) {
            this.engine = null;
        }
    }

    private KeyValueStore store() {
        KeyValueStore s = store;
        if (s == null) {
            throw new IllegalStateException("no KeyValueStore service: the engine is not running or the io.cairn.kv"
                    + " bundle is not active (see cairn:status)");
        }
        return s;
    }

    static byte[] bytes(String text) {
        if (text.startsWith("0x")) {
            try {
                return HexFormat.of().parseHex(text.substring(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not hex after 0x: " + e.getMessage());
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 text if the bytes are printable text, else 0x and hex. */
    static String text(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        boolean printable = s.chars().allMatch(c -> c >= 0x20 && c != 0x7F && c != 0xFFFD)
                && java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), bytes);
        return printable && !s.startsWith("0x") ? s : "0x" + HexFormat.of().formatHex(bytes);
    }

    private static IllegalArgumentException usage(String problem, String usage) {
        return new IllegalArgumentException(problem + "; usage: " + usage);
    }

    private static void noArguments(String command, String[] args) {
        if (args.length != 0) {
            throw usage(command + " takes no arguments, got " + args.length, "cairn:" + command);
        }
    }

    @Descriptor("list the tables with their approximate size")
    public String tables(String... args) {
        noArguments("tables", args);
        KeyValueStore s = store();
        StringBuilder sb = new StringBuilder();
        List<String> names = s.tableNames();
        for (String name : names) {
            sb.append(String.format("%-32s %,14d bytes%n", name, s.table(name).approximateSizeBytes()));
        }
        return names.isEmpty() ? "no tables (cairn:create NAME makes one)" : sb.toString().stripTrailing();
    }

    @Descriptor("create a table")
    public String create(@Descriptor("table name: 1 to 64 letters, digits, '_', '-', '.'") String... args) {
        if (args.length != 1) {
            throw usage("create takes one table name, got " + args.length + " arguments", "cairn:create NAME");
        }
        store().createTable(args[0]);
        return "created table " + args[0];
    }

    @Descriptor("drop a table and all its data")
    public String drop(@Descriptor("table name") String... args) {
        if (args.length != 1) {
            throw usage("drop takes one table name, got " + args.length + " arguments", "cairn:drop NAME");
        }
        store().dropTable(args[0]);
        return "dropped table " + args[0];
    }

    @Descriptor("store a value under a key (text, or hex as 0x...)")
    public String put(@Descriptor("TABLE KEY VALUE") String... args) {
        if (args.length != 3) {
            throw usage("put takes a table, a key and a value, got " + args.length + " arguments",
                    "cairn:put TABLE KEY VALUE");
        }
        store().table(args[0]).put(bytes(args[1]), bytes(args[2]));
        return "ok";
    }

    @Descriptor("print the value stored under a key")
    public String get(@Descriptor("TABLE KEY") String... args) {
        if (args.length != 2) {
            throw usage("get takes a table and a key, got " + args.length + " arguments", "cairn:get TABLE KEY");
        }
        byte[] value = store().table(args[0]).get(bytes(args[1]));
        return value == null ? "(no value under " + args[1] + ")" : text(value);
    }

    @Descriptor("remove a key")
    public String del(@Descriptor("TABLE KEY") String... args) {
        if (args.length != 2) {
            throw usage("del takes a table and a key, got " + args.length + " arguments", "cairn:del TABLE KEY");
        }
        return store().table(args[0]).delete(bytes(args[1])) ? "deleted" : "(no value under " + args[1] + ")";
    }

    @Descriptor("print the entries of a key range, in order")
    public String scan(@Descriptor("TABLE [FROM [TO]] [--limit N] [--reverse]") String... args) {
        String usage = "cairn:scan TABLE [FROM [TO]] [--limit N] [--reverse]";
        String table = null;
        String from = null;
        String to = null;
        long limit = 100;
        boolean reverse = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--reverse")) {
                reverse = true;
            } else if (a.equals("--limit")) {
                if (i + 1 >= args.length) {
                    throw usage("--limit needs a number", usage);
                }
                limit = number("--limit", args[++i], 1, Long.MAX_VALUE, usage);
            } else if (a.startsWith("--")) {
                throw usage("unknown option " + a, usage);
            } else if (table == null) {
                table = a;
            } else if (from == null) {
                from = a;
            } else if (to == null) {
                to = a;
            } else {
                throw usage("too many arguments", usage);
            }
        }
        if (table == null) {
            throw usage("scan needs a table", usage);
        }
        KeyRange range = new KeyRange(from == null ? null : bytes(from), to == null ? null : bytes(to));
        StringBuilder sb = new StringBuilder();
        long n = 0;
        try (Cursor c = store().table(table).cursor(range, reverse ? ScanDirection.BACKWARD : ScanDirection.FORWARD)) {
            while (n < limit && c.next()) {
                sb.append(text(c.key())).append(" = ").append(text(c.value())).append('\n');
                n++;
            }
            if (n == limit && c.next()) {
                sb.append("(more; raise --limit)\n");
            }
        }
        return n == 0 ? "(no entries)" : sb.toString().stripTrailing();
    }

    static long number(String option, String text, long min, long max, String usage) {
        long value;
        try {
            value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw usage(option + " needs a whole number, got '" + text + "'", usage);
        }
        if (value < min || value > max) {
            throw usage(option + " must be from " + min + " to " + max + ", got " + value, usage);
        }
        return value;
    }

    @Descriptor("take a checkpoint now: flush every changed page and record the checkpoint")
    public String checkpoint(String... args) throws IOException {
        noArguments("checkpoint", args);
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException("the engine is not running (see cairn:status)");
        }
        return "checkpoint at LSN " + e.checkpoint();
    }

    @Descriptor("check every table's structure and every page's checksum")
    public String verify(String... args) {
        noArguments("verify", args);
        KeyValueStore s = store();
        List<String> problems = s.verify();
        return problems.isEmpty() ? "all " + s.tableNames().size() + " tables are sound"
                : problems.size() + " problems:\n" + String.join("\n", problems);
    }

    @Descriptor("run a workload with a live progress line: cairn:bench --help for the options")
    public String bench(@Descriptor("[--workload W] [--threads N] [--seconds S | --ops N] [--keys N] [--load N] ...")
            String... args) throws Exception {
        PrintStream out = System.out; // Gogo's session output on this thread
        try {
            return BenchCommand.run(store(), args, out);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("cairn:bench needs the io.cairn.kv bundle (its workload driver) to be"
                    + " active: " + e.getMessage());
        } catch (CairnException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
