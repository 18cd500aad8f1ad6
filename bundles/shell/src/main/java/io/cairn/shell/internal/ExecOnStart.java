package io.cairn.shell.internal;

import java.io.PrintStream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.condition.Condition;

/**
 * Runs the Gogo command line given in the framework or system property {@value #EXEC_PROPERTY}
 * once the server has started, prints its result, and exits the process: status 0 when the
 * command succeeded, 1 when it failed (with a one-line error on stderr). The exit goes through the
 * launch bundle's shutdown hook, so the framework stops cleanly first. Used for scripting
 * ({@code java -Dcairn.exec=cairn:status -jar cairn-server.jar}) and by the integration tests.
 *
 * <p>"Started" is the launch bundle's condition {@code cairn.server.started}, registered once the
 * framework reached every bundle's start level: the framework's own STARTED event fires earlier,
 * before bundles of higher start levels are active.
 */
@Component(immediate = true)
public final class ExecOnStart {

    static final String EXEC_PROPERTY = "cairn.exec";
    static final String ENGINE_BUNDLE = "io.cairn.engine";
    static final String ENGINE_OPENED_CONDITION_ID = "cairn.engine.opened";
    private static final long ENGINE_WAIT_MILLIS = 120_000;
    private static final long ENGINE_NOTICE_MILLIS = 5_000;

    @Reference
    private CommandProcessor processor;

    // Guarded by this: the condition may be bound before or after activation.
    private String commandLine;
    private boolean activated;
    private boolean started;
    private boolean engineOpened;
    private boolean ran;
    private BundleContext context;

    /**
     * Optional, so the component is satisfied in frameworks without the launch bundle (it then
     * never runs anything, which is right: without launch there is no server to script).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + Condition.CONDITION_ID + "=cairn.server.started)")
    synchronized void setServerStarted(Condition condition) {
        started = true;
        runIfReady();
    }

    synchronized void unsetServerStarted(Condition condition) {
        started = false;
    }

    /** Bound when an engine finished opening, successfully or not (see io.cairn.engine). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + Condition.CONDITION_ID + "=" + ENGINE_OPENED_CONDITION_ID + ")")
    synchronized void setEngineOpened(Condition condition) {
        engineOpened = true;
        notifyAll();
    }

    synchronized void unsetEngineOpened(Condition condition) {
        engineOpened = false;
    }

    @Activate
    synchronized void activate(BundleContext context) {
        this.context = context;
        commandLine = context.getProperty(EXEC_PROPERTY);
        activated = true;
        runIfReady();
    }

    private void runIfReady() {
        if (!activated || !started || ran || commandLine == null || commandLine.isBlank()) {
            return;
        }
        ran = true;
        String line = commandLine;
        // Not on the SCR thread: the command may wait for services, and exiting stops SCR itself.
        new Thread(() -> {
            awaitEngineOpened();
            execute(line);
        }, "cairn-exec").start();
    }

    /**
     * A script asking for status right after start wants the engine's, not "no engine yet": when an
     * engine bundle is active, wait until it finished opening (recovery may take a while), saying so
     * on stderr, but never forever: an engine whose parts are missing never opens.
     */
    private void awaitEngineOpened() {
        if (!engineBundleActive()) {
            return;
        }
        long deadlineMillis = System.currentTimeMillis() + ENGINE_WAIT_MILLIS;
        long nextNoticeMillis = System.currentTimeMillis() + ENGINE_NOTICE_MILLIS;
        synchronized (this) {
            try {
                while (!engineOpened) {
                    long now = System.currentTimeMillis();
                    if (now >= deadlineMillis) {
                        System.err.println("cairn.exec: the engine did not finish opening within "
                                + ENGINE_WAIT_MILLIS / 1000 + " s (see cairn:status and the log); running the command anyway");
                        return;
                    }
                    if (now >= nextNoticeMillis) {
                        System.err.println("cairn.exec: waiting for the engine to finish opening");
                        nextNoticeMillis = now + ENGINE_NOTICE_MILLIS;
                    }
                    wait(Math.min(deadlineMillis, nextNoticeMillis) - now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean engineBundleActive() {
        for (Bundle bundle : context.getBundles()) {
            if (ENGINE_BUNDLE.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    private void execute(String line) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        int status = 0;
        CommandSession session = processor.createSession(System.in, out, err);
        try {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            err.println("cairn.exec: command '" + line + "' failed: " + e.getMessage());
            status = 1;
        } finally {
            session.close();
            out.flush();
        }
        System.exit(status);
    }
}
