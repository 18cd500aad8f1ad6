package io.cairn.redo.circular.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.redo.circular.CircularRedoLogOptions;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class CircularRedoLogComponentTest {

    private static CircularRedoLogComponent.Config config(int bufferKib, long warningMillis) {
        return new CircularRedoLogComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CircularRedoLogComponent.Config.class;
            }

            @Override
            public int logBufferKibibytes() {
                return bufferKib;
            }

            @Override
            public long waitWarningMillis() {
                return warningMillis;
            }
        };
    }

    @Test
    void configurationMustMapToOptionsInBytes() {
        assertEquals(new CircularRedoLogOptions(1 << 20, 5000), CircularRedoLogComponent.options(config(1024, 5000)));
    }

    @Test
    void anUnusableConfigurationMustBeRejectedNamingTheSettingAndKeepThePreviousOne() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> CircularRedoLogComponent.options(config(1000, 5000)));
        assertEquals("logBufferBytes", e.key());
        CircularRedoLogComponent component = new CircularRedoLogComponent();
        component.configure(config(2048, 5000));
        component.configure(config(1000, 5000));
        assertEquals(2 << 20, component.currentOptions().logBufferBytes());
    }

    @Test
    void theServiceMustBeNamedCircularAndOfferToContinueAtAnLsn() {
        CircularRedoLogComponent component = new CircularRedoLogComponent();
        assertEquals("circular", component.name());
        assertTrue(component.canContinueAtLsn());
    }
}
