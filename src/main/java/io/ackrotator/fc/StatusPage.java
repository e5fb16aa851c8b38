package io.ackrotator.fc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ackrotator.ack.AckClients;
import io.ackrotator.rotation.ClusterStatus;
import io.ackrotator.rotation.Inventory;
import io.ackrotator.rotation.StatusReport;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code status} for people: with {@code Accept: text/html} or {@code ?format=html} it answers the expiry timeline and
 * table, server-rendered and self-contained; {@code GET /status} without it answers the JSON inventory. Only the
 * admin gets here (EndpointPolicy).
 */
@ApplicationScoped
public class StatusPage {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Inventory inventory;
    private final AckClients ackClients;
    private final FcCredentials credentials;

    public StatusPage(Inventory inventory, AckClients ackClients, FcCredentials credentials) {
        this.inventory = inventory;
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
        StatusReport report = inventory.status(ackClients.forInvocation(
                credentials.of(context.request()::getHeader)));
        if (html) {
            context.response().putHeader("Content-Type", "text/html; charset=utf-8").end(render(report));
        } else {
            try {
                context.response().putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(report));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                context.fail(e);
            }
        }
    }

    static String render(StatusReport report) {
        List<ExpiryTimelinePage.Row> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (ClusterStatus cluster : report.clusters()) {
            String state = cluster.state() == null ? "unknown" : cluster.state().wireName();
            rows.add(new ExpiryTimelinePage.Row(cluster.clusterId(), cluster.clusterId(), false, null, cluster.notAfter(),
                    state));
            table.add(List.of(cluster.clusterId(), state, text(cluster.subject()), text(cluster.serial()),
                    ExpiryTimelinePage.date(cluster.notAfter()), text(cluster.daysLeft()),
                    ExpiryTimelinePage.date(cluster.renewsFrom()), text(cluster.access()),
                    ExpiryTimelinePage.date(cluster.lastRotation()), text(cluster.lastError()),
                    kubesphere(cluster.kubesphere())));
        }
        List<String> notes = new ArrayList<>();
        notes.add(report.clusters().size() + " managed clusters: " + report.summary());
        notes.addAll(report.warnings());
        return ExpiryTimelinePage.render("ack-kubeconfig-rotator status", "Each bar is a cluster's current "
                + "certificate (green ok, amber due for rotation, red expired).", report.at(),
                Duration.parse(report.renewBefore()), rows, notes, List.of("cluster", "state", "subject", "serial",
                        "expires", "days left", "renews from", "access", "last rotation", "last error",
                        "KubeSphere copy"), table);
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static String kubesphere(Object copies) {
        if (!(copies instanceof List<?> list) || list.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (Object copy : list) {
            Map<String, Object> entry = (Map<String, Object>) copy;
            parts.add(entry.get("cluster") + ": " + entry.get("hostCopy"));
        }
        return String.join(", ", parts);
    }
}
