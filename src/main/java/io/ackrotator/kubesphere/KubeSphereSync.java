package io.ackrotator.kubesphere;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.host.HostCluster;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.rotation.RotationConfig;
import io.ackrotator.rotation.RotationFollowUp;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StateConfigMap;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Re-syncs the members of a KubeSphere host; also the rotation sweep's follow-up for rotated clusters. */
@ApplicationScoped
public class KubeSphereSync implements RotationFollowUp {

    private final KubeSphereConfig config;
    private final RotationConfig rotation;
    private final HostCluster hostCluster;
    private final Clock clock;
    private final ApiServerProbe probe;
    private final MemberCheckSchedule schedule;

    /** Members checked and in sync: name → when, and a fingerprint of the kubeconfig their Cluster held. */
    static final String CHECKED = "ack-kubeconfig-rotator-member-checks";

    public KubeSphereSync(KubeSphereConfig config, RotationConfig rotation, HostCluster hostCluster, Clock clock) {
        this.config = config;
        this.rotation = rotation;
        this.hostCluster = hostCluster;
        this.clock = clock;
        this.probe = new ApiServerProbe(rotation.apiServerTimeout());
        this.schedule = new MemberCheckSchedule(rotation.probeInterval());
    }

    /** Re-syncs the named members (all when none are named). */
    public SyncReport resync(AckClient ack, List<String> names, boolean dryRun) {
        Instant startedAt = clock.instant();
        List<String> warnings = new ArrayList<>();
        if (!config.enabled()) {
            warnings.add("rotator.kubesphere.enabled=false: nothing done");
            return report(startedAt, dryRun, List.of(), warnings);
        }
        KubernetesClient client = hostCluster.client(ack);
        KubeSphereHostAccess host = new KubeSphereHostAccess(client, config, clock);
        List<MemberCluster> members = host.members();
        MemberSync sync = memberSync(client, host, members);
        List<SyncResult> results = new ArrayList<>();
        if (names.isEmpty()) {
            if (members.isEmpty()) {
                warnings.add("the host has no KubeSphere Cluster objects");
            }
            members.forEach(member -> results.add(sync.sync(member, dryRun)));
        } else {
            for (String name : names) {
                results.add(members.stream().filter(member -> member.name().equals(name)).findFirst()
                        .map(member -> sync.sync(member, dryRun))
                        .orElseGet(() -> new SyncResult(name, null, SyncResult.FAILED, List.of(), null,
                                "no KubeSphere Cluster named " + name + " on the host")));
            }
        }
        return report(startedAt, dryRun, results, warnings);
    }

    /**
     * Re-syncs the direct members mapped to a swept cluster whose check is due ({@link MemberCheckSchedule}): new
     * kubeconfigs go out, earlier drift is repaired. A member in sync is recorded as checked (ConfigMap
     * {@value #CHECKED}); one that needed a write or failed is checked again by the next sweep.
     */
    @Override
    public Map<String, Object> afterSweep(AckClient ack, List<ClusterId> swept, Set<ClusterId> renewed) {
        if (!config.enabled()) {
            return Map.of();
        }
        KubernetesClient client = hostCluster.client(ack);
        KubeSphereHostAccess host = new KubeSphereHostAccess(client, config, clock);
        Set<String> ids = new java.util.HashSet<>(swept.stream().map(ClusterId::value).toList());
        Set<String> renewedIds = new java.util.HashSet<>(renewed.stream().map(ClusterId::value).toList());
        List<MemberCluster> all = host.members();
        List<MemberCluster> mapped = all.stream()
                .filter(m -> m.clusterId().map(ids::contains).orElse(false) && !m.isHost()).toList();
        if (mapped.isEmpty()) {
            return Map.of();
        }
        StateConfigMap checks = new StateConfigMap(client, rotation.namespace(), CHECKED);
        StateConfigMap.Snapshot lastChecks = checks.read();
        Instant now = clock.instant();
        List<MemberCluster> due = mapped.stream().filter(m -> schedule.due(Optional.ofNullable(
                lastChecks.data().get(m.name())), m.hostCopy(), renewedIds.contains(m.clusterId().orElseThrow()), now))
                .toList();
        if (due.isEmpty()) {
            return Map.of();
        }
        MemberSync sync = memberSync(client, host, all);
        Map<String, String> nextChecks = new HashMap<>(lastChecks.data());
        nextChecks.keySet().retainAll(all.stream().map(MemberCluster::name).collect(java.util.stream.Collectors
                .toSet()));
        Map<String, Object> byCluster = new HashMap<>();
        for (MemberCluster member : due) {
            SyncResult result = sync.sync(member, false);
            if (result.outcome().equals(SyncResult.SYNCED) && result.actions().isEmpty() && member.hostCopy()
                    .isPresent()) {
                nextChecks.put(member.name(), MemberCheckSchedule.record(member.hostCopy().get(), now));
            } else {
                nextChecks.remove(member.name());
            }
            @SuppressWarnings("unchecked")
            List<SyncResult> list = (List<SyncResult>) byCluster.computeIfAbsent(member.clusterId().orElseThrow(),
                    id -> new ArrayList<SyncResult>());
            list.add(result);
        }
        if (!nextChecks.equals(lastChecks.data())) {
            try {
                checks.write(lastChecks, nextChecks);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // best effort: without the record the next sweep checks these members again
                org.jboss.logging.Logger.getLogger("io.ackrotator.kubesphere").debugf(
                        "member checks not recorded (%s)", io.ackrotator.kubeconfig.ApiAnswers.describe(e));
            }
        }
        return byCluster;
    }

    /** Per ACK cluster: whether each member's host copy is the stored certificate. */
    @Override
    public Map<String, Object> currency(AckClient ack) {
        if (!config.enabled()) {
            return Map.of();
        }
        KubernetesClient client = hostCluster.client(ack);
        KubeSphereHostAccess host = new KubeSphereHostAccess(client, config, clock);
        SecretKubeconfigStore store = new SecretKubeconfigStore(client, rotation.namespace());
        Map<String, Object> byCluster = new HashMap<>();
        for (MemberCluster member : host.members()) {
            Optional<ClusterId> id = KubeSphereHostAccess.clusterIdOf(member);
            if (id.isEmpty() || member.isHost() || !member.direct()) {
                continue;
            }
            Optional<Kubeconfig> stored = store.get(id.get()).map(StoredKubeconfig::kubeconfig)
                    .flatMap(Kubeconfig::tryParse);
            Optional<Kubeconfig> hostCopy = member.hostCopy().flatMap(Kubeconfig::tryParse);
            String state = hostCopy.isEmpty() ? "missing"
                    : stored.isPresent() && MemberSync.newer(stored.get(), hostCopy) ? "stale" : "current";
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("cluster", member.name());
            entry.put("hostCopy", state);
            hostCopy.ifPresent(k -> entry.put("hostCopyNotAfter", k.notAfter().toString()));
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) byCluster.computeIfAbsent(id.get().value(), k -> new ArrayList<>());
            list.add(entry);
        }
        return byCluster;
    }

    private MemberSync memberSync(KubernetesClient client, KubeSphereHostAccess host, List<MemberCluster> clusters) {
        return new MemberSync(host, new SecretKubeconfigStore(client, rotation.namespace()), probe,
                host.hostKubeSphere(clusters),
                rotation::allowsInsecureTls);
    }

    private SyncReport report(Instant startedAt, boolean dryRun, List<SyncResult> results, List<String> warnings) {
        Map<String, Long> summary = new LinkedHashMap<>();
        for (String outcome : List.of(SyncResult.SYNCED, SyncResult.FAILED, SyncResult.SKIPPED)) {
            summary.put(outcome, results.stream().filter(r -> r.outcome().equals(outcome)).count());
        }
        return new SyncReport(startedAt, clock.instant(), dryRun, results, summary, warnings);
    }
}
