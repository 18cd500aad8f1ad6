package io.cairn.io.zfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.io.zfs.CommandResult;
import io.cairn.io.zfs.ZfsDetector;
import io.cairn.io.zfs.ZfsEnvironment;
import io.cairn.io.zfs.ZfsFacts;
import io.cairn.io.zfs.ZfsKind;
import io.cairn.testkit.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real machine's answers: processes, the mount table, statfs/statx through JNA, sysfs files. */
class SystemZfsEnvironmentTest {

    private Path dir;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("cairn-zfs-env-").toRealPath();
    }

    @AfterEach
    void deleteDir() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aCommandThatOverrunsItsTimeoutMustBeDestroyed() throws IOException {
        Path zfs = script("zfs", "echo $$ > \"$0.pid\"\nexec sleep 600");
        CommandResult result = new SystemZfsEnvironment().run(List.of(zfs.toString(), "get", "-Hp", "-o", "value",
                "recordsize", "tank/db"), 500);
        assertEquals(CommandResult.Status.TIMED_OUT, result.status());
        assertTrue(result.stderr().contains("did not finish within 500 ms and was destroyed"), result.stderr());
        Path pidFile = Path.of(zfs + ".pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " must be gone");
        }
    }

    @Test
    void exitStatusStdoutAndStderrMustBeReported() throws IOException {
        Path zfs = script("zfs", "echo 16384\necho 'bad property list: invalid property' >&2\nexit 2");
        CommandResult result = new SystemZfsEnvironment().run(List.of(zfs.toString(), "get"), 10_000);
        assertEquals(CommandResult.Status.EXITED, result.status());
        assertEquals(2, result.exitCode());
        assertEquals("16384\n", result.stdout());
        assertEquals("bad property list: invalid property", result.firstErrorLine());
    }

    @Test
    void aMissingCliMustBeReportedAsNotFound() {
        SystemZfsEnvironment env = new SystemZfsEnvironment();
        assertEquals(CommandResult.Status.NOT_FOUND, env.run(List.of(dir.resolve("zfs").toString(), "get"), 1000).status());
        assertEquals(CommandResult.Status.NOT_FOUND, env.run(List.of("cairn-no-such-zfs-cli", "get"), 1000).status());
    }

    @Test
    void moduleFilesMustBeReadTrimmedAndMissingOnesEmpty() throws IOException {
        Files.createDirectories(dir.resolve("parameters"));
        Files.writeString(dir.resolve("version"), "2.3.1-1\n");
        Files.writeString(dir.resolve("parameters/zfs_dio_enabled"), "1\n");
        SystemZfsEnvironment env = new SystemZfsEnvironment(Path.of("/proc/self/mountinfo"), dir);
        assertEquals(Optional.of("2.3.1-1"), env.zfsModuleFile("version"));
        assertEquals(Optional.of("1"), env.zfsModuleFile("parameters/zfs_dio_enabled"));
        assertEquals(Optional.empty(), env.zfsModuleFile("parameters/zfs_dio_strict"));
    }

    @Test
    void statfsAndStatxMustAnswerForTheLocalFileSystem() throws IOException {
        SystemZfsEnvironment env = new SystemZfsEnvironment();
        String type = Files.getFileStore(dir).type();
        long magic = env.statfsMagic(dir).orElseThrow();
        if (type.equals("ext4")) {
            assertEquals(0xef53L, magic);
        }
        Path file = dir.resolve("f");
        Files.write(file, new byte[10_000]);
        ZfsEnvironment.FileBlocks blocks = env.fileBlocks(file).orElseThrow();
        assertEquals(10_000, blocks.sizeBytes());
        assertTrue(blocks.blockSizeBytes() >= 512, blocks.toString());
        assertTrue(env.fileBlocks(dir.resolve("absent")).isEmpty());
        assertEquals(Files.getFileStore(dir).getBlockSize(), env.fileSystemBlockSizeBytes(dir.resolve("not/yet")).orElseThrow());
    }

    @Test
    void detectionOnTheLocalMachineMustFindTheMountOfTheTemporaryDirectory() throws IOException {
        ZfsFacts facts = new ZfsDetector(new SystemZfsEnvironment(), "zfs", 5_000, 0).detect(dir);
        String type = Files.getFileStore(dir).type();
        assertEquals(type, facts.fileSystemType());
        assertEquals(type.equals("zfs") ? ZfsKind.OPENZFS : type.equals("fuse.zfs") ? ZfsKind.ZFS_FUSE : ZfsKind.NOT_ZFS,
                facts.kind());
        assertTrue(facts.mountPoint().isPresent());
    }
}
