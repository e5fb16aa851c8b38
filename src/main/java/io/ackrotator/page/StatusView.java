package io.ackrotator.page;

import io.ackrotator.hygiene.BindingFinding;
import io.ackrotator.hygiene.ClusterAudit;
import io.ackrotator.hygiene.CredentialFlag;
import io.ackrotator.hygiene.FleetAuditReport;
import io.ackrotator.hygiene.IdentityFinding;
import io.ackrotator.notify.NotifiedState;
import io.ackrotator.page.TimelinePage.Cell;
import io.ackrotator.rotation.ClusterStatus;
import io.ackrotator.rotation.StatusReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The status page's content from a status report: a bar and a table row per cluster, with the last audit's flags
 * and what people were last told, and the fleet's notes. Pure.
 */
public final class StatusView {

    private StatusView() {
    }

    public static TimelinePage of(StatusReport report) {
        FleetAuditReport audit = report.lastAudit() instanceof FleetAuditReport last ? last : null;
        NotifiedState notified = report.notified() instanceof NotifiedState state ? state : null;
        List<ExpiryTimeline.Row> lanes = new ArrayList<>();
        List<TimelinePage.TableRow> rows = new ArrayList<>();
        for (ClusterStatus cluster : report.clusters()) {
            String state = cluster.state() == null ? "unknown" : cluster.state().wireName();
            lanes.add(new ExpiryTimeline.Row(cluster.clusterId(), cluster.name() == null ? cluster.clusterId()
                    : cluster.name(), false, null, cluster.notAfter(), state));
            rows.add(new TimelinePage.TableRow(cluster.clusterId(), List.of(Cell.of(cluster.clusterId()),
                    Cell.toned(state), Cell.of(cluster.subject()), Cell.of(cluster.serial()),
                    Cell.of(date(cluster.notAfter())), Cell.of(cluster.daysLeft()), Cell.of(date(cluster.renewsFrom())),
                    Cell.of(cluster.access()), Cell.of(date(cluster.lastRotation())), Cell.of(cluster.lastError()),
                    Cell.of(kubesphere(cluster.kubesphere())), auditFlags(audit, cluster.clusterId()),
                    Cell.of(notified == null ? null : notified.describe(cluster.clusterId())))));
        }
        List<String> notes = new ArrayList<>();
        notes.add(report.clusters().size() + " managed clusters: " + report.summary());
        notes.addAll(report.warnings());
        if (audit != null) {
            notes.addAll(auditNotes(audit));
        }
        if (notified != null && notified.error() != null) {
            notes.add("Notifications: " + notified.error());
        }
        return new TimelinePage("ack-kubeconfig-rotator status", "Each bar is a cluster's current certificate (green "
                + "ok, amber due for rotation, red expired).", report.at(), ExpiryTimeline.of(report.at(),
                        Duration.parse(report.renewBefore()), lanes), notes, List.of("cluster", "state", "subject",
                        "serial", "expires", "days left", "renews from", "access", "last rotation", "last error",
                        "KubeSphere copy", "audit", "notified"), rows);
    }

    /** The last audit's flags for one cluster: the flagged identities' counts, "clean", or why it wasn't audited. */
    static Cell auditFlags(FleetAuditReport audit, String clusterId) {
        if (audit == null) {
            return Cell.of(null);
        }
        ClusterAudit cluster = audit.results().stream().filter(c -> c.clusterId().equals(clusterId)).findFirst()
                .orElse(null);
        if (cluster == null) {
            return new Cell("not audited", null);
        }
        if (!ClusterAudit.AUDITED.equals(cluster.outcome())) {
            return new Cell("audit " + cluster.outcome(), "failed");
        }
        Map<String, Long> flags = new java.util.TreeMap<>();
        for (IdentityFinding finding : cluster.identities() == null ? List.<IdentityFinding>of()
                : cluster.identities()) {
            finding.flags().forEach(flag -> flags.merge(flag.wireName(), 1L, Long::sum));
        }
        if (cluster.bindings() != null && !cluster.bindings().isEmpty()) {
            flags.put("orphaned-bindings", (long) cluster.bindings().size());
        }
        if (flags.isEmpty()) {
            return new Cell("clean", "ok");
        }
        List<String> parts = new ArrayList<>();
        flags.forEach((flag, count) -> parts.add(count + " " + flag));
        return new Cell(String.join(", ", parts), "failed");
    }

    /** The last fleet audit's flags, one line each (the template escapes them). */
    public static List<String> auditNotes(FleetAuditReport audit) {
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
                        + date(finding.certExpireTime()));
            }
            for (BindingFinding binding : cluster.bindings() == null ? List.<BindingFinding>of() : cluster.bindings()) {
                notes.add(cluster.clusterId() + ": " + binding.kind() + " " + (binding.namespace() == null ? ""
                        : binding.namespace() + "/") + binding.name() + " grants " + binding.role() + " to "
                        + binding.subject() + " (account " + binding.accountState() + ")");
            }
        }
        return notes;
    }

    private static String date(java.time.Instant instant) {
        return instant == null ? "-" : java.time.LocalDate.ofInstant(instant, java.time.ZoneOffset.UTC).toString();
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
