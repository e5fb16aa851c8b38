package io.ackrotator.hygiene;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.KubeconfigState;
import io.ackrotator.fleet.PerCluster;
import io.ackrotator.host.HostCluster;
import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.rotation.ManagedClusters;
import io.ackrotator.rotation.RotationConfig;
import io.ackrotator.rotation.SweepRequest;
import io.ackrotator.rotation.SweepUnavailableException;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreException;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The fleet audit: for each managed cluster, every identity's kubeconfig as ACK lists it, judged by
 * {@link CredentialJudgement}; with {@code rbac}, the member's bindings of orphaned accounts. Calls go through the
 * same rate-limited ACK client as the sweep; a cluster whose listing fails is named in the report, never dropped.
 * The flags are kept for the status page ({@link LastAudit}).
 */
@ApplicationScoped
public class FleetAudit {

    private static final Logger LOG = Logger.getLogger("io.ackrotator.hygiene");

    private final RotationConfig rotation;
    private final HostCluster host;
    private final Clock clock;
    private final CredentialJudgement judgement;
    private final ApiServerProbe probe;
    private final LastAudit last;

    private final jakarta.enterprise.inject.Instance<HygieneListener> listeners;

    public FleetAudit(RotationConfig rotation, HygieneConfig config, HostCluster host, Clock clock,
            jakarta.enterprise.inject.Instance<HygieneListener> listeners) {
        this.listeners = listeners;
        this.rotation = rotation;
        this.host = host;
        this.clock = clock;
        this.judgement = new CredentialJudgement(config.warnBefore());
        this.probe = new ApiServerProbe(rotation.apiServerTimeout());
        this.last = new LastAudit(rotation.namespace());
    }

    public FleetAuditReport run(AckClient ack, List<ClusterId> requested, boolean rbac) {
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        KubernetesClient client;
        KubeconfigStore store;
        List<ClusterId> clusters;
        try {
            client = host.client(ack);
            store = new SecretKubeconfigStore(client, rotation.namespace());
            clusters = ManagedClusters.resolve(rotation, store::listIds, ack,
                    new SweepRequest(requested, true, false), warnings);
        } catch (StoreException | KubernetesClientException e) {
            throw new SweepUnavailableException("the store can't be read: " + e.getMessage());
        }
        List<ClusterAudit> results = PerCluster.run(clusters, rotation.parallelism(), "fleet-audit",
                id -> audit(ack, store, id, rbac, now), (id, why) -> ClusterAudit.failed(id.value(), why));
        List<String> failed = results.stream().filter(r -> r.outcome().equals(ClusterAudit.FAILED))
                .map(ClusterAudit::clusterId).toList();
        FleetAuditReport report = new FleetAuditReport(now, clusters.size(), failed, AuditSummary.total(results),
                results, warnings);
        AuditSummary total = report.summary();
        LOG.infof("fleet audit clusters=%d failed=%d identities=%d orphaned=%d rootAccount=%d expiring=%d expired=%d "
                + "orphanedBindings=%d", clusters.size(), failed.size(), total.identities(), total.orphaned(),
                total.rootAccount(), total.expiring(), total.expired(), total.orphanedBindings());
        List<String> more = new ArrayList<>(warnings);
        last.save(client, report).ifPresent(more::add);
        for (HygieneListener listener : listeners) {
            more.addAll(listener.audited(ack, report));
        }
        return more.equals(warnings) ? report : new FleetAuditReport(now, report.clusters(), failed, total, results,
                more);
    }

    /** The last audit's flags as kept in the host cluster, for the status page. */
    public Optional<FleetAuditReport> last(AckClient ack) {
        return last.read(host.client(ack));
    }

    private ClusterAudit audit(AckClient ack, KubeconfigStore store, ClusterId id, boolean rbac, Instant now) {
        List<KubeconfigState> states;
        try {
            states = ack.listKubeconfigStates(id);
        } catch (AckException e) {
            return ClusterAudit.failed(id.value(), "listing failed: " + e.getMessage());
        }
        Optional<StoredKubeconfig> stored;
        try {
            stored = store.get(id);
        } catch (StoreException e) {
            stored = Optional.empty();
        }
        Optional<Kubeconfig> kubeconfig = stored.flatMap(entry -> Kubeconfig.tryParse(entry.kubeconfig()));
        Optional<String> function = kubeconfig.map(k -> k.identity().user());
        List<IdentityFinding> identities = states.stream()
                .map(state -> judgement.judge(state, now, function.filter(state.accountId()::equals).isPresent()))
                .toList();
        List<BindingFinding> bindings = null;
        String rbacError = null;
        if (rbac) {
            Map<String, String> orphaned = new HashMap<>();
            states.forEach(state -> state.accountState().filter(s -> s.equals(KubeconfigState.DELETED)
                    || s.equals(KubeconfigState.INACTIVE)).ifPresent(s -> orphaned.put(state.accountId(), s)));
            if (kubeconfig.isEmpty()) {
                rbacError = "no stored kubeconfig to read the member's bindings with";
            } else {
                try {
                    bindings = probe.withClient(kubeconfig.get(), rotation.allowsInsecureTls(id),
                            member -> OrphanedBindings.scan(member, orphaned));
                } catch (ApiServerException e) {
                    rbacError = "the member's bindings could not be read: " + e.getMessage();
                }
            }
        }
        return new ClusterAudit(id.value(), ClusterAudit.AUDITED, null, AuditSummary.of(identities, bindings),
                identities, bindings, rbacError);
    }
}
