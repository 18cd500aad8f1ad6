package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.FileRole;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision table, fed by detection over replayed answers of real machines: mountinfo lines,
 * {@code /sys/module/zfs} contents and {@code zfs get -Hp -o value} outputs as OpenZFS prints them.
 * Every row asserts the path and the reason an operator would read.
 */
class ZfsDecisionTableTest {

    private static final Path MOUNT = Path.of("/tank/db");
    private static final String DATASET = "tank/db";
    private static final int PAGE = 16384;
    /** Stands for the real answer of an OpenZFS before 2.3: {@code invalid property 'direct'}. */
    private static final String NO_SUCH_PROPERTY = "no-such-property";

    // ------------------------------------------------------------------ helpers

    private static ReplayedZfsEnvironment openZfs(String version, String direct) {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.openZfs(version, MOUNT, DATASET, PAGE);
        if (version.startsWith("0.") || version.startsWith("2.1") || version.startsWith("2.2")) {
            env.pre23Properties();
        } else {
            env.typicalDataProperties(direct).tunable("zfs_dio_enabled", 1);
            if (version.startsWith("2.4")) {
                env.tunable("zfs_dio_strict", 0);
            }
        }
        if (direct.equals(NO_SUCH_PROPERTY)) {
            env.invalidProperty("direct");
        } else {
            env.property("direct", direct);
        }
        return env;
    }

    private static ZfsFacts detect(ZfsEnvironment env) {
        return new ZfsDetector(env, "zfs", 5_000, 0).detect(MOUNT, MOUNT.resolve("ibdata"));
    }

    private static IoChoice decide(ZfsEnvironment env, int pageSizeBytes, FileRole role) {
        return ZfsIoPolicy.decide(detect(env), pageSizeBytes, role, DirectIoMode.AUTO);
    }

    private static IoChoice decideData(ZfsEnvironment env) {
        return decide(env, PAGE, FileRole.DATA);
    }

    private static void assertReason(IoChoice choice, String fragment) {
        assertTrue(choice.reason().contains(fragment), "reason must contain '" + fragment + "': " + choice.reason());
    }

    private static void assertAdvice(IoChoice choice, String fragment) {
        assertTrue(String.join("; ", choice.advice()).contains(fragment),
                "advice must contain '" + fragment + "': " + choice.advice());
    }

    // ------------------------------------------------------------------ version rows

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(strings = {"standard", "disabled", NO_SUCH_PROPERTY})
    void openZfs07MustUseBufferedPathBecauseODirectFailsWithEinval(String direct) {
        IoChoice choice = decideData(openZfs("0.7.13-1", direct));
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "OpenZFS 0.7.13-1 is older than 0.8: open(O_DIRECT) fails with EINVAL");
        assertAdvice(choice, "set primarycache=metadata on tank/db (now all)");
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(strings = {"standard", "disabled", NO_SUCH_PROPERTY})
    void openZfs21MustUseBufferedPathAndAdviseMetadataCachingBecauseODirectStillUsesTheArc(String direct) {
        IoChoice choice = decideData(openZfs("2.1.11-1", direct));
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "OpenZFS 2.1.11-1 (0.8 to 2.2.x) accepts O_DIRECT but still copies through the ARC");
        assertAdvice(choice, "set primarycache=metadata on tank/db");
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(strings = {"standard", "disabled"})
    void openZfs2399Build94MustUseBufferedPath(String direct) {
        IoChoice choice = decideData(openZfs("2.3.99-94_g0ffa6f346", direct));
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "OpenZFS 2.3.99-94_g0ffa6f346 is deny-listed: development builds before 2.3.99-96");
        assertReason(choice, "openzfs/zfs#16642");
        assertEquals(direct.equals("disabled"), choice.reason().contains("direct=disabled"), choice.reason());
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(strings = {"standard", "disabled"})
    void openZfs2399Build96MustUseDirectPathUnlessDirectIsDisabled(String direct) {
        IoChoice choice = decideData(openZfs("2.3.99-96_gc8a326aab7", direct));
        if (direct.equals("standard")) {
            assertEquals(IoPath.DIRECT, choice.path(), choice.reason());
            assertReason(choice, "OpenZFS 2.3.99-96_gc8a326aab7 with direct=standard, zfs_dio_enabled=1 and page size"
                    + " = recordsize = 16384: Direct I/O bypasses the ARC");
            assertFalse(choice.reason().contains("deny"), choice.reason());
            assertAdvice(choice, "development build");
        } else {
            assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
            assertReason(choice, "dataset tank/db has direct=disabled");
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(strings = {"standard", "disabled"})
    void openZfs233MustUseDirectPathUnlessDirectIsDisabled(String direct) {
        IoChoice choice = decideData(openZfs("2.3.3-1", direct));
        if (direct.equals("standard")) {
            assertEquals(IoPath.DIRECT, choice.path(), choice.reason());
            assertReason(choice, "every sync is still a real fsync");
            assertFalse(choice.reason().contains("warning"), "2.3.3 is the recommended minimum: " + choice.reason());
            assertAdvice(choice, "prefer OpenZFS 2.3.8+ or 2.4.3+");
        } else {
            assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
            assertReason(choice, "OpenZFS 2.3.3-1: buffered I/O + fsync because dataset tank/db has direct=disabled");
            // primarycache is already metadata on this dataset: nothing to advise about caching.
            assertFalse(String.join(";", choice.advice()).contains("primarycache"), choice.advice().toString());
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(strings = {"standard", "always", "disabled"})
    void openZfs24MustUseDirectPathUnlessDirectIsDisabled(String direct) {
        IoChoice choice = decideData(openZfs("2.4.0-1", direct));
        if (direct.equals("disabled")) {
            assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
            assertReason(choice, "direct=disabled");
        } else {
            assertEquals(IoPath.DIRECT, choice.path(), choice.reason());
            assertReason(choice, "OpenZFS 2.4.0-1 with direct=" + direct);
        }
    }

    @Test
    void openZfs231MustUseDirectPathButWarnBelow233() {
        IoChoice choice = decideData(openZfs("2.3.1-1", "standard"));
        assertEquals(IoPath.DIRECT, choice.path(), choice.reason());
        assertReason(choice, "warning: OpenZFS 2.3.1-1 is below 2.3.3, the recommended minimum for Direct I/O");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2.3.0-rc1", "2.3.0-rc2", "2.3.0-rc3"})
    void openZfs230ReleaseCandidatesBeforeRc4MustUseBufferedPath(String version) {
        IoChoice choice = decideData(openZfs(version, "standard"));
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "2.3.0-rc1 to rc3 lack the O_DIRECT 'Bad page state' fix");
    }

    @Test
    void openZfs2399WithoutCommitCountMustUseBufferedPath() {
        IoChoice choice = decideData(openZfs("2.3.99-1", "standard"));
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "2.3.99 development build without a commit count");
    }

    @Test
    void dioEnabledZeroMustUseBufferedPath() {
        ReplayedZfsEnvironment env = openZfs("2.3.0-rc5", "standard").tunable("zfs_dio_enabled", 0);
        IoChoice choice = decideData(env);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "zfs_dio_enabled=0 turns Direct I/O off for every dataset");
    }

    @Test
    void directIoOffInConfigurationMustUseBufferedPath() {
        IoChoice choice = ZfsIoPolicy.decide(detect(openZfs("2.3.3-1", "standard")), PAGE, FileRole.DATA, DirectIoMode.OFF);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "turned off by configuration (directIo=off)");
    }

    @Test
    void deduplicatedDatasetMustBeWarnedThatDirectWritesSkipDedup() {
        IoChoice choice = decideData(openZfs("2.3.3-1", "standard").property("dedup", "on"));
        assertEquals(IoPath.DIRECT, choice.path());
        assertAdvice(choice, "dedup=on: Direct I/O writes are not deduplicated");
    }

    // ------------------------------------------------------------------ other rows

    @Test
    void zfsFuseMustUseBufferedPath() {
        ReplayedZfsEnvironment env = ReplayedZfsEnvironment.zfsFuse(MOUNT, DATASET).property("recordsize", "16384")
                .invalidProperty("direct").invalidProperty("sync").property("primarycache", "all")
                .property("compression", "off").property("logbias", "latency").property("atime", "on")
                .property("dedup", "off");
        ZfsFacts facts = detect(env);
        assertEquals(ZfsKind.ZFS_FUSE, facts.kind());
        IoChoice choice = ZfsIoPolicy.decide(facts, PAGE, FileRole.DATA, DirectIoMode.AUTO);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "zfs-fuse: O_DIRECT is accepted but bypasses no cache");
        assertAdvice(choice, "primarycache=metadata");
    }

    @Test
    void nonZfsMustUseBufferedPathWithReasonNotZfs() {
        IoChoice choice = decideData(ReplayedZfsEnvironment.ext4());
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertEquals("not ZFS (ext4)", choice.reason());
        IoChoice redo = decide(ReplayedZfsEnvironment.ext4(), 512, FileRole.REDO);
        assertEquals(IoPath.BUFFERED_FDATASYNC, redo.path());
    }

    @Test
    void unknownCliPropertyMustFailOnlyItself() {
        // A 2.2 userland on a 2.3 kernel module: the CLI does not know 'direct', knows the rest.
        ReplayedZfsEnvironment env = openZfs("2.3.3-1", "standard").invalidProperty("direct");
        ZfsFacts facts = detect(env);
        assertEquals(List.of("direct"), List.copyOf(facts.unknownProperties().keySet()));
        assertTrue(facts.unknownProperties().get("direct").contains("bad property list: invalid property 'direct'"));
        assertEquals("metadata", facts.property("primarycache").orElseThrow());
        assertEquals(16384, facts.recordSizeBytes().orElseThrow());
        assertEquals("zfs get recordsize", facts.recordSizeSource());
        assertEquals(ZfsDetector.PROPERTIES.size(), env.commands().size(), "one CLI call per property");
        IoChoice choice = ZfsIoPolicy.decide(facts, PAGE, FileRole.DATA, DirectIoMode.AUTO);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "dataset property direct is unknown");
    }

    @Test
    void cliMissingMustLeavePropertiesUnknownAndTakeRecordsizeFromStatfs() {
        ReplayedZfsEnvironment env = openZfs("2.3.3-1", "standard").cliMissing();
        ZfsFacts facts = detect(env);
        assertTrue(facts.properties().isEmpty(), facts.properties().toString());
        assertEquals(ZfsDetector.PROPERTIES.size(), facts.unknownProperties().size());
        assertTrue(facts.unknownProperties().get("dedup").startsWith("zfs CLI not available"), facts.unknownProperties().toString());
        assertEquals(1, env.commands().size(), "a missing CLI is asked once, not once per property");
        assertEquals(16384, facts.recordSizeBytes().orElseThrow());
        assertEquals("statfs block size", facts.recordSizeSource());
        IoChoice choice = ZfsIoPolicy.decide(facts, PAGE, FileRole.DATA, DirectIoMode.AUTO);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "dataset property direct is unknown (zfs CLI not available");
    }

    @Test
    void cliThatHangsMustBeAskedOnceAndLeavePropertiesUnknown() {
        ReplayedZfsEnvironment env = openZfs("2.3.3-1", "standard").cliHangs();
        ZfsFacts facts = detect(env);
        assertEquals(1, env.commands().size());
        assertTrue(facts.unknownProperties().get("direct").startsWith("zfs CLI timed out after 5000 ms"));
        assertEquals(IoPath.BUFFERED_FSYNC, ZfsIoPolicy.decide(facts, PAGE, FileRole.DATA, DirectIoMode.AUTO).path());
    }

    @Test
    void recordsizeDifferentFromPageSizeMustUseBufferedPath() {
        ReplayedZfsEnvironment env = openZfs("2.3.3-1", "standard").property("recordsize", "131072");
        IoChoice choice = decideData(env);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "page size 16384 differs from the recordsize 131072: direct writes that do not cover whole"
                + " records go through the ARC anyway");
    }

    @Test
    void fileThatKeptAnOldRecordSizeMustUseBufferedPath() {
        ReplayedZfsEnvironment env = openZfs("2.3.3-1", "standard").fileBlocks(MOUNT.resolve("ibdata"), 131072, 8 << 20);
        IoChoice choice = decideData(env);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "differs from the file's record size 131072");
    }

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {0, 6144})
    void pageSizeUnknownOrNotPageAlignedMustUseBufferedPath(int pageSizeBytes) {
        IoChoice choice = decide(openZfs("2.3.3-1", "standard"), pageSizeBytes, FileRole.DATA);
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, pageSizeBytes == 0 ? "page size (I/O unit) of the file is not known" : "not a multiple of 4 KiB");
    }

    @Test
    void redoFilesMustAlwaysUseBufferedFdatasync() {
        IoChoice choice = decide(openZfs("2.4.0-1", "standard"), 512, FileRole.REDO);
        assertEquals(IoPath.BUFFERED_FDATASYNC, choice.path());
        assertReason(choice, "small synchronous appends go to the ZIL");
    }

    @Test
    void doublewriteFilesMustFollowTheDataRules() {
        assertEquals(IoPath.DIRECT, decide(openZfs("2.4.0-1", "standard"), PAGE, FileRole.DOUBLEWRITE).path());
    }

    @Test
    void unknownModuleVersionMustUseBufferedPath() {
        IoChoice choice = decideData(openZfs("2.3.3-1", "standard").withoutModuleVersion());
        assertEquals(IoPath.BUFFERED_FSYNC, choice.path());
        assertReason(choice, "OpenZFS version unknown (/sys/module/zfs/version not readable)");
    }

    @Test
    void directPathMustNeverBeChosenWithoutFsync() {
        for (String version : List.of("2.3.1-1", "2.3.3-1", "2.3.99-96_gc8a326aab7", "2.4.0-1", "2.4.99-3.gabcdef12")) {
            IoChoice choice = decideData(openZfs(version, "standard"));
            assertEquals(IoPath.DIRECT, choice.path(), version + ": " + choice.reason());
            assertReason(choice, "every sync is still a real fsync: O_DIRECT does not imply O_SYNC on ZFS");
        }
    }
}
