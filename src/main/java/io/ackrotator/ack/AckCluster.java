package io.ackrotator.ack;

/** One entry of {@code DescribeClustersV1}. */
public record AckCluster(String clusterId, String name, String regionId, String state, String clusterType) {
}
