package io.ackrotator.issuance;

import io.ackrotator.ack.ClusterId;
import java.time.Duration;
import java.util.Set;

/** An authenticated caller of {@code issue}: its name (what the audit shows), what it may ask for, how often. */
public record Caller(String name, Set<String> clusters, Duration maxValidity, int maxPerHour) {

    public boolean mayAccess(ClusterId clusterId) {
        return clusters.contains("*") || clusters.contains(clusterId.value());
    }
}
