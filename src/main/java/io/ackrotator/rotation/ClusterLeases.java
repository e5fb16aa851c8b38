package io.ackrotator.rotation;

import io.ackrotator.ack.ClusterId;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** A Lease per cluster (in the store namespace), held by one run while it renews that cluster. */
final class ClusterLeases implements RenewalLock {

    private final KubernetesClient client;
    private final String namespace;
    private final String holder;
    private final Duration duration;
    private final Clock clock;

    ClusterLeases(KubernetesClient client, String namespace, String holder, Duration duration, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.holder = holder;
        this.duration = duration;
        this.clock = clock;
    }

    /**
     * How long one renewal or revocation can take at its slowest: two ACK calls (revoke, then describe), each every
     * attempt waiting out its connect and read timeouts with the longest backoff between, and two API server checks.
     */
    static Duration slowestRenewal(Duration ackConnect, Duration ackRead, int ackAttempts, Duration ackMaxBackoff,
            Duration apiServerTimeout) {
        Duration ackCall = ackConnect.plus(ackRead).multipliedBy(ackAttempts)
                .plus(ackMaxBackoff.multipliedBy(Math.max(0, ackAttempts - 1)));
        return ackCall.multipliedBy(2).plus(apiServerTimeout.multipliedBy(2));
    }

    /** Refuses a Lease lifetime shorter than {@code slowest}, naming the setting and what it must outlast. */
    static Duration validated(Duration lease, Duration slowest) {
        if (lease.compareTo(slowest) < 0) {
            throw new IllegalArgumentException("rotator.cluster-lease-duration (" + lease + ") must outlast one "
                    + "renewal or revocation at its slowest, " + slowest + ": two ACK calls of ack.retry.max-attempts "
                    + "x (ack.connect-timeout + ack.read-timeout) with ack.retry.max-backoff between, and two "
                    + "rotator.api-server-timeout");
        }
        return lease;
    }

    @Override
    public Optional<Runnable> tryLock(ClusterId clusterId) {
        SweepLock lease = new SweepLock(client, namespace, SweepLock.clusterLease(clusterId), duration, clock);
        try {
            return lease.tryAcquire(holder).map(held -> held::release);
        } catch (KubernetesClientException e) {
            return Optional.empty(); // can't tell who holds it: leave the cluster to the next run
        }
    }
}
