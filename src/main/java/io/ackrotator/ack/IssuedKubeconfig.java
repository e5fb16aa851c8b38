package io.ackrotator.ack;

import java.time.Instant;
import java.util.Optional;

/** What {@code DescribeClusterUserKubeconfig} returned. The body is a secret: {@link #toString()} hides it. */
public record IssuedKubeconfig(String kubeconfig, Optional<Instant> expiration) {

    @Override
    public String toString() {
        return "IssuedKubeconfig[expiration=" + expiration.map(Instant::toString).orElse("unknown")
                + ", kubeconfig=<redacted>]";
    }
}
