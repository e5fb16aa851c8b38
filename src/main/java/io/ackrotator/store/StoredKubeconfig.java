package io.ackrotator.store;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import java.time.Instant;
import java.util.Optional;

/**
 * One cluster's entry in the store: the current kubeconfig, the one it replaced (kept until it expires), how it is
 * reached, the cluster's {@code kube-system} UID when known, and bookkeeping: when the stored certificate was last
 * proven against its API server, whether the server refused it, and a revocation in progress. {@code version} is the store's
 * optimistic-concurrency token. {@link #toString()} hides both kubeconfigs.
 */
public record StoredKubeconfig(ClusterId clusterId, String kubeconfig, Optional<String> previous, AckAccess access,
        Optional<String> kubeSystemUid, Optional<Instant> rotatedAt, Optional<String> lastError, String version,
        Optional<Instant> probedAt, Optional<Rejection> rejection, Optional<Revocation> revocation) {

    public StoredKubeconfig(ClusterId clusterId, String kubeconfig, Optional<String> previous, AckAccess access,
            Optional<String> kubeSystemUid, Optional<Instant> rotatedAt, Optional<String> lastError, String version) {
        this(clusterId, kubeconfig, previous, access, kubeSystemUid, rotatedAt, lastError, version, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return "StoredKubeconfig[clusterId=" + clusterId + ", access=" + access.wireName() + ", version=" + version
                + ", kubeconfig=<redacted>]";
    }
}
