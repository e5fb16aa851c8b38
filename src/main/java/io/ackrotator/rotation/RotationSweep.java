package io.ackrotator.rotation;

import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.store.Revocation;
import io.ackrotator.store.StoreConflictException;
import io.ackrotator.fleet.PerCluster;
import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.fleet.Fleet;
import io.ackrotator.host.HostCluster;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreException;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A rotation sweep over every managed cluster: bounded parallelism, one Lease-guarded sweep at a time, one result per
 * cluster whatever happens to the others.
 */
@ApplicationScoped
public class RotationSweep {

    private static final Logger LOG = Logger.getLogger("io.ackrotator.rotation");

    private final RotationConfig config;
    private final HostCluster host;
    private final Clock clock;
    private final RenewalPolicy policy;
    private final ApiServerProbe probe;

    private final Instance<RotationFollowUp> followUps;

    private final Instance<SweepListener> listeners;
    private final Fleet fleet;
    private final Instance<BatchOutcomes> batchOutcomes;
    private final boolean renewalLeases;
    private final io.ackrotator.ack.AckConfig ack;
    static final String DEADLINE_NOTE = "not started: the sweep reached its deadline";

    public RotationSweep(RotationConfig config, HostCluster host, Clock clock, Instance<RotationFollowUp> followUps,
            Instance<SweepListener> listeners, Fleet fleet, Instance<BatchOutcomes> batchOutcomes,
            io.ackrotator.fanout.FanoutConfig fanout, io.ackrotator.ack.AckConfig ack) {
        this.ack = ack;
        this.fleet = fleet;
        this.batchOutcomes = batchOutcomes;
        // with fan-out, batches may overlap each other and a direct sweep: every renewal holds its cluster's Lease
        this.renewalLeases = fanout.enabled();
        this.config = config;
        this.host = host;
        this.clock = clock;
        this.followUps = followUps;
        this.listeners = listeners;
        this.policy = new RenewalPolicy(config.renewBefore());
        this.probe = new ApiServerProbe(config.apiServerTimeout());
    }

    /** Fails start-up on a configuration that can't work, with a message naming the property. */
    void validate(@Observes StartupEvent event) {
        RenewalPolicy.validated(config.renewBefore());
        if (config.parallelism() < 1) {
            throw new IllegalArgumentException("rotator.parallelism must be at least 1");
        }
        if (config.sweepDeadline().isNegative() || config.sweepDeadline().isZero()) {
            throw new IllegalArgumentException("rotator.sweep.deadline must be positive");
        }
        if (config.probeInterval().isNegative()) {
            throw new IllegalArgumentException("rotator.probe-interval must not be negative (PT0S: every sweep)");
        }
        if (renewalLeases) {
            ClusterLeases.validated(config.clusterLeaseDuration(), ClusterLeases.slowestRenewal(ack.connectTimeout(),
                    ack.readTimeout(), ack.retry().maxAttempts(), ack.retry().maxBackoff(), config.apiServerTimeout()));
        }
        AckAccess.fromWireName(config.defaultAccess(), "rotator.default-access");
        config.access().forEach((id, access) -> AckAccess.fromWireName(access, "rotator.access." + id));
    }

    Instance<RotationFollowUp> followUps() {
        return followUps;
    }

    ApiServerProbe probe() {
        return probe;
    }

    public RenewalPolicy policy() {
        return policy;
    }

    /** When the last sweep started, as its Lease says. */
    public Optional<Instant> lastStarted(AckClient ack) {
        return new SweepLock(host.client(ack), config.namespace(), config.leaseDuration(), clock).lastAcquired();
    }

    public KubeconfigStore store(AckClient ack) {
        return new SecretKubeconfigStore(host.client(ack), config.namespace());
    }

    /**
     * Adopts clusters an event announced (an ACK CreateCluster), within the discovery filters: their first kubeconfig
     * fetched, verified and stored, their KubeSphere members re-synced, as a sweep of just those clusters does.
     */
    public RotationReport adopt(AckClient ack, List<ClusterId> announced) {
        List<String> warnings = new ArrayList<>();
        List<ClusterId> admitted;
        try {
            admitted = ManagedClusters.adoptable(config, ack, announced, warnings);
        } catch (io.ackrotator.ack.AckException e) {
            throw new SweepUnavailableException("the discovery filters can't be checked: " + e.getMessage());
        }
        if (admitted.isEmpty()) {
            Instant now = clock.instant();
            return new RotationReport("adopt-" + UUID.randomUUID().toString().substring(0, 8),
                    RotationReport.COMPLETED, false, now, now, List.of(), RotationReport.summarise(List.of()),
                    List.copyOf(warnings));
        }
        return run(ack, new SweepRequest(admitted, false, false)).withWarningsFirst(warnings);
    }

    /**
     * Revokes the stored credential of {@code clusterId} and recovers: the intent is recorded in the store first
     * ({@code revoking}, with the reason and time), then a sweep of that cluster revokes at ACK, fetches, verifies
     * and stores the new kubeconfig and re-syncs its KubeSphere members. A crash or retry at any step leaves the
     * record, and the next sweep (or this call again) finishes the job. Empty when nothing is stored for it.
     */
    public Optional<RotationReport> revoke(AckClient ack, ClusterId clusterId, String reason) {
        KubeconfigStore store;
        try {
            store = store(ack);
            for (int attempt = 1;; attempt++) {
                Optional<StoredKubeconfig> stored = store.get(clusterId);
                if (stored.isEmpty()) {
                    return Optional.empty();
                }
                if (stored.get().revocation().isPresent()) {
                    break; // started before: finish that one
                }
                String serial = Kubeconfig.tryParse(stored.get().kubeconfig()).map(k -> k.identity().serial())
                        .orElse("");
                try {
                    store.recordRevocation(stored.get(), new Revocation(Revocation.Phase.REVOKING, reason,
                            clock.instant(), serial, Optional.empty()));
                    break;
                } catch (StoreConflictException e) {
                    if (attempt == 3) {
                        throw new SweepUnavailableException("the stored entry kept changing; nothing revoked");
                    }
                }
            }
        } catch (StoreException | KubernetesClientException e) {
            throw new SweepUnavailableException("the store can't be written: " + e.getMessage() + "; nothing revoked");
        }
        LOG.infof("revocation recorded clusterId=%s reason=\"%s\"", clusterId, reason);
        return Optional.of(run(ack, new SweepRequest(List.of(clusterId), false, false)));
    }

    public RotationReport run(AckClient ack, SweepRequest request) {
        String runId = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        Instant startedAt = clock.instant();
        KubernetesClient client;
        List<String> warnings = new ArrayList<>();
        List<ClusterId> clusters;
        KubeconfigStore store;
        ClusterPlacement placement;
        // the listing's trusted facts: a quiet cluster is passed over without reading it again
        java.util.Map<ClusterId, Optional<io.ackrotator.store.StoredFacts>> facts = new java.util.HashMap<>();
        try {
            client = host.client(ack);
            store = new SecretKubeconfigStore(client, config.namespace());
            placement = place(store, () -> {
                facts.putAll(store.listFacts());
                return List.copyOf(facts.keySet());
            }, ack, request, warnings, new java.util.HashMap<>());
            clusters = placement.clusters();
        } catch (StoreException | KubernetesClientException e) {
            throw new SweepUnavailableException("the store can't be read: " + e.getMessage());
        }

        SweepLock lock = new SweepLock(client, config.namespace(), config.leaseDuration(), clock);
        Optional<SweepLock.Held> held = Optional.empty();
        if (!request.dryRun()) {
            try {
                held = lock.tryAcquire(runId);
            } catch (KubernetesClientException e) {
                throw new SweepUnavailableException("the sweep Lease can't be taken (" + ApiAnswers.describe(e) + ")");
            }
            if (held.isEmpty()) {
                String holder = lock.holder().orElse("another sweep");
                LOG.infof("sweep runId=%s skipped: %s holds the Lease", runId, holder);
                return new RotationReport(runId, RotationReport.IN_PROGRESS, false, startedAt, clock.instant(),
                        List.of(), RotationReport.summarise(List.of()),
                        List.of("sweep in progress: " + holder + " holds the Lease " + config.namespace() + "/"
                                + SweepLock.LEASE_NAME + "; nothing done"));
            }
        }
        List<RotationResult> results = List.of();
        Instant deadline = startedAt.plus(config.sweepDeadline());
        try {
            KubeconfigRotator rotator = rotator(store, placement, renewalLeases ? clusterLeases(client, runId)
                    : RenewalLock.NONE);
            List<ClusterId> ordered = deferredFirst(clusters, held.map(SweepLock.Held::deferredBefore)
                    .orElse(List.of()));
            results = followUp(ack, rotateAll(rotator, placement, ordered, request, held, deadline, facts),
                    request.dryRun(), warnings);
        } finally {
            List<ClusterId> deferred = results.stream().filter(r -> r.action() == RotationAction.DEFERRED)
                    .map(r -> ClusterId.of(r.clusterId())).toList();
            held.flatMap(lease -> lease.release(deferred)).ifPresent(warnings::add);
        }
        return finish(ack, runId, startedAt, request, results, warnings);
    }

    /**
     * One batch of a fanned-out sweep ({@code clusters} named {@code account/region/clusterId}): no sweep Lease, each
     * cluster's own Lease while it is renewed, the sweep's deadline, and the batch's outcome kept for status.
     */
    public RotationReport runBatch(AckClient ack, String sweepId, int batch, List<String> clusters) {
        String runId = "batch-" + batch + "-" + UUID.randomUUID().toString().substring(0, 8);
        Instant startedAt = clock.instant();
        List<String> warnings = new ArrayList<>();
        KubernetesClient client;
        KubeconfigStore store;
        try {
            client = host.client(ack);
            store = new SecretKubeconfigStore(client, config.namespace());
        } catch (StoreException | KubernetesClientException e) {
            throw new SweepUnavailableException("the store can't be read: " + e.getMessage());
        }
        java.util.Map<ClusterId, io.ackrotator.ack.FleetScope> placed = new java.util.LinkedHashMap<>();
        for (String name : clusters) {
            try {
                java.util.Map.Entry<ClusterId, io.ackrotator.ack.FleetScope> located = fleet.locate(name);
                placed.put(located.getKey(), located.getValue());
            } catch (IllegalArgumentException e) {
                warnings.add("batch cluster '" + name + "' skipped: " + e.getMessage());
            }
        }
        ClusterPlacement placement = new ClusterPlacement(placed, fleet.home(), scope -> fleet.client(scope, ack));
        SweepRequest request = new SweepRequest(placement.clusters(), false, false);
        KubeconfigRotator rotator = rotator(store, placement, clusterLeases(client, runId));
        Instant deadline = startedAt.plus(config.sweepDeadline());
        List<RotationResult> results = followUp(ack, awaitHeld(rotator, placement, request, deadline,
                rotateAll(rotator, placement, placement.clusters(), request, Optional.empty(), deadline,
                        java.util.Map.of())), false, warnings);
        RotationReport report = finish(ack, runId, startedAt, request, results, warnings);
        batchOutcomes.forEach(outcome -> outcome.batchFinished(ack, sweepId, batch, report));
        return report;
    }

    private KubeconfigRotator rotator(KubeconfigStore store, ClusterPlacement placement, RenewalLock locks) {
        return new KubeconfigRotator(store, placement, locks, probe, policy, clock, this::accessFor,
                config::allowsInsecureTls, config.probeInterval());
    }

    private ClusterLeases clusterLeases(KubernetesClient client, String runId) {
        return new ClusterLeases(client, config.namespace(), runId, config.clusterLeaseDuration(), clock);
    }

    /**
     * A batch's clusters whose Lease another run held, decided again once it is free: FC retries a batch whose
     * instance died within seconds, while the dead run's Leases last {@code rotator.cluster-lease-duration}. Each
     * is read from the store again, so one the other run renewed is now simply quiet.
     */
    private List<RotationResult> awaitHeld(KubeconfigRotator rotator, ClusterPlacement placement,
            SweepRequest request, Instant deadline, List<RotationResult> results) {
        long rounds = config.clusterLeaseDuration().plus(HELD_POLL).toMillis() / HELD_POLL.toMillis() + 1;
        List<RotationResult> current = results;
        for (long round = 0; round < rounds; round++) {
            List<ClusterId> held = current.stream().filter(KubeconfigRotator::leaseHeldElsewhere)
                    .map(r -> ClusterId.of(r.clusterId())).toList();
            if (held.isEmpty()) {
                break;
            }
            long left = java.time.Duration.between(clock.instant(), deadline).toMillis();
            if (left <= HELD_POLL.toMillis()) {
                break; // no time for another look: the next sweep takes them
            }
            try {
                Thread.sleep(HELD_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            java.util.Map<String, RotationResult> again = new java.util.HashMap<>();
            rotateAll(rotator, placement, held, request, Optional.empty(), deadline, java.util.Map.of())
                    .forEach(r -> again.put(r.clusterId(), r));
            current = current.stream().map(r -> again.getOrDefault(r.clusterId(), r)).toList();
        }
        return current;
    }

    private static final java.time.Duration HELD_POLL = java.time.Duration.ofSeconds(2);

    private RotationReport finish(AckClient ack, String runId, Instant startedAt, SweepRequest request,
            List<RotationResult> results, List<String> warnings) {
        if (!request.dryRun()) {
            for (SweepListener listener : listeners) {
                try {
                    warnings.addAll(listener.sweepFinished(ack, results));
                } catch (RuntimeException e) {
                    warnings.add("after-sweep " + listener.getClass().getSimpleName().replace("_Subclass", "")
                            + " failed (unexpected " + e.getClass().getSimpleName() + ")");
                }
            }
        }
        boolean cut = results.stream().anyMatch(r -> r.action() == RotationAction.DEFERRED);
        long lateOnes = results.stream().filter(r -> r.action() == RotationAction.DEFERRED
                && r.message().startsWith(DEADLINE_NOTE)).count();
        if (lateOnes > 0) {
            warnings.add("the sweep reached rotator.sweep.deadline (" + config.sweepDeadline() + ") and left "
                    + lateOnes + " clusters deferred; the next sweep takes them first");
        }
        RotationReport report = new RotationReport(runId, cut ? RotationReport.DEADLINE : RotationReport.COMPLETED,
                request.dryRun(), startedAt, clock.instant(), results, RotationReport.summarise(results), warnings);
        if (!request.dryRun()) {
            io.ackrotator.metrics.Recorded.sweep(report.status(), java.time.Duration.between(startedAt,
                    report.finishedAt()));
            results.forEach(result -> io.ackrotator.metrics.Recorded.rotation(result.action().wireName()));
        }
        LOG.infof("sweep runId=%s dryRun=%s clusters=%d summary=%s", runId, request.dryRun(), results.size(),
                report.summary());
        return report;
    }

    /**
     * The sweep's clusters and where they live: with one account and region as before; with several, every scope's
     * (each cluster then asked through its own account's client).
     */
    public ClusterPlacement place(KubeconfigStore store, AckClient ack, SweepRequest request,
            List<String> warnings) {
        return place(store, store::listIds, ack, request, warnings, new java.util.HashMap<>());
    }

    /**
     * As above, the stored IDs from {@code storedIds} (asked only when the request names no clusters); {@code names}
     * receives the clusters' names where a discovery listing said them.
     */
    ClusterPlacement place(KubeconfigStore store, java.util.function.Supplier<List<ClusterId>> storedIds,
            AckClient ack, SweepRequest request, List<String> warnings, java.util.Map<String, String> names) {
        if (fleet.scopes().size() == 1) {
            return ClusterPlacement.single(fleet.home(), ack, ManagedClusters.resolve(config, storedIds, ack,
                    request, warnings, names));
        }
        java.util.Map<ClusterId, io.ackrotator.ack.FleetScope> placed = ManagedClusters.place(config, fleet, store,
                storedIds, ack, request, warnings, names);
        return new ClusterPlacement(placed, fleet.home(), scope -> fleet.client(scope, ack));
    }

    /** Hands the swept clusters to the follow-ups, and notes what they did per cluster. */
    private List<RotationResult> followUp(AckClient ack, List<RotationResult> results, boolean dryRun,
            List<String> warnings) {
        if (dryRun || results.isEmpty()) {
            return results;
        }
        List<ClusterId> swept = results.stream().filter(r -> r.action() != RotationAction.DEFERRED)
                .map(r -> ClusterId.of(r.clusterId())).toList();
        if (swept.isEmpty()) {
            return results;
        }
        java.util.Set<ClusterId> renewed = results.stream().filter(r -> r.action().renewsCredential())
                .map(r -> ClusterId.of(r.clusterId())).collect(java.util.stream.Collectors.toSet());
        java.util.Map<String, Object> notes = new java.util.HashMap<>();
        for (RotationFollowUp followUp : followUps) {
            try {
                notes.putAll(followUp.afterSweep(ack, swept, renewed));
            } catch (RuntimeException e) {
                // whatever went wrong after the rotations, the sweep's report (what was rotated) is the answer
                String why = e instanceof KubernetesClientException k ? ApiAnswers.describe(k)
                        : e instanceof StoreException || e instanceof io.ackrotator.ack.AckException ? e.getMessage()
                        : "unexpected " + e.getClass().getSimpleName();
                LOG.warnf("follow-up %s failed: %s", followUp.getClass().getSimpleName(), why);
                warnings.add("follow-up " + followUp.getClass().getSimpleName().replace("_Subclass", "")
                        + " failed (" + why + "); the next sweep tries again");
            }
        }
        return results.stream().map(r -> notes.containsKey(r.clusterId()) ? r.withKubesphere(notes.get(r.clusterId()))
                : r).toList();
    }

    /** The clusters the last sweep left deferred come first, so a fleet larger than one run still converges. */
    static List<ClusterId> deferredFirst(List<ClusterId> clusters, List<ClusterId> deferred) {
        // sets, not List.contains: a list search per cluster made this quadratic, 3.5 s of a 1,000-cluster sweep
        // natively (where each ClusterId.equals went through an interpreted method handle)
        java.util.Set<ClusterId> known = new java.util.HashSet<>(clusters);
        java.util.Set<ClusterId> ordered = new java.util.LinkedHashSet<>();
        deferred.stream().filter(known::contains).forEach(ordered::add);
        ordered.addAll(clusters);
        return List.copyOf(ordered);
    }

    /** Each of {@code clusters} in turn (in parallel), every result named where it lives. */
    private List<RotationResult> rotateAll(KubeconfigRotator rotator, ClusterPlacement placement,
            List<ClusterId> clusters, SweepRequest request, Optional<SweepLock.Held> held, Instant deadline,
            java.util.Map<ClusterId, Optional<io.ackrotator.store.StoredFacts>> facts) {
        return PerCluster.run(clusters, config.parallelism(), "rotation-sweep", id -> {
            if (!clock.instant().isBefore(deadline)) {
                return new RotationResult(id.value(), RotationAction.DEFERRED, null, null, null, null,
                        DEADLINE_NOTE + "; the next sweep takes this cluster first",
                        true, Optional.empty(), null);
            }
            if (held.isPresent() && !held.get().renewIfDue()) {
                return interrupted(id, "not started: the sweep lost its Lease to another sweep; the next sweep "
                        + "covers this cluster");
            }
            return facts.getOrDefault(id, Optional.empty()).flatMap(known -> rotator.passOver(id, known,
                    request.dryRun(), request.force())).orElseGet(() -> rotator.rotate(id, request.dryRun(),
                            request.force(), request.reidentify()));
        }, RotationSweep::interrupted).stream()
                .map(r -> r.named(placement.name(ClusterId.of(r.clusterId())))).toList();
    }

    private static RotationResult interrupted(ClusterId id, String message) {
        return new RotationResult(id.value(), RotationAction.FAILED, null, null, null, null,
                message, true, Optional.empty(), null);
    }

    AckAccess accessFor(ClusterId clusterId) {
        return AckAccess.fromWireName(config.access().getOrDefault(clusterId.value(), config.defaultAccess()),
                "rotator.access");
    }
}
