package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {

    private static final List<String> LINES = List.of(
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
            "62 27 0:52 / /tank rw,noatime shared:33 - zfs tank rw,xattr,posixacl,casesensitive",
            "63 62 0:53 / /tank/my\\040data rw,noatime shared:34 - zfs tank/my\\040data rw,xattr,posixacl",
            "64 27 0:54 / /tank2 rw,noatime shared:35 - zfs other rw,xattr,posixacl",
            "42 27 0:39 / /var/tmp/zt/mnt\\040dir rw,relatime - fuse.zfs cairnexp rw,user_id=0,group_id=0,allow_other",
            "80 62 0:60 / /tank/snap rw - zfs tank@monday rw",
            "81 62 0:61 / /tank/snap rw - tmpfs tmpfs rw");

    @Test
    void octalEscapesInMountPointsAndSourcesMustBeDecoded() {
        MountTable.Mount mount = MountTable.mountOf(LINES, Path.of("/tank/my data/t1.ibd")).orElseThrow();
        assertEquals(Path.of("/tank/my data"), mount.mountPoint());
        assertEquals("tank/my data", mount.source());
        assertEquals("zfs", mount.fileSystemType());
        assertEquals("a\tb\\c\nd", MountTable.unescape("a\\011b\\134c\\012d"));
    }

    @Test
    void theLongestMountPointPrefixMustWinByPathComponents() {
        assertEquals("tank", MountTable.mountOf(LINES, Path.of("/tank/other/x")).orElseThrow().source());
        assertEquals("other", MountTable.mountOf(LINES, Path.of("/tank2/x")).orElseThrow().source());
        assertEquals("ext4", MountTable.mountOf(LINES, Path.of("/home/x")).orElseThrow().fileSystemType());
        assertEquals("fuse.zfs", MountTable.mountOf(LINES, Path.of("/var/tmp/zt/mnt dir/d")).orElseThrow().fileSystemType());
    }

    @Test
    void theLastOfStackedMountsMustWin() {
        assertEquals("tmpfs", MountTable.mountOf(LINES, Path.of("/tank/snap/f")).orElseThrow().fileSystemType());
    }

    @Test
    void malformedLinesMustBeSkipped() {
        assertTrue(MountTable.parse("garbage").isEmpty());
        assertTrue(MountTable.parse("1 2 3 4 5 6 7 8 9").isEmpty());
        assertTrue(MountTable.mountOf(List.of("", "x y"), Path.of("/a")).isEmpty());
    }
}
