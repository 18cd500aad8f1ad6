package io.cairn.itest;

import java.time.Duration;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What every test that drives the assembled engine from inside the framework starts with: the
 * bundle context and ConfigurationAdmin (Pax Exam injects superclass fields too), and an
 * {@link InFramework} for look-ups and waits, whose held services are released after each test.
 */
abstract class FrameworkTest {

    /** How long any look-up or wait may take before the test fails naming what it waited for. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    protected InFramework framework;

    @Before
    public void lookUps() {
        framework = new InFramework(context, TIMEOUT);
    }

    @After
    public void releaseServices() {
        framework.close();
    }
}
