package io.ackrotator.rotation;

import io.ackrotator.store.Rejection;
import io.ackrotator.store.Revocation;
import java.time.Duration;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerIdentity;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.kubeconfig.KubeconfigException;
import io.ackrotator.store.KubeconfigStore;
import io.ackrotator.store.StoreConflictException;
import io.ackrotator.store.StoreException;
import io.ackrotator.store.StoreUpdate;
import io.ackrotator.store.StoredKubeconfig;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Rotates one cluster: decide, fetch, verify, store, record. The stored kubeconfig is only ever replaced by one that
 * parsed, matches its key, outlives the old one, and was proven against the same cluster's API server; the write is
 * conditional on what was read. A crash at any point leaves the old kubeconfig or the new verified one.
 */
public class KubeconfigRotator {

    private static final Logger LOG = Logger.getLogger("io.ackrotator.rotation");
    private static final int MAX_CONFLICTS = 3;

    private final KubeconfigStore store;
    private final ClusterPlacement placement;
    private final RenewalLock locks;
    private final ApiServerProbe probe;
    private final RenewalPolicy policy;
    private final Clock clock;
    private final Function<ClusterId, AckAccess> accessForNewCluster;
    private final Predicate<ClusterId> insecureTlsAllowed;
    private final Duration probeInterval;

    public KubeconfigRotator(KubeconfigStore store, AckClient ack, ApiServerProbe probe, RenewalPolicy policy,
            Clock clock, Function<ClusterId, AckAccess> accessForNewCluster, Predicate<ClusterId> insecureTlsAllowed) {
        this(store, ack, probe, policy, clock, accessForNewCluster, insecureTlsAllowed, Duration.ofDays(1));
    }

    public KubeconfigRotator(KubeconfigStore store, AckClient ack, ApiServerProbe probe, RenewalPolicy policy,
            Clock clock, Function<ClusterId, AckAccess> accessForNewCluster, Predicate<ClusterId> insecureTlsAllowed,
            Duration probeInterval) {
        this(store, ClusterPlacement.single(new io.ackrotator.ack.FleetScope(io.ackrotator.ack.FleetScope.HOME,
                ack.region()), ack, List.of()), RenewalLock.NONE, probe, policy, clock, accessForNewCluster,
                insecureTlsAllowed, probeInterval);
    }

    /**
     * {@code placement}: each cluster's account and region, and the ACK client to ask for its kubeconfig;
     * {@code locks}: held around each renewal.
     */
    public KubeconfigRotator(KubeconfigStore store, ClusterPlacement placement, RenewalLock locks,
            ApiServerProbe probe, RenewalPolicy policy, Clock clock, Function<ClusterId, AckAccess> accessForNewCluster,
            Predicate<ClusterId> insecureTlsAllowed, Duration probeInterval) {
        this.probeInterval = probeInterval;
        this.store = store;
        this.placement = placement;
        this.locks = locks;
        this.probe = probe;
        this.policy = policy;
        this.clock = clock;
        this.accessForNewCluster = accessForNewCluster;
        this.insecureTlsAllowed = insecureTlsAllowed;
    }

    public RotationResult rotate(ClusterId clusterId, boolean dryRun, boolean force) {
        return rotate(clusterId, dryRun, force, false);
    }

    /**
     * {@code reidentify}: accept a new kubeconfig whose certificate names another identity than the stored one (the
     * function's credentials were changed on purpose). Without it such a kubeconfig is refused: the store and every
     * KubeSphere host copy would silently switch to whoever's credentials this invocation had.
     */
    public RotationResult rotate(ClusterId clusterId, boolean dryRun, boolean force, boolean reidentify) {
        long started = System.nanoTime();
        RotationResult result;
        Optional<StoredKubeconfig> stored = Optional.empty();
        try {
            result = null;
            for (int attempt = 1; attempt <= MAX_CONFLICTS && result == null; attempt++) {
                stored = store.get(clusterId);
                try {
                    result = attempt(clusterId, stored, dryRun, force, reidentify);
                } catch (StoreConflictException e) {
                    LOG.debugf("cluster %s: store conflict (%s); reading again", clusterId, e.getMessage());
                }
            }
            if (result == null) {
                result = failed(clusterId, Optional.empty(), "the stored entry kept changing during the rotation ("
                        + MAX_CONFLICTS + " conflicts); left as it is", true);
            }
        } catch (AckException e) {
            result = failed(clusterId, stored, e.getMessage(), e.retryable());
        } catch (StoreException e) {
            result = failed(clusterId, stored, e.getMessage(), true);
        } catch (RuntimeException e) {
            result = failed(clusterId, stored, "unexpected " + e.getClass().getSimpleName(), false);
        }
        return record(clusterId, stored, result, (System.nanoTime() - started) / 1_000_000);
    }

    static final String LEASE_HELD = "another run is renewing it now (its Lease is held)";

    /** Whether {@code result} left its cluster because another run held the cluster's Lease. */
    static boolean leaseHeldElsewhere(RotationResult result) {
        return result.action() == RotationAction.DEFERRED && result.message() != null
                && result.message().startsWith(LEASE_HELD);
    }

    /**
     * A quiet cluster passed over from its trusted {@link StoredFacts}, without reading or parsing its kubeconfig:
     * the result the full rotation would give, logged the same way. Empty when it needs the full path (forced, due,
     * an authority expired, or its proof against the API server due).
     */
    public Optional<RotationResult> passOver(ClusterId clusterId, io.ackrotator.store.StoredFacts facts,
            boolean dryRun, boolean force) {
        Instant now = clock.instant();
        if (force || (!dryRun && RenewalPolicy.probeDue(facts.probedAt(), probeInterval, now))) {
            return Optional.empty();
        }
        return policy.quiet(facts, now).map(decision -> {
            LOG.infof("rotation clusterId=%s action=ok state=ok oldNotAfter=%s newNotAfter=null durationMs=0 "
                    + "message=\"%s\"", clusterId, facts.notAfter(), decision.message());
            return new RotationResult(clusterId.value(), RotationAction.OK, decision.state(), facts.notAfter(), null,
                    facts.subject(), decision.message(), null, Optional.empty(), null);
        });
    }

    private RotationResult attempt(ClusterId clusterId, Optional<StoredKubeconfig> stored, boolean dryRun,
            boolean force, boolean reidentify) {
        Instant now = clock.instant();
        if (stored.flatMap(StoredKubeconfig::revocation).isPresent()) {
            return dryRun ? finishRevocation(clusterId, stored.get(), true, now) : finishRevocationHeld(clusterId, now);
        }
        RenewalDecision decision = policy.evaluate(stored.map(StoredKubeconfig::kubeconfig),
                stored.flatMap(StoredKubeconfig::rejection), false, now);
        Optional<Kubeconfig> current = decision.current();
        boolean allowInsecure = insecureTlsAllowed.test(clusterId);
        if (current.isPresent() && current.get().insecureSkipTlsVerify() && !allowInsecure) {
            return failed(clusterId, stored, "the stored kubeconfig sets clusters[0].cluster.insecure-skip-tls-verify "
                    + "(TLS verification off): refused; replace it, or allow it for this cluster in "
                    + "rotator.insecure-tls-allowed", false);
        }
        boolean renew = decision.renew() || force;
        if (!renew && !dryRun && RenewalPolicy.probeDue(stored.flatMap(StoredKubeconfig::probedAt), probeInterval,
                now)) {
            Optional<Rejection> rejected = new StoredCredentialProof(store, probe).prove(stored.get(), current.get(),
                    allowInsecure, now);
            if (rejected.isPresent()) {
                decision = policy.evaluate(Optional.of(stored.get().kubeconfig()), rejected, false, now);
                renew = true;
            }
        }
        if (!renew) {
            return result(clusterId, RotationAction.OK, decision, current, Optional.empty(), decision.message());
        }
        if (dryRun) {
            String would = stored.isEmpty() ? "would adopt: " : "would rotate: ";
            return result(clusterId, RotationAction.DRY_RUN, decision, current, Optional.empty(),
                    would + decision.message());
        }

        RenewalDecision decided = decision;
        return underLease(clusterId, decision.state(), current.map(Kubeconfig::notAfter).orElse(null),
                "left to that run", () -> renew(clusterId, stored, decided, current, reidentify, allowInsecure, now));
    }

    /** {@code work} while this run holds the cluster's Lease; else the cluster is left to the run that holds it. */
    private RotationResult underLease(ClusterId clusterId, CertificateState state, Instant notAfter, String left,
            java.util.function.Supplier<RotationResult> work) {
        Optional<Runnable> release = locks.tryLock(clusterId);
        if (release.isEmpty()) {
            return new RotationResult(clusterId.value(), RotationAction.DEFERRED, state, notAfter, null, null,
                    LEASE_HELD + ": " + left, true, Optional.empty(), null);
        }
        try {
            return work.get();
        } finally {
            release.get().run();
        }
    }

    private RotationResult renew(ClusterId clusterId, Optional<StoredKubeconfig> stored, RenewalDecision decision,
            Optional<Kubeconfig> current, boolean reidentify, boolean allowInsecure, Instant now) {
        AckAccess access = stored.map(StoredKubeconfig::access).orElseGet(() -> accessForNewCluster.apply(clusterId));
        Kubeconfig fresh;
        try {
            fresh = Kubeconfig.parse(placement.ack(clusterId).describeUserKubeconfig(clusterId, access,
                    Optional.empty()).kubeconfig());
        } catch (KubeconfigException e) {
            return failed(clusterId, stored, "ACK returned an unusable kubeconfig: " + e.getMessage(), false);
        }
        if (current.isPresent() && !reidentify && !fresh.identity().user().equals(current.get().identity().user())) {
            return failed(clusterId, stored, "ACK returned a kubeconfig of another identity (CN=" + fresh.identity()
                    .user() + ") than the stored one (CN=" + current.get().identity().user() + "): the credentials "
                    + "this run used are not the ones the store was built with; kept the stored one. If the change "
                    + "is intended, rotate this cluster with \"reidentify\": true", false);
        }
        if (decision.state() == CertificateState.REJECTED && fresh.identity().sameCertificateAs(
                current.get().identity())) {
            return failed(clusterId, stored, "its API server refuses the stored certificate and ACK still returns "
                    + "it (serial " + fresh.identity().serial() + "); kept it, nothing better to store", true);
        }
        if (current.isPresent() && fresh.identity().sameCertificateAs(current.get().identity())) {
            return result(clusterId, RotationAction.NOT_YET_RENEWABLE, decision, current, Optional.empty(),
                    "ACK still returns the current certificate (serial " + fresh.identity().serial() + "); it issues "
                            + "a new one within 180 days of expiry. " + decision.message());
        }
        if (current.isPresent() && !fresh.notAfter().isAfter(current.get().notAfter())) {
            return failed(clusterId, stored, "ACK returned a certificate expiring " + fresh.notAfter()
                    + ", not later than the stored one; kept the stored one", false);
        }

        Optional<String> expectedUid = expectedClusterUid(stored, current, now, allowInsecure);
        ApiServerIdentity seen;
        try {
            seen = probe.probe(fresh, allowInsecure);
        } catch (ApiServerException e) {
            return failed(clusterId, stored, "new kubeconfig failed verification: " + e.getMessage()
                    + "; kept the stored one", e.kind() == ApiServerException.Kind.UNREACHABLE);
        }
        if (expectedUid.isPresent() && !expectedUid.get().equals(seen.kubeSystemUid())) {
            return failed(clusterId, stored, "new kubeconfig reaches another cluster (kube-system UID "
                    + seen.kubeSystemUid() + ", expected " + expectedUid.get() + "); kept the stored one", false);
        }

        // a refused certificate is no fallback worth keeping
        boolean refused = decision.state() == CertificateState.REJECTED;
        Optional<Kubeconfig> keep = current.filter(old -> !old.identity().isExpiredAt(now)).filter(old -> !refused);
        StoreUpdate update = new StoreUpdate(fresh, keep, access, Optional.of(seen.kubeSystemUid()), now,
                placement.storedScope(clusterId));
        if (stored.isPresent()) {
            store.replace(stored.get(), update);
        } else {
            store.create(clusterId, update);
        }
        RotationAction action = stored.isPresent() ? RotationAction.ROTATED : RotationAction.ADOPTED;
        String message = (action == RotationAction.ADOPTED ? "adopted: " : "rotated: ") + "new certificate expires "
                + fresh.notAfter() + (current.isPresent() ? " (was " + current.get().notAfter() + ")" : "");
        return result(clusterId, action, decision, current, Optional.of(fresh), message);
    }

    /**
     * A revocation is finished under the cluster's Lease, from the entry as it is once the Lease is held: another
     * run may have finished it meanwhile, and revoking again would revoke the kubeconfig that run just stored.
     */
    private RotationResult finishRevocationHeld(ClusterId clusterId, Instant now) {
        return underLease(clusterId, CertificateState.REVOKING, null, "its revocation is left to that run", () -> {
            Optional<StoredKubeconfig> current = store.get(clusterId);
            if (current.flatMap(StoredKubeconfig::revocation).isEmpty()) {
                RenewalDecision decision = policy.evaluate(current.map(StoredKubeconfig::kubeconfig),
                        Optional.empty(), false, now);
                return result(clusterId, RotationAction.OK, decision, decision.current(), Optional.empty(),
                        "another run finished its revocation");
            }
            return finishRevocation(clusterId, current.get(), false, now);
        });
    }

    /**
     * Finishes a revoke-and-recover recorded in the store: ACK revokes the function's kubeconfig (again, if a crash
     * hid whether it did: nothing newer is stored, so that is harmless), the step is recorded, then the new
     * long-term kubeconfig is fetched, must differ from the revoked one, is verified against the same cluster and
     * stored in one write that clears the record. The revoked one is not kept as a fallback.
     */
    private RotationResult finishRevocation(ClusterId clusterId, StoredKubeconfig stored, boolean dryRun,
            Instant now) {
        Revocation revocation = stored.revocation().orElseThrow();
        RenewalDecision decision = policy.evaluate(Optional.of(stored.kubeconfig()), Optional.empty(), true, now);
        Optional<Kubeconfig> current = decision.current();
        if (dryRun) {
            return result(clusterId, RotationAction.DRY_RUN, decision, current, Optional.empty(),
                    "would finish the revocation (" + revocation.phase().wireName() + ")");
        }
        StoredKubeconfig entry = stored;
        if (revocation.phase() == Revocation.Phase.REVOKING) {
            placement.ack(clusterId).revokeKubeconfig(clusterId);
            entry = store.recordRevocation(stored, revocation.revoked(clock.instant()));
        }
        Kubeconfig fresh;
        try {
            fresh = Kubeconfig.parse(placement.ack(clusterId).describeUserKubeconfig(clusterId, entry.access(),
                    Optional.empty())
                    .kubeconfig());
        } catch (KubeconfigException e) {
            return failed(clusterId, Optional.of(entry), "revoked; ACK returned an unusable kubeconfig: "
                    + e.getMessage() + "; the next sweep tries again", true);
        }
        if (fresh.identity().serial().equals(revocation.serial())) {
            return failed(clusterId, Optional.of(entry), "revoked, but ACK still returns the revoked certificate "
                    + "(serial " + revocation.serial() + "); the next sweep tries again", true);
        }
        if (current.isPresent() && !fresh.identity().user().equals(current.get().identity().user())) {
            return failed(clusterId, Optional.of(entry), "revoked; ACK returned a kubeconfig of another identity (CN="
                    + fresh.identity().user() + "); not stored", false);
        }
        boolean allowInsecure = insecureTlsAllowed.test(clusterId);
        ApiServerIdentity seen;
        try {
            seen = probe.probe(fresh, allowInsecure);
        } catch (ApiServerException e) {
            return failed(clusterId, Optional.of(entry), "revoked; the new kubeconfig failed verification: "
                    + e.getMessage() + "; the next sweep tries again", true);
        }
        if (entry.kubeSystemUid().isPresent() && !entry.kubeSystemUid().get().equals(seen.kubeSystemUid())) {
            return failed(clusterId, Optional.of(entry), "revoked; the new kubeconfig reaches another cluster "
                    + "(kube-system UID " + seen.kubeSystemUid() + "); not stored", false);
        }
        store.replace(entry, new StoreUpdate(fresh, Optional.empty(), entry.access(), Optional.of(seen.kubeSystemUid()),
                now));
        return result(clusterId, RotationAction.REVOKED, decision, current, Optional.of(fresh), "revoked ("
                + revocation.reason() + ") and replaced: new certificate serial " + fresh.identity().serial()
                + " expires " + fresh.notAfter());
    }

    /**
     * The cluster the new kubeconfig must reach: the UID recorded at the last rotation, else the one the old
     * kubeconfig sees while it still works. Without either (first adoption), the API server answering is the proof.
     */
    private Optional<String> expectedClusterUid(Optional<StoredKubeconfig> stored, Optional<Kubeconfig> current,
            Instant now, boolean allowInsecure) {
        Optional<String> recorded = stored.flatMap(StoredKubeconfig::kubeSystemUid);
        if (recorded.isPresent() || current.isEmpty() || current.get().identity().isExpiredAt(now)) {
            return recorded;
        }
        try {
            return Optional.of(probe.probe(current.get(), allowInsecure).kubeSystemUid());
        } catch (ApiServerException e) {
            return Optional.empty();
        }
    }

    private RotationResult result(ClusterId clusterId, RotationAction action, RenewalDecision decision,
            Optional<Kubeconfig> current, Optional<Kubeconfig> fresh, String message) {
        Kubeconfig shown = fresh.or(() -> current).orElse(null);
        return new RotationResult(clusterId.value(), action, decision.state(),
                current.map(Kubeconfig::notAfter).orElse(null), fresh.map(Kubeconfig::notAfter).orElse(null),
                shown == null ? null : shown.identity().subject(), message, null, fresh, null);
    }

    private RotationResult failed(ClusterId clusterId, Optional<StoredKubeconfig> stored, String message,
            boolean retryable) {
        RenewalDecision decision = policy.evaluate(stored.map(StoredKubeconfig::kubeconfig),
                stored.flatMap(StoredKubeconfig::rejection), stored.flatMap(StoredKubeconfig::revocation).isPresent(),
                clock.instant());
        Optional<Kubeconfig> current = decision.current();
        return new RotationResult(clusterId.value(), RotationAction.FAILED, decision.state(),
                current.map(Kubeconfig::notAfter).orElse(null), null,
                current.map(k -> k.identity().subject()).orElse(null), message, retryable, Optional.empty(), null);
    }

    /** Logs the result and writes its Event; an Event that could not be written is noted in the result. */
    private RotationResult record(ClusterId clusterId, Optional<StoredKubeconfig> stored, RotationResult result,
            long durationMillis) {
        String oldSerial = stored.flatMap(s -> Kubeconfig.tryParse(s.kubeconfig())).map(k -> k.identity().serial()).orElse("-");
        String newSerial = result.fresh().map(k -> k.identity().serial()).orElse("-");
        LOG.infof("rotation clusterId=%s action=%s state=%s oldNotAfter=%s newNotAfter=%s oldSerial=%s newSerial=%s "
                + "durationMs=%d message=\"%s\"", clusterId, result.action().wireName(), result.state().wireName(),
                result.oldNotAfter(), result.newNotAfter(), oldSerial, newSerial, durationMillis, result.message());
        String reason = switch (result.action()) {
            case ROTATED, ADOPTED -> "Rotated";
            case REVOKED -> "Revoked";
            case NOT_YET_RENEWABLE -> "NotYetRenewable";
            case FAILED -> "RotationFailed";
            default -> null;
        };
        if (result.action() == RotationAction.FAILED) {
            stored.ifPresent(entry -> store.recordError(entry, result.message(), clock.instant()));
        }
        if (reason != null && !store.recordEvent(clusterId, clock.instant(), reason, result.message(),
                result.action() == RotationAction.FAILED)) {
            return result.withoutKubeconfig().withNote("Event " + reason + " not written");
        }
        return result.withoutKubeconfig();
    }

}
