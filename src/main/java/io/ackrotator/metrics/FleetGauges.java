package io.ackrotator.metrics;

import io.ackrotator.hygiene.ClusterAudit;
import io.ackrotator.hygiene.CredentialFlag;
import io.ackrotator.hygiene.FleetAuditReport;
import io.ackrotator.hygiene.IdentityFinding;
import io.ackrotator.rotation.CertificateState;
import io.ackrotator.rotation.ClusterStatus;
import io.ackrotator.rotation.StatusReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fleet's state as gauges, named and labelled as cert-manager names its certificate metrics (so dashboards
 * and alerts written for it read these the same way; Source: cert-manager pkg/metrics/certificates.go, e.g.
 * certmanager_certificate_expiration_timestamp_seconds and certmanager_certificate_ready_status{condition}).
 * Set from a status report computed from the store at every scrape, so an FC instance that slept never serves
 * numbers older than the scrape.
 */
public final class FleetGauges {

    private static final String[] CONDITIONS = {"True", "False", "Unknown"};

    private final MultiGauge expiration;
    private final MultiGauge notBefore;
    private final MultiGauge renewal;
    private final MultiGauge ready;
    private final MultiGauge kubesphereCurrent;
    private final MultiGauge identityExpiration;
    private final MultiGauge orphaned;
    private final AtomicReference<Double> lastSweep = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> lastAudit = new AtomicReference<>(Double.NaN);

    public FleetGauges(MeterRegistry registry) {
        expiration = MultiGauge.builder("ack.kubeconfig.expiration.timestamp.seconds")
                .description("The stored kubeconfig's certificate notAfter, Unix seconds").register(registry);
        notBefore = MultiGauge.builder("ack.kubeconfig.not.before.timestamp.seconds")
                .description("The stored kubeconfig's certificate notBefore, Unix seconds").register(registry);
        renewal = MultiGauge.builder("ack.kubeconfig.renewal.timestamp.seconds")
                .description("When the sweep renews the stored kubeconfig (notAfter - rotator.renew-before)")
                .register(registry);
        ready = MultiGauge.builder("ack.kubeconfig.ready.status")
                .description("1 for the stored kubeconfig's readiness condition (True usable, False not, Unknown none "
                        + "stored)").register(registry);
        kubesphereCurrent = MultiGauge.builder("ack.kubeconfig.kubesphere.copy.current")
                .description("1 when the KubeSphere host's copy of a member's kubeconfig is the stored one")
                .register(registry);
        identityExpiration = MultiGauge.builder("ack.kubeconfig.audit.expiration.timestamp.seconds")
                .description("Expiry of a flagged identity's kubeconfig, from the last fleet audit").register(registry);
        orphaned = MultiGauge.builder("ack.kubeconfig.orphaned")
                .description("1 for a working kubeconfig of a deleted or inactive account, from the last fleet audit")
                .register(registry);
        Gauge.builder("ack.kubeconfig.last.sweep.timestamp.seconds", lastSweep, AtomicReference::get)
                .description("When the last sweep started, Unix seconds").register(registry);
        Gauge.builder("ack.kubeconfig.last.audit.timestamp.seconds", lastAudit, AtomicReference::get)
                .description("When the last fleet audit ran, Unix seconds").register(registry);
    }

    /** Replaces every row with what {@code report} says. */
    public void update(StatusReport report, Optional<Instant> lastSweepStarted) {
        List<MultiGauge.Row<?>> expirations = new ArrayList<>();
        List<MultiGauge.Row<?>> notBefores = new ArrayList<>();
        List<MultiGauge.Row<?>> renewals = new ArrayList<>();
        List<MultiGauge.Row<?>> readiness = new ArrayList<>();
        List<MultiGauge.Row<?>> copies = new ArrayList<>();
        for (ClusterStatus cluster : report.clusters()) {
            Tags tags = Tags.of("cluster_id", cluster.clusterId(), "cluster_name", text(cluster.name()), "identity",
                    text(cluster.identity()));
            if (cluster.notAfter() != null) {
                expirations.add(MultiGauge.Row.of(tags, seconds(cluster.notAfter())));
            }
            if (cluster.notBefore() != null) {
                notBefores.add(MultiGauge.Row.of(tags, seconds(cluster.notBefore())));
            }
            if (cluster.renewsFrom() != null) {
                renewals.add(MultiGauge.Row.of(tags, seconds(cluster.renewsFrom())));
            }
            String condition = condition(cluster.state());
            for (String each : CONDITIONS) {
                readiness.add(MultiGauge.Row.of(tags.and("condition", each), each.equals(condition) ? 1 : 0));
            }
            if (cluster.kubesphere() instanceof List<?> members) {
                for (Object member : members) {
                    if (member instanceof Map<?, ?> entry) {
                        copies.add(MultiGauge.Row.of(Tags.of("cluster_id", cluster.clusterId(), "member",
                                String.valueOf(entry.get("cluster"))), "current".equals(entry.get("hostCopy")) ? 1 : 0));
                    }
                }
            }
        }
        expiration.register(expirations, true);
        notBefore.register(notBefores, true);
        renewal.register(renewals, true);
        ready.register(readiness, true);
        kubesphereCurrent.register(copies, true);
        lastSweep.set(lastSweepStarted.map(FleetGauges::seconds).orElse(Double.NaN));
        audit(report.lastAudit() instanceof FleetAuditReport audit ? Optional.of(audit) : Optional.empty());
    }

    private void audit(Optional<FleetAuditReport> audit) {
        List<MultiGauge.Row<?>> expirations = new ArrayList<>();
        List<MultiGauge.Row<?>> orphans = new ArrayList<>();
        for (ClusterAudit cluster : audit.map(FleetAuditReport::results).orElse(List.of())) {
            for (IdentityFinding finding : cluster.identities() == null ? List.<IdentityFinding>of()
                    : cluster.identities()) {
                Tags tags = Tags.of("cluster_id", cluster.clusterId(), "account_id", finding.accountId(),
                        "account_type", text(finding.accountType()));
                if (finding.certExpireTime() != null) {
                    expirations.add(MultiGauge.Row.of(tags, seconds(finding.certExpireTime())));
                }
                if (finding.has(CredentialFlag.ORPHANED)) {
                    orphans.add(MultiGauge.Row.of(tags, 1));
                }
            }
        }
        identityExpiration.register(expirations, true);
        orphaned.register(orphans, true);
        lastAudit.set(audit.map(a -> seconds(a.auditedAt())).orElse(Double.NaN));
    }

    /** cert-manager's Ready condition, for a stored kubeconfig: usable, not usable, or nothing there to judge. */
    static String condition(CertificateState state) {
        if (state == null || state == CertificateState.MISSING) {
            return "Unknown";
        }
        return state == CertificateState.OK || state == CertificateState.DUE ? "True" : "False";
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
