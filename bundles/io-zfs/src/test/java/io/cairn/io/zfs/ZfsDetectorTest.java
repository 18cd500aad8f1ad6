package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.FileRole;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Detection details beyond the decision table, over replayed answers. */
class ZfsDetectorTest {

    private static final Path MOUNT = Path.of("/tank/db");

    @Test
    void statfsMagicMustIdentifyOpenZfsWhenTheMountTableIsUnreadable() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs("2.3.3-1", MOUNT, "tank/db", 16384)
                .tunable("zfs_dio_enabled", 1).mountInfoUnreadable();
        ZfsFacts facts = new ZfsDetector(env, "zfs", 5_000, 0).detect(MOUNT);
        assertEquals(ZfsKind.OPENZFS, facts.kind());
        assertEquals("zfs", facts.fileSystemType());
        assertTrue(facts.dataset().isEmpty());
        assertTrue(env.commands().isEmpty(), "without a dataset the CLI has nothing to ask");
        assertEquals(16384, facts.recordSizeBytes().orElseThrow());
        assertTrue(facts.notes().get(0).startsWith("/proc/self/mountinfo not readable"), facts.notes().toString());
        IoChoice choice = ZfsIoPolicy.decide(facts, 16384, FileRole.DATA, DirectIoMode.AUTO);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertTrue(choice.reason().contains("direct is unknown (dataset unknown)"), choice.reason());
    }

    @Test
    void overlayOnTopOfZfsMustNotCountAsZfs() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.ext4();
        ZfsEnvironment overlay = new ForwardingEnvironment(env) {
            @Override
            public java.util.List<String> mountInfo() {
                return java.util.List.of("27 1 254:0 / / rw - ext4 /dev/vda rw",
                        "90 27 0:70 / /var/lib/data rw,relatime - overlay overlay rw,lowerdir=/tank/l,upperdir=/tank/u");
            }

            @Override
            public OptionalLong statfsMagic(Path path) {
                return OptionalLong.of(0x794c7630L);
            }
        };
        ZfsFacts facts = new ZfsDetector(overlay, "zfs", 5_000, 0).detect(Path.of("/var/lib/data/db"));
        assertEquals(ZfsKind.NOT_ZFS, facts.kind());
        assertEquals("overlay", facts.fileSystemType());
    }

    @Test
    void propertyAnswersMustBeReusedWithinTheCacheTimeAndAskedAgainWhenForgotten() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs("2.3.3-1", MOUNT, "tank/db", 16384)
                .typicalDataProperties("standard");
        ZfsDetector detector = new ZfsDetector(env, "zfs", 5_000, 3_600_000);
        detector.detect(MOUNT);
        detector.detect(MOUNT.resolve("sub"));
        assertEquals(ZfsDetector.PROPERTIES.size(), env.commands().size());
        detector.forgetProperties();
        detector.detect(MOUNT);
        assertEquals(2 * ZfsDetector.PROPERTIES.size(), env.commands().size());
    }

    @Test
    void eachPropertyMustBeAskedAloneWithParsableOutput() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs("2.3.3-1", Path.of("/tank/my data"), "tank/my data",
                16384).typicalDataProperties("standard");
        new ZfsDetector(env, "/usr/sbin/zfs", 5_000, 0).detect(Path.of("/tank/my data/x"));
        assertEquals(java.util.List.of("/usr/sbin/zfs", "get", "-Hp", "-o", "value", "recordsize", "tank/my data"),
                env.commands().get(0), "the dataset is passed unescaped, as one argument");
    }

    @Test
    void aDashMustCountAsNotApplicable() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs("2.3.3-1", MOUNT, "tank/db", 16384)
                .typicalDataProperties("standard").property("direct", "-");
        ZfsFacts facts = new ZfsDetector(env, "zfs", 5_000, 0).detect(MOUNT);
        assertEquals("not applicable to this dataset", facts.unknownProperties().get("direct"));
    }

    @Test
    void anUnparsableVersionMustBeReportedAndKeepTheBufferedPath() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs("unknown-build", MOUNT, "tank/db", 16384)
                .typicalDataProperties("standard").tunable("zfs_dio_enabled", 1);
        ZfsFacts facts = new ZfsDetector(env, "zfs", 5_000, 0).detect(MOUNT);
        assertTrue(facts.notes().contains("cannot parse OpenZFS version 'unknown-build'"), facts.notes().toString());
        IoChoice choice = ZfsIoPolicy.decide(facts, 16384, FileRole.DATA, DirectIoMode.AUTO);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertTrue(choice.reason().startsWith("OpenZFS version 'unknown-build' cannot be parsed"), choice.reason());
    }

    /** Forwards every question to another environment; tests override single answers. */
    private static class ForwardingEnvironment implements ZfsEnvironment {
        private final ZfsEnvironment target;

        ForwardingEnvironment(ZfsEnvironment target) {
            this.target = target;
        }

        @Override
        public java.util.List<String> mountInfo() throws java.io.IOException {
            return target.mountInfo();
        }

        @Override
        public OptionalLong statfsMagic(Path path) {
            return target.statfsMagic(path);
        }

        @Override
        public OptionalLong fileSystemBlockSizeBytes(Path path) {
            return target.fileSystemBlockSizeBytes(path);
        }

        @Override
        public java.util.Optional<FileBlocks> fileBlocks(Path file) {
            return target.fileBlocks(file);
        }

        @Override
        public java.util.Optional<String> zfsModuleFile(String relativePath) {
            return target.zfsModuleFile(relativePath);
        }

        @Override
        public CommandResult run(java.util.List<String> command, long timeoutMillis) {
            return target.run(command, timeoutMillis);
        }
    }
}
