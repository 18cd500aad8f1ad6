package org.example.flush.steady;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SteadyFlushPolicyComponentTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(SteadyFlushPolicyComponent.PID);
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
        log.setUseParentHandlers(false); // the error this test provokes is expected, not build noise
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
        log.setUseParentHandlers(parentHandlers);
    }

    private static SteadyFlushPolicyComponent.Config config(int drainPercent, long floorPages, int floorAgePercent) {
        return new SteadyFlushPolicyComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SteadyFlushPolicyComponent.Config.class;
            }

            @Override
            public int drainPercent() {
                return drainPercent;
            }

            @Override
            public long floorPages() {
                return floorPages;
            }

            @Override
            public int floorAgePercent() {
                return floorAgePercent;
            }
        };
    }

    @Test
    void componentMustPlanWithTheDefaultsBeforeItIsConfigured() {
        SteadyFlushPolicyComponent component = new SteadyFlushPolicyComponent();
        assertEquals("steady", component.name());
        assertEquals(new SteadyFlushPolicy().describe(), component.describe());
        assertEquals(SteadyFlushPolicy.DEFAULT_DRAIN_PERCENT, component.current().drainPercent());
    }

    @Test
    void updateMustApplyAndABadOneMustBeOneLogLineKeepingThePreviousSettings() {
        SteadyFlushPolicyComponent component = new SteadyFlushPolicyComponent();
        component.configure(config(25, 400, 30));
        assertEquals(25, component.current().drainPercent());
        assertEquals(400, component.current().floorPages());
        assertEquals(30, component.current().floorAgePercent());

        component.configure(config(0, 400, 30));
        assertEquals(25, component.current().drainPercent());
        assertEquals(1, logged.size());
        assertEquals("configuration org.example.flush.steady: invalid setting drainPercent=0: allowed: an integer"
                + " from 1 to 100; keeping the previous settings", logged.get(0).getMessage());
        assertNull(logged.get(0).getThrown());
        assertEquals(new SteadyFlushPolicy(25, 400, 30).describe()
                + " [rejected configuration: invalid setting drainPercent=0: allowed: an integer from 1 to 100]",
                component.describe());

        component.configure(config(20, 400, 30));
        assertEquals(new SteadyFlushPolicy(20, 400, 30).describe(), component.describe());
    }

    @Test
    void componentMustPlanAsThePolicyWithItsSettings() {
        SteadyFlushPolicyComponent component = new SteadyFlushPolicyComponent();
        component.configure(config(50, 0, 50));
        io.cairn.flush.FlushState state = io.cairn.testkit.FlushStateBuilder.typical().dirtyPages(1000).build();
        assertEquals(new SteadyFlushPolicy(50, 0, 50).plan(state), component.plan(state));
        assertEquals(new SteadyFlushPolicy().averagingRounds(), component.averagingRounds());
    }
}
