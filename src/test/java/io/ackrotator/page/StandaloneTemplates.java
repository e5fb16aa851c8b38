package io.ackrotator.page;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shipped page templates rendered outside Quarkus (the demo's report, unit tests): Qute's engine with the
 * reflection resolver instead of the build-time generated ones, and the same HTML escaping Quarkus applies to
 * {@code .html} templates.
 */
public final class StandaloneTemplates {

    private static final Engine ENGINE = Engine.builder().addDefaults().addValueResolver(new ReflectionValueResolver())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();

    private StandaloneTemplates() {
    }

    public static String timeline(TimelinePage page) {
        return ENGINE.parse(resource("templates/timeline.html"), Variant.forContentType(Variant.TEXT_HTML))
                .data("page", page).render();
    }

    private static String resource(String path) {
        try (InputStream in = StandaloneTemplates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
