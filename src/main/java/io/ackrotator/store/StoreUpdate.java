package io.ackrotator.store;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.kubeconfig.Kubeconfig;
import java.time.Instant;
import io.ackrotator.ack.FleetScope;
import java.util.Optional;

/**
 * What a rotation writes: the new kubeconfig, the one to keep as previous, and what the store records about them;
 * {@code scope}, where a cluster stored for the first time lives (none: the home account in ack.region).
 */
public record StoreUpdate(Kubeconfig kubeconfig, Optional<Kubeconfig> previous, AckAccess access,
        Optional<String> kubeSystemUid, Instant rotatedAt, Optional<FleetScope> scope) {

    public StoreUpdate(Kubeconfig kubeconfig, Optional<Kubeconfig> previous, AckAccess access,
            Optional<String> kubeSystemUid, Instant rotatedAt) {
        this(kubeconfig, previous, access, kubeSystemUid, rotatedAt, Optional.empty());
    }

    @Override
    public String toString() {
        return "StoreUpdate[" + kubeconfig + ", rotatedAt=" + rotatedAt + "]";
    }
}
