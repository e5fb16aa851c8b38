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
