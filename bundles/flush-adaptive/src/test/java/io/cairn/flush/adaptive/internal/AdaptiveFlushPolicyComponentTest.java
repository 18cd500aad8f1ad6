package io.cairn.flush.adaptive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.flush.adaptive.AdaptiveFlushPolicy;
import io.cairn.flush.adaptive.AdaptiveFlushSettings;
import io.cairn.testkit.FlushStateBuilder;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdaptiveFlushPolicyComponentTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger("io.cairn.flush.adaptive");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private boolean parentHandlers;

    @BeforeEach
    void captureLog() {
        parentHandlers = log.getUseParentHandlers();
        log.setUseParentHandlers(false); // the expected errors would otherwise clutter the build output
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
        log.setUseParentHandlers(parentHandlers);
    }

    private static AdaptiveFlushPolicyComponent.Config config(long ioCapacity, long ioCapacityMax, int lwm) {
        return new AdaptiveFlushPolicyComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AdaptiveFlushPolicyComponent.Config.class;
            }

            @Override
            public long ioCapacity() {
                return ioCapacity;
            }

            @Override
            public long ioCapacityMax() {
                return ioCapacityMax;
            }

            @Override
            public boolean overrideEngineIoCapacity() {
                return true;
            }

            @Override
            public int maxDirtyPagesPct() {
                return 75;
            }

            @Override
            public int maxDirtyPagesPctLwm() {
                return lwm;
            }

            @Override
            public int adaptiveFlushingLwm() {
                return 20;
            }

            @Override
            public int flushingAvgLoops() {
                return 60;
            }

            @Override
            public int idleFlushPct() {
                return 40;
            }
        };
    }

    @Test
    void configurationMustMapOneToOneOntoTheSettings() {
        assertEquals(new AdaptiveFlushSettings(400, 4000, true, 75, 5, 20, 60, 40),
                AdaptiveFlushPolicyComponent.settings(config(400, 4000, 5)));
    }

    @Test
    void componentMustPlanWithTheDefaultsBeforeAnyConfigurationAndRegisterUnderItsName() {
        AdaptiveFlushPolicyComponent component = new AdaptiveFlushPolicyComponent();
        assertEquals(AdaptiveFlushSettings.defaults(), component.currentSettings());
        assertEquals("adaptive", component.name());
        var state = FlushStateBuilder.typical().build();
        assertEquals(new AdaptiveFlushPolicy().plan(state), component.plan(state));
    }

    @Test
    void configuredAveragingWindowMustReachTheEngineThroughTheRegisteredService() {
        AdaptiveFlushPolicyComponent component = new AdaptiveFlushPolicyComponent();
        assertEquals(30, component.averagingRounds());
        component.configure(config(400, 4000, 5)); // flushingAvgLoops 60
        assertEquals(60, component.averagingRounds());
    }

    @Test
    void badUpdateMustBeOneLogLineWithoutStackTraceAndKeepThePreviousSettings() {
        AdaptiveFlushPolicyComponent component = new AdaptiveFlushPolicyComponent();
        component.configure(config(400, 4000, 5));
        component.configure(config(400, 300, 5));

        assertEquals(new AdaptiveFlushSettings(400, 4000, true, 75, 5, 20, 60, 40), component.currentSettings());
        assertEquals(1, logged.size(), "one log record");
        LogRecord record = logged.get(0);
        assertEquals("configuration io.cairn.flush.adaptive: invalid setting ioCapacityMax=300: must not be below"
                + " ioCapacity=400; allowed: an integer from 400 to 2000000; keeping the previous settings",
                record.getMessage());
        assertNull(record.getThrown(), "no stack trace");
        assertFalse(record.getMessage().contains("\n"));
        assertTrue(component.describe().endsWith("[rejected configuration: invalid setting ioCapacityMax=300: must not"
                + " be below ioCapacity=400; allowed: an integer from 400 to 2000000]"), component.describe());

        component.configure(config(500, 5000, 5));
        assertEquals(500, component.currentSettings().ioCapacity());
        assertFalse(component.describe().contains("rejected"), component.describe());
    }

    @Test
    void badFirstConfigurationMustKeepTheDefaults() {
        AdaptiveFlushPolicyComponent component = new AdaptiveFlushPolicyComponent();
        component.configure(config(400, 4000, 80));
        assertEquals(AdaptiveFlushSettings.defaults(), component.currentSettings());
        assertEquals(1, logged.size());
        assertTrue(logged.get(0).getMessage().contains("invalid setting maxDirtyPagesPctLwm=80"), logged.get(0).getMessage());
    }
}
