package io.cairn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@link ZfsFusePool} as its users see it. The pools live in fixture classes that a nested
 * launcher runs, so that what they leave behind can be checked after their test run has ended.
 */
class ZfsFusePoolTest {

    /** What a fixture saw while its pool was up. */
    record Seen(String pool, Path mountRoot, Path dataset, String recordSize, Set<Long> daemonPids) {
    }

    static final Queue<Seen> SEEN = new ConcurrentLinkedQueue<>();

    static Seen see(ZfsFusePool zfs, String dataset) throws Exception {
        Path mount = dataset == null ? zfs.mountPoint() : zfs.mountPoint(dataset);
        Files.writeString(mount.resolve("written"), "a file on the pool");
        assertTrue(ZfsFuseDaemon.mountsBelow(zfs.mountPoint()).contains(mount), mount + " must be mounted");
        String recordSize = Commands.run(List.of("zfs", "get", "-H", "-o", "value", "recordsize",
                dataset == null ? zfs.pool() : zfs.dataset(dataset)), 60_000).output().trim();
        Set<Long> daemons = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/zfs-fuse")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
        return new Seen(zfs.pool(), zfs.mountPoint(), mount, recordSize, daemons);
    }

    static class TwoPoolsFixture {
        @RegisterExtension
        static final ZfsFusePool SIXTEEN = ZfsFusePool.create().withDataset("data", "recordsize=16K");
        @RegisterExtension
        static final ZfsFusePool EIGHT = ZfsFusePool.create().withDataset("data", "recordsize=8K");

        @Test
        void look() throws Exception {
            SEEN.add(see(SIXTEEN, "data"));
            SEEN.add(see(EIGHT, "data"));
        }
    }

    static class FailingTestFixture {
        @RegisterExtension
        static final ZfsFusePool ROOT_ONLY = ZfsFusePool.create();

        @Test
        void lookAndFail() throws Exception {
            SEEN.add(see(ROOT_ONLY, null));
            fail("failing on purpose");
        }
    }

    static class FailingSetUpFixture {
        @RegisterExtension
        static final ZfsFusePool BAD_DATASET = ZfsFusePool.create().withDataset("bad", "recordsize=3K");

        @Test
        void neverRuns() {
            fail("the set-up must have failed");
        }
    }

    @Test
    void poolsOfOneRunMustShareOneDaemonUnderDistinctNamesAndLeaveNothingBehindEvenWhenTestsOrSetUpsFail()
            throws Exception {
        SEEN.clear();
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = fixtureDirectories(temp);

        Map<String, TestExecutionResult> results = run(TwoPoolsFixture.class, FailingTestFixture.class,
                FailingSetUpFixture.class);

        String skipped = results.values().stream().filter(r -> r.getStatus() == TestExecutionResult.Status.ABORTED)
                .map(r -> r.getThrowable().map(Throwable::getMessage).orElse("?")).findFirst().orElse(null);
        Assumptions.assumeTrue(skipped == null, () -> "the fixtures were skipped: " + skipped);

        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("look()").getStatus(), results.toString());
        assertEquals("failing on purpose", results.get("lookAndFail()").getThrowable().orElseThrow().getMessage());
        TestExecutionResult setUp = results.get("FailingSetUpFixture");
        assertEquals(TestExecutionResult.Status.FAILED, setUp.getStatus(), results.toString());
        String setUpFailure = setUp.getThrowable().orElseThrow().getMessage();
        assertTrue(setUpFailure.contains("zfs create -o recordsize=3K"), setUpFailure);
        assertFalse(results.containsKey("neverRuns()"), "a test must not run without its pool: " + results);

        List<Seen> seen = List.copyOf(SEEN);
        assertEquals(3, seen.size(), seen.toString());
        assertEquals(3, seen.stream().map(Seen::pool).distinct().count(), "pool names must be unique: " + seen);
        assertEquals(Set.of("16K", "8K", "128K"), seen.stream().map(Seen::recordSize).collect(Collectors.toSet()),
                "each pool's datasets have the properties asked for: " + seen);
        Set<Long> daemons = seen.stream().flatMap(s -> s.daemonPids().stream()).collect(Collectors.toSet());
        assertEquals(1, daemons.size(), "one daemon, a child of this JVM, serves every pool of the run: " + seen);

        long daemon = daemons.iterator().next();
        assertFalse(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false),
                "the daemon must be stopped when the run ends");
        for (Seen s : seen) {
            assertEquals(List.of(), ZfsFuseDaemon.mountsBelow(s.mountRoot()), "mounts left below " + s.mountRoot());
            assertFalse(Files.exists(s.mountRoot().getParent()), s.mountRoot().getParent() + " must be deleted");
        }
        assertEquals(before, fixtureDirectories(temp), "pool and daemon directories must all be deleted");
        try (FileChannel channel = FileChannel.open(ZfsFuseDaemon.LOCK_FILE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            assertNotNull(lock, "the machine-wide zfs-fuse lock must be given up when the run ends");
        }
    }

    /** Runs the classes in a launcher of their own; results by display name, classes by simple name. */
    private static Map<String, TestExecutionResult> run(Class<?>... classes) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(Stream.of(classes).map(c -> selectClass(c)).toList()).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        String name = id.getDisplayName();
                        results.put(name.substring(name.lastIndexOf('$') + 1), result);
                    }
                });
        return results;
    }

    private static Set<Path> fixtureDirectories(Path temp) throws IOException {
        try (Stream<Path> entries = Files.list(temp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("cairn-zfs-fuse-")).collect(Collectors.toSet());
        }
    }
}
