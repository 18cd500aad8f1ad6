package io.cairn.redo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class CommitDurabilityTest {

    @Test
    void levelsMustCarryInnoDbNumbers() {
        assertEquals(CommitDurability.PERIODIC, CommitDurability.parse("durability", "0"));
        assertEquals(CommitDurability.SYNC_ON_COMMIT, CommitDurability.parse("durability", "1"));
        assertEquals(CommitDurability.WRITE_ON_COMMIT, CommitDurability.parse("durability", " write_on_commit "));
    }

    @Test
    void unknownLevelMustNameKeyValueAndChoices() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> CommitDurability.parse("commitDurability", "3"));
        assertEquals("invalid setting commitDurability=3: allowed: 0 (PERIODIC), 1 (SYNC_ON_COMMIT) or 2 (WRITE_ON_COMMIT)",
                e.getMessage());
    }
}
