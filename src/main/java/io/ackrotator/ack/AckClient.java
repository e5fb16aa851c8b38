package io.ackrotator.ack;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ACK OpenAPI operations this function needs, bound to one set of credentials. Every kubeconfig ACK returns
 * belongs to the calling identity. Failures are {@link AckException}s; retryable ones have been retried already.
 */
public interface AckClient {

    /**
     * {@code DescribeClusterUserKubeconfig}. Without {@code temporaryValidity} the long-term kubeconfig: ACK returns the
     * current certificate until it is within 180 days of expiry, then a new one (the old stays valid).
     */
    IssuedKubeconfig describeUserKubeconfig(ClusterId clusterId, AckAccess access, Optional<Duration> temporaryValidity);

    /** {@code DescribeClustersV1}, all pages. */
    List<AckCluster> listClusters(ClusterFilter filter);

    /**
     * {@code RevokeK8sClusterKubeConfig}: invalidates the caller's kubeconfigs for the cluster. Never retried except
     * when ACK throttled the call (a throttled call was not executed).
     */
    void revokeKubeconfig(ClusterId clusterId);

    /** {@code ListClusterKubeconfigStates}, all pages: every identity's kubeconfig on the cluster. */
    List<KubeconfigState> listKubeconfigStates(ClusterId clusterId);

    /**
     * {@code CleanClusterUserPermissions}: removes the identity's kubeconfig and RBAC on the cluster. Without
     * {@code force}, ACK refuses when the identity accessed the cluster in the last 7 days. Never retried except
     * when throttled.
     */
    void cleanUserPermissions(ClusterId clusterId, String uid, boolean force);

    /** The region this client's ACK endpoint serves. */
    String region();

    /** The credentials this client signs with, for the other cloud APIs of the same invocation (EventBridge). */
    AckCredentials credentials();
}
