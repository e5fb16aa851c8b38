package io.ackrotator.rotation;

import io.ackrotator.ack.ClusterId;
import java.util.Optional;

/**
 * Held while one cluster's kubeconfig is renewed, so two runs (overlapping fanned-out batches, a retried batch and a
 * timer) never renew the same cluster at once. Taken only for a cluster about to be renewed: a quiet cluster costs
 * nothing.
 */
public interface RenewalLock {

    /** Nothing to coordinate with: one sweep at a time holds the sweep Lease. */
    RenewalLock NONE = clusterId -> Optional.of(() -> { });

    /** The release, or empty when another run holds the cluster now. */
    Optional<Runnable> tryLock(ClusterId clusterId);
}
