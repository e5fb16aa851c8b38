package io.ackrotator.rotation;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.FleetScope;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where each cluster of a sweep lives, and the ACK client of its account and region, made the first time a cluster
 * there needs one (so a scope whose role can't be assumed fails its own clusters only).
 */
public final class ClusterPlacement {

    private final Map<ClusterId, FleetScope> scopes;
    private final List<ClusterId> clusters;
    private final FleetScope home;
    private final Function<FleetScope, AckClient> clientOf;
    private final Map<FleetScope, AckClient> clients = new ConcurrentHashMap<>();

    public ClusterPlacement(Map<ClusterId, FleetScope> scopes, FleetScope home, Function<FleetScope, AckClient> clientOf) {
        this(scopes, List.copyOf(scopes.keySet()), home, clientOf);
    }

    private ClusterPlacement(Map<ClusterId, FleetScope> scopes, List<ClusterId> clusters, FleetScope home,
            Function<FleetScope, AckClient> clientOf) {
        this.scopes = Map.copyOf(scopes);
        this.clusters = clusters;
        this.home = home;
        this.clientOf = clientOf;
    }

    /** {@code clusters}, all in one place, asked through {@code ack} (a single-scope fleet). */
    public static ClusterPlacement single(FleetScope home, AckClient ack, List<ClusterId> clusters) {
        return new ClusterPlacement(Map.of(), List.copyOf(clusters), home, scope -> ack);
    }

    /** The clusters, in the order they were resolved. */
    public List<ClusterId> clusters() {
        return clusters;
    }

    public FleetScope scope(ClusterId clusterId) {
        return scopes.getOrDefault(clusterId, home);
    }

    /** What a first store write records: nothing for the home account in ack.region (as before scopes existed). */
    public Optional<FleetScope> storedScope(ClusterId clusterId) {
        FleetScope scope = scope(clusterId);
        return scope.equals(home) ? Optional.empty() : Optional.of(scope);
    }

    public AckClient ack(ClusterId clusterId) {
        return clients.computeIfAbsent(scope(clusterId), clientOf);
    }

    /** {@code account/region/clusterId}. */
    public String name(ClusterId clusterId) {
        return scope(clusterId).name(clusterId);
    }

}
