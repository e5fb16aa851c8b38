package io.ackrotator.rotation;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.StoredKubeconfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only view of every managed cluster: what is stored, how long it lasts, and what the policy says of it. */
@ApplicationScoped
public class Inventory {

    private final RotationConfig config;
    private final RotationSweep sweep;
    private final Clock clock;

    public Inventory(RotationConfig config, RotationSweep sweep, Clock clock) {
        this.config = config;
        this.sweep = sweep;
        this.clock = clock;
    }

    public StatusReport status(AckClient ack) {
        return status(ack, false);
    }

    /**
     * {@code probe}: first prove each stored kubeconfig not proven within {@code rotator.probe-interval} against its
     * API server, as the sweep does, so a certificate revoked behind the function's back shows as {@code rejected}.
     */
    public StatusReport status(AckClient ack, boolean probe) {
        Instant now = clock.instant();
        KubeconfigStore store = sweep.store(ack);
        List<String> warnings = new ArrayList<>();
        if (probe) {
            StoredCredentialProof proof = new StoredCredentialProof(store, sweep.probe());
            Map<ClusterId, StoredKubeconfig> due = new LinkedHashMap<>();
            store.list().stream()
                    .filter(entry -> entry.revocation().isEmpty() && entry.rejection().isEmpty())
                    .filter(entry -> RenewalPolicy.probeDue(entry.probedAt(), config.probeInterval(), now))
                    .forEach(entry -> due.put(entry.clusterId(), entry));
            io.ackrotator.fleet.PerCluster.run(List.copyOf(due.keySet()), config.parallelism(), "status-probe",
                    id -> Kubeconfig.tryParse(due.get(id).kubeconfig()).flatMap(current -> proof.prove(due.get(id),
                            current, config.allowsInsecureTls(id), now)),
                    (id, why) -> Optional.empty());
        }
        Map<String, StoredKubeconfig> stored = new LinkedHashMap<>();
        store.list().forEach(entry -> stored.put(entry.clusterId().value(), entry));
        Map<String, String> names = new java.util.HashMap<>();
        ClusterPlacement placement = sweep.place(store, () -> stored.values().stream().map(StoredKubeconfig::clusterId)
                .toList(), ack, new SweepRequest(List.of(), true, false), warnings, names);
        List<ClusterId> managed = placement.clusters();
        if (names.isEmpty() && !managed.isEmpty()) {
            names.putAll(names(ack, warnings));
        }
        Map<String, Object> copies = new java.util.HashMap<>();
        for (RotationFollowUp followUp : sweep.followUps()) {
            copies.putAll(followUp.currency(ack));
        }
        List<ClusterStatus> clusters = managed.stream()
                .map(id -> statusOf(id, Optional.ofNullable(stored.get(id.value())), now, names.get(id.value()))
                        .named(placement.name(id)))
                .map(status -> copies.containsKey(status.clusterId())
                        ? status.withKubesphere(copies.get(status.clusterId())) : status)
                .toList();
        Map<String, Long> summary = new LinkedHashMap<>();
        for (CertificateState state : CertificateState.values()) {
            summary.put(state.wireName(), clusters.stream().filter(c -> c.state() == state).count());
        }
        return new StatusReport(now, config.renewBefore().toString(), clusters, summary, warnings);
    }

    /** Cluster names for people (the status page, metrics' cluster_name): one listing; without it, IDs only. */
    private static Map<String, String> names(AckClient ack, List<String> warnings) {
        Map<String, String> names = new java.util.HashMap<>();
        try {
            ack.listClusters(io.ackrotator.ack.ClusterFilter.all()).forEach(c -> names.put(c.clusterId(), c.name()));
        } catch (io.ackrotator.ack.AckException e) {
            warnings.add("cluster names unavailable (listing failed: " + e.getMessage() + ")");
        }
        return names;
    }

    private ClusterStatus statusOf(ClusterId id, Optional<StoredKubeconfig> stored, Instant now, String name) {
        RenewalDecision decision = sweep.policy().evaluate(stored.map(StoredKubeconfig::kubeconfig),
                stored.flatMap(StoredKubeconfig::rejection), stored.flatMap(StoredKubeconfig::revocation).isPresent(),
                now);
        Optional<Kubeconfig> current = decision.current();
        return new ClusterStatus(id.value(), decision.state(),
                current.map(k -> k.identity().subject()).orElse(null),
                current.map(k -> k.identity().serial()).orElse(null),
                current.map(Kubeconfig::notAfter).orElse(null),
                current.map(k -> RenewalPolicy.daysLeft(k, now)).orElse(null),
                current.map(k -> k.notAfter().minus(sweep.policy().renewBefore())).orElse(null),
                stored.map(s -> s.access().wireName()).orElse(sweep.accessFor(id).wireName()),
                stored.flatMap(StoredKubeconfig::rotatedAt).orElse(null),
                stored.flatMap(StoredKubeconfig::lastError).orElse(null),
                decision.message(), null, current.map(k -> k.identity().user()).orElse(null),
                current.map(k -> k.identity().notBefore()).orElse(null), name);
    }
}
