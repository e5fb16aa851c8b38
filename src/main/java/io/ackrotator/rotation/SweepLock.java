package io.ackrotator.rotation;

import io.ackrotator.ack.ClusterId;
import java.util.List;
import io.ackrotator.kubeconfig.ApiAnswers;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One sweep at a time per store: a coordination.k8s.io Lease in the store namespace. Overlapping timer runs, FC's
 * async retries and a manual call all go through it; a crashed holder's Lease expires after its duration. Every write
 * is conditional on the resourceVersion read, so two contenders can't both win.
 */
public class SweepLock {

    public static final String LEASE_NAME = "ack-kubeconfig-rotator-sweep";
    /** Clusters a sweep cut by its deadline did not start, for the next sweep to take first. */
    public static final String DEFERRED = "ack-kubeconfig-rotator.io/deferred";
    private static final int MAX_DEFERRED = 2000;
    private static final Logger LOG = Logger.getLogger(SweepLock.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Duration duration;
    private final Clock clock;

    public SweepLock(KubernetesClient client, String namespace, Duration duration, Clock clock) {
        this(client, namespace, LEASE_NAME, duration, clock);
    }

    /** A Lease of another name: one cluster's, taken while a fanned-out batch renews it. */
    public SweepLock(KubernetesClient client, String namespace, String name, Duration duration, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.duration = duration;
        this.clock = clock;
    }

    /** The Lease of one cluster, held while it is renewed by a fanned-out batch. */
    public static String clusterLease(ClusterId clusterId) {
        return "ack-kubeconfig-rotator-cluster-" + clusterId.value();
    }

    /** The current holder, when the Lease is held and not expired. */
    public Optional<String> holder() {
        Lease lease = read();
        return lease == null || !heldAt(lease, clock.instant()) ? Optional.empty()
                : Optional.of(lease.getSpec().getHolderIdentity());
    }

    /** When the last sweep took the Lease (its acquireTime stays after the release). */
    public Optional<Instant> lastAcquired() {
        Lease lease = read();
        return lease == null || lease.getSpec() == null || lease.getSpec().getAcquireTime() == null ? Optional.empty()
                : Optional.of(lease.getSpec().getAcquireTime().toInstant());
    }

    public Optional<Held> tryAcquire(String holder) {
        Instant now = clock.instant();
        try {
            Lease existing = read();
            if (existing == null) {
                Lease created = ApiAnswers.object(client.leases().inNamespace(namespace).resource(lease(
                        new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                                .endMetadata().build(), holder, now, 0)).create(), "the Lease create");
                return Optional.of(new Held(holder, now, created.getMetadata().getResourceVersion(), List.of()));
            }
            if (heldAt(existing, now)) {
                return Optional.empty();
            }
            int transitions = existing.getSpec() == null || existing.getSpec().getLeaseTransitions() == null ? 0
                    : existing.getSpec().getLeaseTransitions() + 1;
            Lease taken = ApiAnswers.object(client.leases().inNamespace(namespace).resource(lease(existing, holder, now,
                    transitions)).update(), "the Lease update");
            return Optional.of(new Held(holder, now, taken.getMetadata().getResourceVersion(), deferred(existing)));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty(); // somebody else took it between our read and our write
            }
            throw e;
        }
    }

    private static List<ClusterId> deferred(Lease lease) {
        String value = lease.getMetadata().getAnnotations() == null ? null
                : lease.getMetadata().getAnnotations().get(DEFERRED);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).filter(ClusterId::isShaped).map(ClusterId::of).toList();
    }

    private Lease read() {
        return ApiAnswers.object(client.leases().inNamespace(namespace).withName(name).get(), "the Lease read");
    }

    private boolean heldAt(Lease lease, Instant now) {
        var spec = lease.getSpec();
        if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()
                || spec.getRenewTime() == null) {
            return false;
        }
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return now.isBefore(spec.getRenewTime().toInstant().plusSeconds(seconds));
    }

    private Lease lease(Lease base, String holder, Instant now, int transitions) {
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        return new LeaseBuilder(base).withNewSpec()
                .withHolderIdentity(holder)
                .withAcquireTime(at)
                .withRenewTime(at)
                .withLeaseDurationSeconds((int) duration.toSeconds())
                .withLeaseTransitions(transitions)
                .endSpec().build();
    }

    /**
     * A held Lease: renewed as the sweep progresses (an update conditional on the resourceVersion this holder last
     * wrote, so a Lease another sweep took over is never written), released at the end. Once lost, it stays lost: the
     * sweep starts no more clusters.
     */
    public final class Held {
        private final String holder;
        private final List<ClusterId> deferredBefore;
        private Instant renewedAt;
        private String resourceVersion;
        private boolean lost;

        private Held(String holder, Instant renewedAt, String resourceVersion, List<ClusterId> deferredBefore) {
            this.holder = holder;
            this.renewedAt = renewedAt;
            this.resourceVersion = resourceVersion;
            this.deferredBefore = deferredBefore;
        }

        /** What the previous sweep left deferred when its deadline came. */
        public List<ClusterId> deferredBefore() {
            return deferredBefore;
        }

        /** Renews when a third of the duration has passed; false once the Lease is no longer this sweep's. */
        public synchronized boolean renewIfDue() {
            if (lost) {
                return false;
            }
            Instant now = clock.instant();
            if (Duration.between(renewedAt, now).compareTo(duration.dividedBy(3)) < 0) {
                return true;
            }
            try {
                Lease lease = read();
                if (lease == null || lease.getSpec() == null || !holder.equals(lease.getSpec().getHolderIdentity())
                        || !lease.getMetadata().getResourceVersion().equals(resourceVersion)) {
                    return lose(lease == null || lease.getSpec() == null ? "the Lease is gone"
                            : "the Lease is held by " + lease.getSpec().getHolderIdentity());
                }
                lease.getSpec().setRenewTime(now.atZone(ZoneOffset.UTC));
                Lease renewed = ApiAnswers.object(client.leases().inNamespace(namespace).resource(lease).update(),
                        "the Lease renewal");
                resourceVersion = renewed.getMetadata().getResourceVersion();
                renewedAt = now;
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return lose("another sweep wrote the Lease");
                }
                LOG.warnf("could not renew the sweep Lease (%s)", ApiAnswers.describe(e));
                // still ours until it expires; stop before it could be
                return now.isBefore(renewedAt.plus(duration.multipliedBy(2).dividedBy(3))) || lose("renewal failed "
                        + "for two thirds of " + duration);
            }
        }

        private boolean lose(String why) {
            lost = true;
            LOG.warnf("sweep Lease lost: %s; no more clusters are started", why);
            return false;
        }

        /** Gives the Lease back; a failure to do so is returned as a warning (the Lease then expires by itself). */
        public synchronized Optional<String> release() {
            return release(List.of());
        }

        /** Gives the Lease back, noting the clusters this sweep left {@code deferred} for the next one. */
        public synchronized Optional<String> release(List<ClusterId> deferred) {
            try {
                Lease lease = read();
                if (!lost && lease != null && lease.getSpec() != null
                        && holder.equals(lease.getSpec().getHolderIdentity())) {
                    lease.getSpec().setHolderIdentity(null);
                    lease.getSpec().setRenewTime(null);
                    java.util.Map<String, String> annotations = new java.util.HashMap<>(
                            lease.getMetadata().getAnnotations() == null ? java.util.Map.of()
                                    : lease.getMetadata().getAnnotations());
                    if (deferred.isEmpty()) {
                        annotations.remove(DEFERRED);
                    } else {
                        annotations.put(DEFERRED, deferred.stream().limit(MAX_DEFERRED).map(ClusterId::value)
                                .collect(java.util.stream.Collectors.joining(",")));
                    }
                    lease.getMetadata().setAnnotations(annotations);
                    ApiAnswers.object(client.leases().inNamespace(namespace).resource(lease).update(),
                            "the Lease release");
                }
                return Optional.empty();
            } catch (KubernetesClientException e) {
                String warning = "the sweep Lease could not be released (" + ApiAnswers.describe(e) + "); it expires "
                        + "after " + duration + " by itself";
                LOG.warn(warning);
                return Optional.of(warning);
            }
        }
    }
}
