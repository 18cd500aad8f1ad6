package io.cairn.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Every Cairn bundle starts, every DS component of every Cairn bundle is satisfied (immediate
 * ones active), and nothing logged a warning or an error: neither the OSGi log (SCR, the
 * framework, ...) nor Cairn's own log file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesStartIT {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private LogReaderService logReader;

    /** WARN and ERROR entries logged while a test runs, in addition to the log's history. */
    private final List<String> liveProblems = Collections.synchronizedList(new ArrayList<>());
    private final LogListener listener = entry -> {
        if (isProblem(entry)) {
            liveProblems.add(describe(entry));
        }
    };

    @Configuration
    public Option[] config() throws IOException {
        return new Option[] {CairnOptions.cairnFramework(CairnOptions.newHome("bundles-start"))};
    }

    @Before
    public void listen() {
        logReader.addLogListener(listener);
    }

    @After
    public void stopListening() {
        logReader.removeLogListener(listener);
    }

    @Test
    public void everyCairnBundleMustBeActive() {
        List<Bundle> cairn = cairnBundles();
        List<String> names = cairn.stream().map(Bundle::getSymbolicName).sorted().collect(Collectors.toList());
        assertEquals("installed Cairn bundles", CairnOptions.cairnSymbolicNames(), names);
        awaitOrFail("every Cairn bundle ACTIVE", () -> {
            List<String> notActive = new ArrayList<>();
            for (Bundle b : cairn) {
                if (b.getState() != Bundle.ACTIVE) {
                    notActive.add(b.getSymbolicName() + " is " + stateName(b.getState()));
                }
            }
            return notActive;
        });
    }

    @Test
    public void everyCairnComponentMustBeSatisfiedAndImmediateOnesActive() {
        List<Bundle> cairn = cairnBundles();
        List<ComponentDescriptionDTO> descriptions = new ArrayList<>(
            scr.getComponentDescriptionDTOs(cairn.toArray(new Bundle[0])));
        assertFalse("the Cairn bundles declare DS components", descriptions.isEmpty());
        awaitOrFail("every Cairn component satisfied", () -> componentProblems(descriptions));
    }

    @Test
    public void nothingMayHaveLoggedAWarningOrAnError() throws IOException {
        // Make sure the bundles had their chance to complain before looking.
        everyCairnComponentMustBeSatisfiedAndImmediateOnesActive();

        List<String> problems = new ArrayList<>();
        for (LogEntry entry : Collections.list(logReader.getLog())) {
            if (isProblem(entry)) {
                problems.add(describe(entry));
            }
        }
        problems.addAll(liveProblems);

        Path logFile = Paths.get(System.getProperty("cairn.home"), "log", "cairn.log");
        assertTrue("Cairn's log file exists: " + logFile, Files.isRegularFile(logFile));
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ", 3);
            if (fields.length >= 2 && (fields[1].equals("WARN") || fields[1].equals("ERROR"))) {
                problems.add("cairn.log: " + line);
            }
        }
        if (!problems.isEmpty()) {
            fail("Warnings or errors were logged:\n  " + String.join("\n  ", problems));
        }
    }

    private List<Bundle> cairnBundles() {
        List<Bundle> result = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.cairn.")) {
                result.add(b);
            }
        }
        return result;
    }

    private List<String> componentProblems(List<ComponentDescriptionDTO> descriptions) {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : descriptions) {
            String name = description.bundle.symbolicName + "/" + description.name;
            if (!scr.isComponentEnabled(description)) {
                if (description.defaultEnabled) {
                    problems.add(name + " is disabled");
                }
                continue;
            }
            List<ComponentConfigurationDTO> configurations = new ArrayList<>(
                scr.getComponentConfigurationDTOs(description));
            if (configurations.isEmpty()) {
                if (!"require".equals(description.configurationPolicy)) {
                    problems.add(name + " has no configuration");
                }
                continue;
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                int expected = description.immediate ? ComponentConfigurationDTO.ACTIVE : ComponentConfigurationDTO.SATISFIED;
                boolean ok = configuration.state == ComponentConfigurationDTO.ACTIVE
                    || (!description.immediate && configuration.state == ComponentConfigurationDTO.SATISFIED);
                if (!ok || configuration.unsatisfiedReferences.length > 0) {
                    StringBuilder problem = new StringBuilder(name).append(" is ")
                        .append(componentStateName(configuration.state)).append(", expected ")
                        .append(componentStateName(expected));
                    for (UnsatisfiedReferenceDTO ref : configuration.unsatisfiedReferences) {
                        problem.append("; unsatisfied reference ").append(ref.name)
                            .append(" target ").append(ref.target);
                    }
                    if (configuration.failure != null) {
                        problem.append("; failure: ").append(configuration.failure);
                    }
                    problems.add(problem.toString());
                }
            }
        }
        return problems;
    }

    /**
     * Waits until {@code problems} returns an empty list, checking every 50 ms up to
     * {@link #SETTLE_TIMEOUT}; fails with the last problems otherwise.
     */
    private static void awaitOrFail(String what, Supplier<List<String>> problems) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        List<String> last = problems.get();
        while (!last.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            last = problems.get();
        }
        if (!last.isEmpty()) {
            fail(what + " (waited " + SETTLE_TIMEOUT.toSeconds() + " s):\n  " + String.join("\n  ", last));
        }
    }

    private static boolean isProblem(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        return level == LogLevel.WARN || level == LogLevel.ERROR;
    }

    private static String describe(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        StringBuilder text = new StringBuilder("OSGi log ").append(entry.getLogLevel()).append(' ')
            .append(bundle == null ? "?" : bundle.getSymbolicName()).append(": ").append(entry.getMessage());
        if (entry.getException() != null) {
            text.append(" (").append(entry.getException()).append(')');
        }
        return text.toString();
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNINSTALLED";
        }
    }

    private static String componentStateName(int state) {
        switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION: return "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE: return "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED: return "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE: return "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION: return "FAILED_ACTIVATION";
            default: return "state " + state;
        }
    }
}
