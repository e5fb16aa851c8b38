package io.ackrotator.ack;

import java.util.Optional;

/** Narrows {@code DescribeClustersV1}: the cluster type is sent to ACK, the name prefix is applied here. */
public record ClusterFilter(Optional<String> namePrefix, Optional<String> clusterType) {

    public static ClusterFilter all() {
        return new ClusterFilter(Optional.empty(), Optional.empty());
    }

    public boolean accepts(AckCluster cluster) {
        return namePrefix.map(prefix -> cluster.name() != null && cluster.name().startsWith(prefix)).orElse(true)
                && clusterType.map(type -> type.equals(cluster.clusterType())).orElse(true);
    }
}
