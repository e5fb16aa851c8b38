package io.ackrotator.issuance;

import io.ackrotator.ack.ClusterId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * An authenticated caller of {@code issue}: its name (what the audit shows), what it may ask for, how often, and the
 * RAM role whose identity its kubeconfigs carry (empty: the function's own, only by explicit {@code identity:
 * function}).
 */
public record Caller(String name, Set<String> clusters, Duration maxValidity, int maxPerHour,
        Optional<String> ramRoleArn) {

    public boolean mayAccess(ClusterId clusterId) {
        return clusters.contains("*") || clusters.contains(clusterId.value());
    }
}
