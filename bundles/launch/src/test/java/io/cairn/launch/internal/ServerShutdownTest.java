package io.cairn.launch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServerShutdownTest {

    /** Records the calls; stops "instantly" unless told otherwise. */
    private static final class FakeFramework implements ServerShutdown.Framework {
        final List<String> calls = new ArrayList<>();
        boolean stops = true;

        @Override
        public void requestStop() {
            calls.add("stop");
        }

        @Override
        public boolean awaitStopped(Duration timeout) {
            calls.add("await " + timeout.toSeconds());
            return stops;
        }
    }

    @Test
    void theHookMustStopTheFrameworkAndWaitBounded() {
        FakeFramework framework = new FakeFramework();
        new ServerShutdown(framework, Duration.ofSeconds(7)).stopFramework();
        assertEquals(List.of("stop", "await 7"), framework.calls);
    }

    @Test
    void aFrameworkThatDoesNotStopMustNotBlockTheHookForever() {
        FakeFramework framework = new FakeFramework();
        framework.stops = false;
        new ServerShutdown(framework, Duration.ofSeconds(1)).stopFramework();
        assertEquals(List.of("stop", "await 1"), framework.calls);
    }

    @Test
    void installAndRemoveMustBeRepeatable() {
        ServerShutdown shutdown = new ServerShutdown(new FakeFramework(), ServerShutdown.DEFAULT_TIMEOUT);
        shutdown.install();
        shutdown.install();
        assertTrue(shutdown.remove());
        assertTrue(shutdown.remove());
    }
}
