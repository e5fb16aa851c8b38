package io.ackrotator.store;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.kubeconfig.Kubeconfig;
import java.time.Instant;
import java.util.Optional;

/** What a rotation writes: the new kubeconfig, the one to keep as previous, and what the store records about them. */
public record StoreUpdate(Kubeconfig kubeconfig, Optional<Kubeconfig> previous, AckAccess access,
        Optional<String> kubeSystemUid, Instant rotatedAt) {

    @Override
    public String toString() {
        return "StoreUpdate[" + kubeconfig + ", rotatedAt=" + rotatedAt + "]";
    }
}
