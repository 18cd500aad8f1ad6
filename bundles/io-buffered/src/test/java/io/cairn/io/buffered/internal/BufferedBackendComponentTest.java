package io.cairn.io.buffered.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.config.InvalidSettingException;
import io.cairn.io.buffered.SyncMethod;
import org.junit.jupiter.api.Test;

class BufferedBackendComponentTest {

    @Test
    void syncMethodMustAcceptBothNamesInAnyCase() {
        assertEquals(SyncMethod.FSYNC, BufferedBackendComponent.parseSyncMethod("fsync"));
        assertEquals(SyncMethod.FDATASYNC, BufferedBackendComponent.parseSyncMethod(" FDataSync "));
    }

    @Test
    void unknownSyncMethodMustBeRejectedNamingKeyValueAndChoices() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> BufferedBackendComponent.parseSyncMethod("O_DIRCT"));
        assertEquals("invalid setting syncMethod=O_DIRCT: allowed: fdatasync or fsync", e.getMessage());
    }
}
