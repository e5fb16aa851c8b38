package io.ackrotator.standin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Watches every test of the suite (registered for all of them through the service file, with extension
 * autodetection switched on by the project's surefire and failsafe configuration; LeakWatchTest proves it ran):
 * every log record of the JVM, stack traces included, and every HTTP error answer rest-assured receives is scanned
 * for secret material after each test, and the test fails if any is found. It imitates nothing of the cloud (Source
 * of what counts as secret: the kubeconfig and AccessKey formats the stand-ins issue, see {@link Leaks}).
 */
public final class LeakWatch implements BeforeEachCallback, AfterEachCallback {

    private static final LogCapture CAPTURE = LogCapture.detached();
    private static volatile String watching;

    @Override
    public void beforeEach(ExtensionContext context) {
        watching = context.getUniqueId();
        attach();
        ErrorAnswerRecorder.installIn(context.getRequiredTestClass().getClassLoader());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check();
    }

    /** The unique ID of the test LeakWatch prepared last: the running one, when LeakWatch is active. */
    static String watching() {
        return watching;
    }

    /** Quarkus replaces the root handlers when an application starts, so the capture re-attaches before each test. */
    static void attach() {
        Logger root = Logger.getLogger("");
        if (!Arrays.asList(root.getHandlers()).contains(CAPTURE)) {
            root.addHandler(CAPTURE);
        }
    }

    /** Fails when anything captured since the last check holds secret material; what was checked is forgotten. */
    public static void check() {
        attach();
        List<String> leaks = new ArrayList<>();
        for (String line : CAPTURE.drain()) {
            List<String> found = Leaks.find(line);
            if (!found.isEmpty()) {
                leaks.add(String.join(", ", found) + " in a log record of " + line.split(" ", 2)[0]);
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("secret material leaked:\n" + String.join("\n", leaks));
        }
    }
}
