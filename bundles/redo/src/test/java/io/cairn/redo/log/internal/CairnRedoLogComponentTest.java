package io.cairn.redo.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.config.InvalidSettingException;
import io.cairn.redo.log.RedoLogOptions;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class CairnRedoLogComponentTest {

    private static CairnRedoLogComponent.Config config(int bufferKib, long fileKib) {
        return new CairnRedoLogComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CairnRedoLogComponent.Config.class;
            }

            @Override
            public int logBufferKibibytes() {
                return bufferKib;
            }

            @Override
            public long fileSizeKibibytes() {
                return fileKib;
            }

            @Override
            public boolean zeroFillFiles() {
                return false;
            }

            @Override
            public long waitWarningMillis() {
                return 5000;
            }
        };
    }

    @Test
    void configurationMustMapToOptionsInBytes() {
        RedoLogOptions options = CairnRedoLogComponent.options(config(1024, 256));
        assertEquals(new RedoLogOptions(1 << 20, 256 << 10, false, 5000), options);
    }

    @Test
    void anUnusableConfigurationMustBeRejectedNamingTheSettingAndKeepThePreviousOne() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> CairnRedoLogComponent.options(config(1000, 0)));
        assertEquals("logBufferBytes", e.key());
        CairnRedoLogComponent component = new CairnRedoLogComponent();
        component.configure(config(2048, 0));
        component.configure(config(1000, 0));
        assertEquals(2 << 20, component.currentOptions().logBufferBytes());
        assertEquals("cairn", component.name());
    }

    @Test
    void theServiceMustOfferToContinueAtAnLsnAsTheProviderDoes() {
        assertTrue(new CairnRedoLogComponent().canContinueAtLsn());
    }
}
