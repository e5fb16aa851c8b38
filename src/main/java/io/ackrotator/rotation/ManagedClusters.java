package io.ackrotator.rotation;

import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckCluster;
import io.ackrotator.ack.AckException;
import io.ackrotator.ack.ClusterFilter;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.FleetScope;
import io.ackrotator.fleet.Fleet;
import io.ackrotator.store.KubeconfigStore;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Which clusters a sweep covers: the store's, the configured ones, and (with discovery) what ACK lists. */
public final class ManagedClusters {

    private ManagedClusters() {
    }

    /** {@code storedIds} is asked only when the request names no clusters (it lists the store). */
    public static List<ClusterId> resolve(RotationConfig config, Supplier<List<ClusterId>> storedIds, AckClient ack,
            SweepRequest request, List<String> warnings) {
        return resolve(config, storedIds, ack, request, warnings, new java.util.HashMap<>());
    }

    /** As above; {@code names} receives each listed cluster's name when discovery listed ACK's clusters. */
    static List<ClusterId> resolve(RotationConfig config, Supplier<List<ClusterId>> storedIds, AckClient ack,
            SweepRequest request, List<String> warnings, java.util.Map<String, String> names) {
        if (!request.clusterIds().isEmpty()) {
            return request.clusterIds().stream().distinct().sorted((a, b) -> a.value().compareTo(b.value())).toList();
        }
        TreeSet<String> ids = new TreeSet<>();
        storedIds.get().stream().map(ClusterId::value).forEach(ids::add);
        for (String configured : config.clusters().orElse(List.of())) {
            try {
                ids.add(ClusterId.of(configured.trim()).value());
            } catch (IllegalArgumentException e) {
                warnings.add("rotator.clusters: skipped an entry: " + e.getMessage());
            }
        }
        if (config.discover()) {
            try {
                ack.listClusters(new ClusterFilter(config.discoverNamePrefix(), config.discoverClusterType())).stream()
                        .peek(cluster -> names.put(cluster.clusterId(), cluster.name()))
                        .map(AckCluster::clusterId)
                        .forEach(id -> {
                            try {
                                ids.add(ClusterId.of(id).value());
                            } catch (IllegalArgumentException e) {
                                warnings.add("discovery: ACK listed a cluster ID of unexpected shape; skipped");
                            }
                        });
            } catch (AckException e) {
                warnings.add("discovery failed, sweeping stored and configured clusters only: " + e.getMessage());
            }
        }
        return ids.stream().map(ClusterId::of).toList();
    }

    /**
     * Every managed cluster of a fleet of several accounts and regions, and where each lives: the store's (their
     * labels say where; none, home), the configured ones ({@code id} for home, {@code account/region/id} elsewhere),
     * and with discovery each scope's own listing. One scope's failing listing is a warning; the rest still count.
     */
    public static java.util.Map<ClusterId, FleetScope> place(RotationConfig config, Fleet fleet, KubeconfigStore store,
            Supplier<List<ClusterId>> storedIds, AckClient invocation, SweepRequest request, List<String> warnings,
            java.util.Map<String, String> names) {
        java.util.Map<ClusterId, FleetScope> stored = store.placements();
        java.util.Map<ClusterId, FleetScope> placed = new java.util.TreeMap<>(
                java.util.Comparator.comparing(ClusterId::value));
        if (!request.clusterIds().isEmpty()) {
            request.clusterIds().forEach(id -> placed.put(id, stored.getOrDefault(id, fleet.home())));
            return dropUnconfigured(fleet, placed, warnings);
        }
        storedIds.get().forEach(id -> placed.put(id, stored.getOrDefault(id, fleet.home())));
        for (String configured : config.clusters().orElse(List.of())) {
            String[] parts = configured.trim().split("/");
            try {
                if (parts.length == 1) {
                    placed.putIfAbsent(ClusterId.of(parts[0]), fleet.home());
                } else {
                    java.util.Map.Entry<ClusterId, FleetScope> located = fleet.locate(configured.trim());
                    placed.putIfAbsent(located.getKey(), located.getValue());
                }
            } catch (IllegalArgumentException e) {
                warnings.add("rotator.clusters: skipped an entry: " + e.getMessage());
            }
        }
        if (config.discover()) {
            for (FleetScope scope : fleet.scopes()) {
                try {
                    fleet.client(scope, invocation).listClusters(new ClusterFilter(config.discoverNamePrefix(),
                            config.discoverClusterType())).forEach(cluster -> {
                                try {
                                    ClusterId id = ClusterId.of(cluster.clusterId());
                                    placed.putIfAbsent(id, scope);
                                    names.put(id.value(), cluster.name());
                                } catch (IllegalArgumentException e) {
                                    warnings.add("discovery: ACK listed a cluster ID of unexpected shape in " + scope
                                            + "; skipped");
                                }
                            });
                } catch (AckException e) {
                    warnings.add("discovery in " + scope + " failed, sweeping its stored and configured clusters only: "
                            + e.getMessage());
                }
            }
        }
        return dropUnconfigured(fleet, placed, warnings);
    }

    /** A cluster stored under an account or region no longer configured is left alone, and said so. */
    private static java.util.Map<ClusterId, FleetScope> dropUnconfigured(Fleet fleet,
            java.util.Map<ClusterId, FleetScope> placed, List<String> warnings) {
        placed.entrySet().removeIf(entry -> {
            boolean known = fleet.scopes().contains(entry.getValue());
            if (!known) {
                warnings.add("cluster " + entry.getValue().name(entry.getKey()) + " is stored under "
                        + entry.getValue() + ", which is not configured (rotator.accounts, rotator.regions): left alone");
            }
            return !known;
        });
        return placed;
    }

    /**
     * Of the clusters an event announced, those the discovery filters admit ({@code rotator.discover-name-prefix},
     * {@code rotator.discover-cluster-type}): with a filter set, ACK's listing says each cluster's name and type;
     * without one, every announced cluster. What is left out is said in {@code warnings}.
     */
    static List<ClusterId> adoptable(RotationConfig config, AckClient ack, List<ClusterId> announced,
            List<String> warnings) {
        if (config.discoverNamePrefix().isEmpty() && config.discoverClusterType().isEmpty()) {
            return announced;
        }
        ClusterFilter filter = new ClusterFilter(config.discoverNamePrefix(), config.discoverClusterType());
        java.util.Set<String> admitted = new java.util.HashSet<>();
        ack.listClusters(filter).forEach(cluster -> admitted.add(cluster.clusterId()));
        List<ClusterId> kept = announced.stream().filter(id -> admitted.contains(id.value())).toList();
        announced.stream().filter(id -> !admitted.contains(id.value())).forEach(id -> warnings.add("cluster " + id
                + " not adopted: ACK does not list it under the discovery filters ("
                + config.discoverNamePrefix().map(p -> "name prefix " + p).orElse("")
                + (config.discoverNamePrefix().isPresent() && config.discoverClusterType().isPresent() ? ", " : "")
                + config.discoverClusterType().map(t -> "type " + t).orElse("") + ")"));
        return kept;
    }
}
