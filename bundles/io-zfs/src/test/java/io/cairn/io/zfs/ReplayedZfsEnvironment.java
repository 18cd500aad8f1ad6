package io.cairn.io.zfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ZfsEnvironment} that answers what a real machine answered: mountinfo lines, sysfs file
 * contents and {@code zfs get} outputs as OpenZFS and zfs-fuse print them.
 */
final class ReplayedZfsEnvironment implements ZfsEnvironment {

    /** What {@code zfs get} prints on stderr (exit 2) for a property this zfs does not know. */
    static String invalidPropertyStderr(String property) {
        return "bad property list: invalid property '" + property + "'\n"
                + "usage:\n"
                + "\tget [-rHp] [-d max] [-o \"all\" | field[,...]]\n"
                + "\t    [-t type[,...]] [-s source[,...]]\n"
                + "\t    <\"all\" | property[,...]> [filesystem|volume|snapshot|bookmark] ...\n";
    }

    private final List<String> mountInfo = new ArrayList<>();
    private final Map<String, String> moduleFiles = new HashMap<>();
    private final Map<String, CommandResult> propertyAnswers = new HashMap<>();
    private final Map<Path, FileBlocks> fileBlocks = new HashMap<>();
    private final List<List<String>> commands = new CopyOnWriteArrayList<>();
    /** What the CLI does with a call that has no recorded answer; null: it says "invalid property". */
    private CommandResult unanswered;
    private OptionalLong magic = OptionalLong.empty();
    private OptionalLong blockSize = OptionalLong.empty();
    private boolean mountInfoReadable = true;

    /**
     * An OpenZFS mount of {@code dataset} at {@code mountPoint} with the given module version,
     * statfs answering ZFS_SUPER_MAGIC and {@code recordsizeBytes} as block size; the CLI answers
     * {@code recordsize} (and nothing else until told).
     */
    static ReplayedZfsEnvironment openZfs(String moduleVersion, Path mountPoint, String dataset, long recordsizeBytes) {
        ReplayedZfsEnvironment env = new ReplayedZfsEnvironment();
        env.mountInfo.add("22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw");
        env.mountInfo.add("27 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro");
        env.mountInfo.add("62 27 0:52 / " + escape(mountPoint) + " rw,noatime shared:33 - zfs " + escapeSource(dataset)
                + " rw,xattr,posixacl,casesensitive");
        env.moduleFiles.put("version", moduleVersion + "\n");
        env.magic = OptionalLong.of(ZfsFacts.ZFS_SUPER_MAGIC);
        env.blockSize = OptionalLong.of(recordsizeBytes);
        env.property("recordsize", Long.toString(recordsizeBytes));
        return env;
    }

    /** A zfs-fuse mount as zfs-fuse 0.7.0 shows it; statfs says FUSE with 512-byte blocks. */
    static ReplayedZfsEnvironment zfsFuse(Path mountPoint, String dataset) {
        ReplayedZfsEnvironment env = new ReplayedZfsEnvironment();
        env.mountInfo.add("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard");
        env.mountInfo.add("42 27 0:39 / " + escape(mountPoint) + " rw,relatime - fuse.zfs " + escapeSource(dataset)
                + " rw,user_id=0,group_id=0,default_permissions,allow_other");
        env.magic = OptionalLong.of(0x65735546L);
        env.blockSize = OptionalLong.of(512);
        return env;
    }

    /** A plain ext4 root. */
    static ReplayedZfsEnvironment ext4() {
        ReplayedZfsEnvironment env = new ReplayedZfsEnvironment();
        env.mountInfo.add("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard");
        env.magic = OptionalLong.of(0xef53L);
        env.blockSize = OptionalLong.of(4096);
        return env;
    }

    ReplayedZfsEnvironment tunable(String name, int value) {
        moduleFiles.put("parameters/" + name, value + "\n");
        return this;
    }

    ReplayedZfsEnvironment withoutModuleVersion() {
        moduleFiles.remove("version");
        return this;
    }

    /** {@code zfs get -Hp -o value NAME DATASET} prints {@code value} and exits 0. */
    ReplayedZfsEnvironment property(String name, String value) {
        propertyAnswers.put(name, CommandResult.exited(0, value + "\n", ""));
        return this;
    }

    /** {@code zfs get} does not know the property: exit 2 with the real usage text. */
    ReplayedZfsEnvironment invalidProperty(String name) {
        propertyAnswers.put(name, CommandResult.exited(2, "", invalidPropertyStderr(name)));
        return this;
    }

    /** The answers of a typical OpenZFS 2.3+ dataset tuned for 16K pages. */
    ReplayedZfsEnvironment typicalDataProperties(String direct) {
        return property("direct", direct).property("primarycache", "metadata").property("compression", "lz4")
                .property("logbias", "throughput").property("atime", "off").property("sync", "standard")
                .property("dedup", "off");
    }

    /** The answers of an OpenZFS before 2.3 (no {@code direct} property), default settings. */
    ReplayedZfsEnvironment pre23Properties() {
        return invalidProperty("direct").property("primarycache", "all").property("compression", "on")
                .property("logbias", "latency").property("atime", "on").property("sync", "standard")
                .property("dedup", "off");
    }

    /** The CLI is not installed: every call is NOT_FOUND. */
    ReplayedZfsEnvironment cliMissing() {
        propertyAnswers.clear();
        unanswered = CommandResult.notFound("zfs not found on the PATH or in /sbin, /usr/sbin, /usr/local/sbin");
        return this;
    }

    /** Every call overruns its timeout. */
    ReplayedZfsEnvironment cliHangs() {
        propertyAnswers.clear();
        unanswered = CommandResult.timedOut("zfs get -Hp -o value recordsize tank/db did not finish within 5000 ms"
                + " and was destroyed");
        return this;
    }

    ReplayedZfsEnvironment fileBlocks(Path file, long blockSizeBytes, long sizeBytes) {
        fileBlocks.put(file, new FileBlocks(blockSizeBytes, sizeBytes));
        return this;
    }

    ReplayedZfsEnvironment mountInfoUnreadable() {
        mountInfoReadable = false;
        return this;
    }

    /** The CLI calls made so far. */
    List<List<String>> commands() {
        return commands;
    }

    @Override
    public List<String> mountInfo() throws IOException {
        if (!mountInfoReadable) {
            throw new java.nio.file.AccessDeniedException("/proc/self/mountinfo");
        }
        return List.copyOf(mountInfo);
    }

    @Override
    public OptionalLong statfsMagic(Path path) {
        return magic;
    }

    @Override
    public OptionalLong fileSystemBlockSizeBytes(Path path) {
        return blockSize;
    }

    @Override
    public Optional<FileBlocks> fileBlocks(Path file) {
        return Optional.ofNullable(fileBlocks.get(file));
    }

    @Override
    public Optional<String> zfsModuleFile(String relativePath) {
        return Optional.ofNullable(moduleFiles.get(relativePath)).map(String::trim);
    }

    @Override
    public CommandResult run(List<String> command, long timeoutMillis) {
        commands.add(List.copyOf(command));
        // zfs get -Hp -o value PROPERTY DATASET
        if (command.size() == 7 && command.get(1).equals("get") && propertyAnswers.containsKey(command.get(5))) {
            return propertyAnswers.get(command.get(5));
        }
        if (unanswered != null) {
            return unanswered;
        }
        return CommandResult.exited(2, "", invalidPropertyStderr(command.size() > 5 ? command.get(5) : "?"));
    }

    private static String escape(Path path) {
        return path.toString().replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011");
    }

    private static String escapeSource(String source) {
        return source.replace("\\", "\\134").replace(" ", "\\040");
    }
}
