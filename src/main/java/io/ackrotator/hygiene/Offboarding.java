package io.ackrotator.hygiene;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.KubeconfigState;
import io.ackrotator.auth.Authentication;
import io.ackrotator.fleet.PerCluster;
import io.ackrotator.host.HostCluster;
import io.ackrotator.issuance.AuditLog;
import io.ackrotator.issuance.AuditRecord;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.rotation.ManagedClusters;
import io.ackrotator.rotation.RotationConfig;
import io.ackrotator.rotation.SweepRequest;
import io.ackrotator.rotation.SweepUnavailableException;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Offboards a leaver: ACK's {@code CleanClusterUserPermissions} for one account on each chosen cluster, which
 * removes its kubeconfig and RBAC there. A dry run (the default) changes nothing and says what would be done. The
 * function's own identity and the root account are refused before ACK is asked; every decision is audited.
 */
@ApplicationScoped
public class Offboarding {

    /** What to offboard: {@code clusterIds}, or every managed cluster when empty. */
    public record Request(String uid, List<ClusterId> clusterIds, boolean dryRun, boolean force, String principal,
            String sourceIp) {
    }

    private final RotationConfig rotation;
    private final HostCluster host;
    private final Clock clock;

    private final jakarta.enterprise.inject.Instance<HygieneListener> listeners;

    public Offboarding(RotationConfig rotation, HostCluster host, Clock clock,
            jakarta.enterprise.inject.Instance<HygieneListener> listeners) {
        this.listeners = listeners;
        this.rotation = rotation;
        this.host = host;
        this.clock = clock;
    }

    public OffboardReport run(AckClient ack, Request request) {
        List<String> warnings = new ArrayList<>();
        KubeconfigStore store;
        List<ClusterId> clusters;
        Set<String> functionIdentities;
        try {
            store = new SecretKubeconfigStore(host.client(ack), rotation.namespace());
            clusters = ManagedClusters.resolve(rotation, store::listIds, ack,
                    new SweepRequest(request.clusterIds(), true, false), warnings);
            functionIdentities = store.list().stream().flatMap(entry -> Kubeconfig.tryParse(entry.kubeconfig())
                    .stream()).map(k -> k.identity().user()).collect(Collectors.toSet());
        } catch (StoreException | KubernetesClientException e) {
            throw new SweepUnavailableException("the store can't be read: " + e.getMessage());
        }
        List<OffboardResult> results;
        if (functionIdentities.contains(request.uid())) {
            results = clusters.stream().map(id -> new OffboardResult(id.value(), OffboardResult.REFUSED, false,
                    "account " + request.uid() + " is the function's own identity: offboarding it would revoke the "
                            + "fleet's stored kubeconfigs")).toList();
        } else {
            results = PerCluster.run(clusters, rotation.parallelism(), "offboard", id -> offboard(ack, id, request),
                    (id, why) -> new OffboardResult(id.value(), OffboardResult.FAILED, false, why));
        }
        results.forEach(result -> audit(request, result));
        Map<String, Long> summary = new LinkedHashMap<>();
        for (String outcome : List.of(OffboardResult.WOULD_CLEAN, OffboardResult.CLEANED, OffboardResult.REFUSED_BY_ACK,
                OffboardResult.REFUSED, OffboardResult.FAILED)) {
            summary.put(outcome, results.stream().filter(r -> r.outcome().equals(outcome)).count());
        }
        OffboardReport report = new OffboardReport(request.uid(), request.dryRun(), request.force(), results,
                summary, warnings);
        for (HygieneListener listener : listeners) {
            warnings.addAll(listener.offboarded(ack, report));
        }
        return new OffboardReport(request.uid(), request.dryRun(), request.force(), results, summary,
                List.copyOf(warnings));
    }

    private OffboardResult offboard(AckClient ack, ClusterId id, Request request) {
        Optional<KubeconfigState> state;
        try {
            state = ack.listKubeconfigStates(id).stream().filter(s -> s.accountId().equals(request.uid())).findFirst();
        } catch (AckException e) {
            return new OffboardResult(id.value(), OffboardResult.FAILED, false, "could not list the cluster's "
                    + "kubeconfigs: " + e.getMessage());
        }
        boolean listed = state.isPresent();
        if (state.flatMap(KubeconfigState::accountType).filter(KubeconfigState.ROOT_ACCOUNT::equals).isPresent()) {
            return new OffboardResult(id.value(), OffboardResult.REFUSED, true, "account " + request.uid()
                    + " is the root account: ACK does not clean its permissions; revoke its kubeconfig in the console");
        }
        if (request.dryRun()) {
            return new OffboardResult(id.value(), OffboardResult.WOULD_CLEAN, listed, "would remove the account's "
                    + (listed ? "kubeconfig and " : "") + "RBAC permissions" + (request.force() ? " (force)"
                            : " unless it accessed the cluster in the last 7 days"));
        }
        try {
            ack.cleanUserPermissions(id, request.uid(), request.force());
            return new OffboardResult(id.value(), OffboardResult.CLEANED, listed, "kubeconfig and RBAC permissions "
                    + "removed");
        } catch (AckException e) {
            // ACK documents the refusal but not its code, so any "invalid request" answer to a call without force
            // is reported as ACK's decision, with ACK's own code and message
            if (!request.force() && e.kind() == AckException.Kind.INVALID_REQUEST) {
                return new OffboardResult(id.value(), OffboardResult.REFUSED_BY_ACK, listed, "ACK declined ("
                        + e.getMessage() + "); without force it declines when the account accessed the cluster in "
                        + "the last 7 days or its access records can't be checked");
            }
            return new OffboardResult(id.value(), OffboardResult.FAILED, listed, e.getMessage());
        }
    }

    private void audit(Request request, OffboardResult result) {
        AuditLog.log(new AuditRecord(clock.instant(), "offboard-" + result.outcome(), 200, request.principal(),
                request.sourceIp(), result.clusterId(), null, null, null, null, request.uid(), null,
                result.message(), "POST /offboard", null, null, Authentication.token()));
    }
}
