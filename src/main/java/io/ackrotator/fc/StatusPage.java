package io.ackrotator.fc;

import io.ackrotator.hygiene.BindingFinding;
import io.ackrotator.hygiene.ClusterAudit;
import io.ackrotator.hygiene.CredentialFlag;
import io.ackrotator.hygiene.FleetAuditReport;
import io.ackrotator.hygiene.IdentityFinding;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ackrotator.ack.AckClients;
import io.ackrotator.rotation.ClusterStatus;
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
        if (report.lastAudit() instanceof FleetAuditReport audit) {
            notes.addAll(auditNotes(audit));
        }
        return ExpiryTimelinePage.render("ack-kubeconfig-rotator status", "Each bar is a cluster's current "
                + "certificate (green ok, amber due for rotation, red expired).", report.at(),
                Duration.parse(report.renewBefore()), rows, notes, List.of("cluster", "state", "subject", "serial",
                        "expires", "days left", "renews from", "access", "last rotation", "last error",
                        "KubeSphere copy"), table);
    }

    /** The last fleet audit's flags, one line each (the page escapes them). */
    static List<String> auditNotes(FleetAuditReport audit) {
        List<String> notes = new ArrayList<>();
        var sum = audit.summary();
        notes.add("Fleet audit of " + audit.auditedAt() + ": " + audit.clusters() + " clusters, " + sum.identities()
                + " identities; " + sum.orphaned() + " orphaned, " + sum.rootAccount() + " root-account, "
                + sum.expiring() + " expiring, " + sum.expired() + " expired, " + sum.orphanedBindings()
                + " bindings of orphaned accounts" + (audit.failedClusters().isEmpty() ? ""
                        : "; listing failed on " + String.join(", ", audit.failedClusters())));
        for (ClusterAudit cluster : audit.results()) {
            for (IdentityFinding finding : cluster.identities() == null ? List.<IdentityFinding>of()
                    : cluster.identities()) {
                notes.add(cluster.clusterId() + ": " + text(finding.accountName()) + " (" + finding.accountId() + ", "
                        + text(finding.accountType()) + ", " + text(finding.accountState()) + ") "
                        + finding.flags().stream().map(CredentialFlag::wireName).toList() + ", kubeconfig expires "
                        + ExpiryTimelinePage.date(finding.certExpireTime()));
            }
            for (BindingFinding binding : cluster.bindings() == null ? List.<BindingFinding>of() : cluster.bindings()) {
                notes.add(cluster.clusterId() + ": " + binding.kind() + " " + (binding.namespace() == null ? ""
                        : binding.namespace() + "/") + binding.name() + " grants " + binding.role() + " to "
                        + binding.subject() + " (account " + binding.accountState() + ")");
            }
        }
        return notes;
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
