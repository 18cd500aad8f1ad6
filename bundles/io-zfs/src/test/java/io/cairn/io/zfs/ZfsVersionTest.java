package io.cairn.io.zfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZfsVersionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // text as /sys/module/zfs/version prints it, major, minor, patch, rc, commits since tag
        "2.3.1-1,                    2, 3, 1,  0, -1",
        "2.3.0-rc4,                  2, 3, 0,  4, -1",
        "2.3.99-94_g0ffa6f346,       2, 3, 99, 0, 94",
        "2.3.99-96_gc8a326aab7,      2, 3, 99, 0, 96",
        "2.4.99-12.gabc1234d,        2, 4, 99, 0, 12",
        "0.7.13-1,                   0, 7, 13, 0, -1",
        "2.1.11-1+deb12u1,           2, 1, 11, 0, -1",
        "2.2.2-0ubuntu9.1,           2, 2, 2,  0, -1",
        "2.2.7-pve2,                 2, 2, 7,  0, -1",
        "2.3.0-rc4_5_gdeadbeef,      2, 3, 0,  4, 5",
        "zfs-kmod-2.2.6-1,           2, 2, 6,  0, -1",
        "2.4.0,                      2, 4, 0,  0, -1",
    })
    void versionStringsOfReleasesGitBuildsAndDistributionsMustParse(String text, int major, int minor, int patch,
            int rc, int commits) {
        ZfsVersion v = ZfsVersion.parse(text).orElseThrow();
        assertEquals(major, v.major());
        assertEquals(minor, v.minor());
        assertEquals(patch, v.patch());
        assertEquals(rc, v.releaseCandidate());
        assertEquals(commits, v.commitsSinceTag());
        assertEquals(text.trim(), v.text());
    }

    @Test
    void theTrailingNewlineOfTheSysfsFileMustBeIgnored() {
        assertEquals("2.3.1-1", ZfsVersion.parse("2.3.1-1\n").orElseThrow().text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "zfs", "two.three", "2", "v2.3.1"})
    void textThatIsNotAVersionMustBeRejected(String text) {
        assertTrue(ZfsVersion.parse(text).isEmpty(), text);
    }

    @Test
    void comparisonsMustUseTheNumbersOnly() {
        ZfsVersion v = ZfsVersion.parse("2.3.99-94_g0ffa6f346").orElseThrow();
        assertTrue(v.isAtLeast(2, 3, 3));
        assertTrue(v.isAtLeast(2, 3, 99));
        assertFalse(v.isAtLeast(2, 4, 0));
        assertTrue(v.isDevelopmentBuild());
        assertFalse(ZfsVersion.parse("0.7.13-1").orElseThrow().isAtLeast(0, 8, 0));
        assertTrue(ZfsVersion.parse("2.3.0-rc4").orElseThrow().isReleaseCandidate());
    }
}
