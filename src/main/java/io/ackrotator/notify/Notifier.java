package io.ackrotator.notify;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckConfig;
import io.ackrotator.ack.AckCredentials;
import io.ackrotator.host.HostCluster;
import io.ackrotator.hygiene.ClusterAudit;
import io.ackrotator.hygiene.CredentialFlag;
import io.ackrotator.hygiene.FleetAuditReport;
import io.ackrotator.hygiene.HygieneListener;
import io.ackrotator.hygiene.IdentityFinding;
import io.ackrotator.hygiene.OffboardReport;
import io.ackrotator.hygiene.OffboardResult;
import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.rotation.RotationConfig;
import io.ackrotator.rotation.RotationResult;
import io.ackrotator.rotation.SweepListener;
import io.ackrotator.settings.Endpoints;
import io.ackrotator.store.StateConfigMap;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Tells people after each sweep what changed, once: {@link NotificationPolicy} decides against what they were last
 * told (kept in the ConfigMap {@value #TOLD} in the store namespace, so every FC instance knows), one message per
 * sweep goes to each configured channel (a summary when several clusters changed), retried with backoff. A channel
 * that keeps failing is a warning in the sweep's report and never fails the sweep; what was not delivered anywhere
 * is not recorded as told, so the next sweep says it again.
 */
@ApplicationScoped
public class Notifier implements SweepListener, HygieneListener {

    static final String TOLD = "ack-kubeconfig-rotator-notified";
    /** ConfigMap keys: letters, digits, '-', '_', '.'. */
    private static final String ORPHAN = "orphan.";
    private static final Logger LOG = Logger.getLogger("io.ackrotator.notify");

    private final NotifyConfig config;
    private final RotationConfig rotation;
    private final HostCluster host;
    private final Clock clock;
    private final List<Channel> channels;
    private final NotificationPolicy policy;

    public Notifier(NotifyConfig config, RotationConfig rotation, HostCluster host, AckConfig ack, Clock clock) {
        this.config = config;
        this.rotation = rotation;
        this.host = host;
        this.clock = clock;
        this.policy = new NotificationPolicy(config.warnBefore());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Channel> configured = new ArrayList<>();
        config.dingtalk().ifPresent(d -> configured.add(new DingTalkChannel(Endpoints.httpsOrLoopback("rotator.notify.dingtalk.url",
                d.url()), d.secret(), http)));
        config.webhook().ifPresent(w -> configured.add(new WebhookChannel(Endpoints.httpsOrLoopback("rotator.notify.webhook.url",
                w.url()), w.secret(), http)));
        config.eventbridge().ifPresent(e -> configured.add(new EventBridgeChannel(Endpoints.httpsOrLoopback(
                "rotator.notify.eventbridge.endpoint", e.endpoint().orElseGet(() -> defaultEventBridge(ack))), e.bus(),
                http)));
        this.channels = List.copyOf(configured);
        if (config.attempts() < 1) {
            throw new IllegalArgumentException("rotator.notify.attempts must be at least 1");
        }
    }

    /** EventBridge's public endpoint in the function's own account and region (FC sets FC_ACCOUNT_ID). */
    private static String defaultEventBridge(AckConfig ack) {
        String account = System.getenv("FC_ACCOUNT_ID");
        if (account == null || account.isBlank()) {
            throw new IllegalArgumentException("rotator.notify.eventbridge.endpoint is required outside Function "
                    + "Compute (no FC_ACCOUNT_ID to build the default from)");
        }
        return "https://" + account + ".eventbridge." + ack.region() + ".aliyuncs.com";
    }


    @Override
    public List<String> sweepFinished(AckClient ack, List<RotationResult> results) {
        if (channels.isEmpty() || results.isEmpty()) {
            return List.of();
        }
        return tell(ack, told -> policy.decide(told, results, clock.instant()));
    }

    /** Accounts the audit newly found orphaned, once each (kept as {@code orphan.<cluster>.<account>}). */
    @Override
    public List<String> audited(AckClient ack, FleetAuditReport report) {
        if (channels.isEmpty()) {
            return List.of();
        }
        return tell(ack, told -> {
            Map<String, String> next = new HashMap<>(told);
            // what was told about a listed cluster is replaced by what its listing says now; others' stands
            report.results().stream().filter(c -> c.outcome().equals(ClusterAudit.AUDITED))
                    .forEach(c -> next.keySet().removeIf(key -> key.startsWith(ORPHAN + c.clusterId() + ".")));
            List<Change> changes = new ArrayList<>();
            for (ClusterAudit cluster : report.results()) {
                for (IdentityFinding finding : cluster.identities() == null ? List.<IdentityFinding>of()
                        : cluster.identities()) {
                    if (finding.has(CredentialFlag.ORPHANED)) {
                        String key = ORPHAN + cluster.clusterId() + "." + finding.accountId();
                        next.put(key, "told");
                        if (!told.containsKey(key)) {
                            changes.add(Change.event(cluster.clusterId(), "orphaned kubeconfig of account "
                                    + finding.accountId(), finding.accountName() + ", " + finding.accountState()
                                    + "; offboard it"));
                        }
                    }
                }
            }
            return new NotificationPolicy.Decision(changes, next);
        });
    }

    /** Every real offboarding that removed or was refused access: an action, told each time. */
    @Override
    public List<String> offboarded(AckClient ack, OffboardReport report) {
        if (channels.isEmpty() || report.dryRun()) {
            return List.of();
        }
        List<Change> changes = report.results().stream()
                .filter(r -> r.outcome().equals(OffboardResult.CLEANED)
                        || r.outcome().equals(OffboardResult.REFUSED_BY_ACK))
                .map(r -> Change.event(r.clusterId(), (r.outcome().equals(OffboardResult.CLEANED) ? "offboarded"
                        : "offboarding declined by ACK for") + " account " + report.uid(), null))
                .toList();
        return changes.isEmpty() ? List.of() : tell(ack, told -> new NotificationPolicy.Decision(changes, told));
    }

    /** What was last told, per cluster, for status (read-only). */
    public NotifiedState state(AckClient ack) {
        if (channels.isEmpty()) {
            return NotifiedState.OFF;
        }
        try {
            return NotifiedState.of(new StateConfigMap(host.client(ack), rotation.namespace(), TOLD).read().data(),
                    ORPHAN);
        } catch (KubernetesClientException e) {
            return NotifiedState.unreadable("what was last told can't be read (" + ApiAnswers.describe(e) + ")");
        }
    }

    /** Reads what was told, decides, delivers one message to every channel, records what is told now. */
    private List<String> tell(AckClient ack, java.util.function.Function<Map<String, String>,
            NotificationPolicy.Decision> decide) {
        StateConfigMap state;
        StateConfigMap.Snapshot stored;
        try {
            state = new StateConfigMap(host.client(ack), rotation.namespace(), TOLD);
            stored = state.read();
        } catch (KubernetesClientException e) {
            return List.of("notifications skipped: what was last told can't be read (" + ApiAnswers.describe(e) + ")");
        }
        Map<String, String> told = stored.data();
        NotificationPolicy.Decision decision = decide.apply(told);
        if (decision.changes().isEmpty()) {
            if (!decision.told().equals(told)) {
                try {
                    state.write(stored, decision.told());
                } catch (KubernetesClientException e) {
                    return List.of("what was told could not be recorded (" + ApiAnswers.describe(e) + ")");
                }
            }
            return List.of();
        }
        Message message = Message.of(decision.changes(), clock.instant());
        List<String> warnings = new ArrayList<>();
        boolean delivered = false;
        for (Channel channel : channels) {
            try {
                deliver(channel, message, ack.credentials());
                delivered = true;
            } catch (DeliveryException e) {
                warnings.add("notification via " + channel.name() + " failed after " + config.attempts()
                        + " attempts: " + e.getMessage() + "; the next sweep tells it again");
            }
        }
        if (delivered) {
            try {
                state.write(stored, decision.told());
            } catch (KubernetesClientException e) {
                warnings.add("notified, but what was told could not be recorded (" + ApiAnswers.describe(e)
                        + "); the next sweep may tell it again");
            }
        }
        LOG.infof("notify changes=%d delivered=%s", decision.changes().size(), delivered);
        return warnings;
    }

    private void deliver(Channel channel, Message message, AckCredentials credentials) throws DeliveryException {
        long backoff = 1000;
        for (int attempt = 1;; attempt++) {
            try {
                channel.send(message, credentials);
                return;
            } catch (DeliveryException e) {
                if (attempt >= config.attempts()) {
                    throw e;
                }
                LOG.debugf("notification via %s failed (%s); retrying in %d ms", channel.name(), e.getMessage(),
                        backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff *= 2;
            }
        }
    }
}
