package io.ackrotator.fc;

import io.ackrotator.page.Pages;
import io.ackrotator.page.StatusView;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ackrotator.ack.AckClients;
import io.ackrotator.rotation.StatusReport;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code status} for people: with {@code Accept: text/html} or {@code ?format=html} it answers the expiry timeline and
 * table, server-rendered by Qute ({@code templates/timeline.html}) and self-contained, with the last audit's flags
 * and what people were last told per cluster; {@code GET /status} without it answers the JSON inventory. Only the
 * admin gets here (EndpointPolicy).
 */
@ApplicationScoped
public class StatusPage {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final FleetStatus status;
    private final AckClients ackClients;
    private final FcCredentials credentials;

    public StatusPage(FleetStatus status, AckClients ackClients, FcCredentials credentials) {
        this.status = status;
        this.ackClients = ackClients;
        this.credentials = credentials;
    }

    /** After the authorization check (order -100), which admits only the admin here. */
    void routes(@Observes Router router) {
        router.route("/status").order(-70).blockingHandler(this::serve);
    }

    private void serve(RoutingContext context) {
        boolean html = "html".equals(context.request().getParam("format"))
                || String.valueOf(context.request().getHeader("Accept")).contains("text/html");
        if (!html && context.request().method() != HttpMethod.GET) {
            context.next(); // POST /status without HTML: the Funqy function answers JSON
            return;
        }
        StatusReport report = status.status(ackClients.forInvocation(
                credentials.of(context.request()::getHeader)));
        if (html) {
            context.response().putHeader("Content-Type", "text/html; charset=utf-8").end(Pages.timeline(StatusView.of(report)).render());
        } else {
            try {
                context.response().putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(report));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                context.fail(e);
            }
        }
    }
}
