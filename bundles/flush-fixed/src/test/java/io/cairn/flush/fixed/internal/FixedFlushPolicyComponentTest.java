package io.cairn.flush.fixed.internal;

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

class FixedFlushPolicyComponentTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger("io.cairn.flush.fixed");
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

    private static FixedFlushPolicyComponent.Config config(long pagesPerSecond) {
        return new FixedFlushPolicyComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FixedFlushPolicyComponent.Config.class;
            }

            @Override
            public long pagesPerSecond() {
                return pagesPerSecond;
            }
        };
    }

    @Test
    void updateMustApplyAndABadOneMustBeOneLogLineKeepingThePreviousBudget() {
        FixedFlushPolicyComponent component = new FixedFlushPolicyComponent();
        assertEquals(200, component.currentPagesPerSecond());
        assertEquals("fixed", component.name());
        component.configure(config(500));
        assertEquals(500, component.currentPagesPerSecond());

        component.configure(config(-1));
        assertEquals(500, component.currentPagesPerSecond());
        assertEquals(1, logged.size());
        assertEquals("configuration io.cairn.flush.fixed: invalid setting pagesPerSecond=-1: allowed: an integer from 1"
                + " to 2000000; keeping the previous settings", logged.get(0).getMessage());
        assertNull(logged.get(0).getThrown());
        assertEquals("fixed: 500 pages/s [rejected configuration: invalid setting pagesPerSecond=-1: allowed: an integer"
                + " from 1 to 2000000]", component.describe());

        component.configure(config(300));
        assertEquals("fixed: 300 pages/s", component.describe());
    }
}
