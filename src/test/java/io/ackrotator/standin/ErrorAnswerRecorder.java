package io.ackrotator.standin;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.util.logging.Logger;

/**
 * A rest-assured filter that puts every HTTP error answer (status 400 and up) into the log, where {@link LeakWatch}
 * scans it. Quarkus tests load rest-assured in their own class loader, so it is installed through that loader.
 */
public final class ErrorAnswerRecorder implements Filter {

    private static final Logger LOG = Logger.getLogger("leakwatch.http");
    private static volatile boolean installed;

    /** Installs the recorder into the rest-assured that {@code loader} sees (once per loader). */
    static void installIn(ClassLoader loader) {
        try {
            loader.loadClass(ErrorAnswerRecorder.class.getName()).getMethod("install").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            // no rest-assured on this class path: nothing to record
        }
    }

    public static synchronized void install() {
        // The same rest-assured can be reached through two loaders: one recorder per rest-assured, not per loader.
        boolean present = RestAssured.filters().stream()
                .anyMatch(f -> f.getClass().getName().equals(ErrorAnswerRecorder.class.getName()));
        if (!installed && !present) {
            RestAssured.filters(new ErrorAnswerRecorder());
        }
        installed = true;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        Response answer = context.next(request, response);
        if (answer.statusCode() >= 400) {
            LOG.info("HTTP " + answer.statusCode() + " answer to " + request.getMethod() + " " + request.getURI()
                    + ": " + answer.asString());
        }
        return answer;
    }
}
