package io.ackrotator.rotation;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.ClusterId;
import java.util.List;
import java.util.Map;

/**
 * Whatever else holds copies of a cluster's kubeconfig (a KubeSphere host) and must follow a rotation. The sweep
 * calls it in the same run, so a rotation is never left half-propagated; the status view asks whether the copies
 * are current. Results are keyed by cluster ID and shown as they are.
 */
public interface RotationFollowUp {

    /**
     * Brings the copies of the swept clusters' kubeconfigs up to date: those {@code renewed} in this sweep, and any
     * left stale or drifting by an earlier run that was interrupted, so a fault-free sweep converges.
     */
    Map<String, Object> afterSweep(AckClient ack, List<ClusterId> swept, java.util.Set<ClusterId> renewed);

    Map<String, Object> currency(AckClient ack);
}
