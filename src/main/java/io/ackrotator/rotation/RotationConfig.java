package io.ackrotator.rotation;

import io.ackrotator.ack.ClusterId;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@ConfigMapping(prefix = "rotator")
public interface RotationConfig {

    /** Namespace of the store Secrets, their Events and the sweep Lease on the host cluster. */
    @WithDefault("kubeconfig-rotator")
    String namespace();

    /**
     * Rotate when less than this remains. ACK issues a new long-term certificate only within 180 days of expiry, so
     * more than P180D is refused at start-up.
     */
    @WithDefault("P170D")
    Duration renewBefore();

    /** Clusters processed at once in a sweep. */
    @WithDefault("8")
    int parallelism();

    /** Cluster IDs to manage besides those already in the store; a new one is adopted. */
    Optional<List<String>> clusters();

    /** Also manage every cluster {@code DescribeClustersV1} lists in the region. */
    @WithDefault("false")
    boolean discover();

    /** With discover: only clusters whose name starts with this. */
    Optional<String> discoverNamePrefix();

    /** With discover: only clusters of this type (e.g. ManagedKubernetes). */
    Optional<String> discoverClusterType();

    /** Access type for newly adopted clusters: public or internal (PrivateIpAddress). */
    @WithDefault("public")
    String defaultAccess();

    /** Per-cluster access type: {@code rotator.access.<cluster-id>=internal}. */
    Map<String, String> access();

    /** Lifetime of the sweep Lease; a crashed sweep's Lease is taken over after this. */
    @WithDefault("PT15M")
    Duration leaseDuration();

    /**
     * Lifetime of a cluster's own Lease (fan-out). It must outlast one renewal or revocation at its slowest (checked
     * at start-up): a run's revoke call still retrying when its Lease ended could revoke what the next holder stored.
     * A crashed batch's Leases hold its clusters until they end, and FC's retry of that batch waits for them.
     */
    @WithDefault("PT5M")
    Duration clusterLeaseDuration();

    /**
     * Cluster IDs whose stored or host kubeconfig may set insecure-skip-tls-verify. Anywhere else such a kubeconfig
     * is refused and reported: TLS verification is never switched off without naming the cluster.
     */
    Optional<Set<String>> insecureTlsAllowed();

    /**
     * How often the sweep proves each stored kubeconfig against its API server (recorded in the Secret): a
     * certificate the server refuses is replaced whatever its dates say.
     */
    @WithDefault("P1D")
    Duration probeInterval();

    /**
     * How long a sweep may start new clusters: then it stops, reports the rest as {@code deferred} (the next sweep
     * takes them first) and answers with FC's failure signal. Leave FC's timeout minus the time one cluster and the
     * KubeSphere follow-up may take; FC does not tell a custom runtime its timeout, so s.yaml sets both.
     */
    @WithName("sweep.deadline")
    @WithDefault("PT14M")
    Duration sweepDeadline();

    /** Whether {@code clusterId} is listed in rotator.insecure-tls-allowed. */
    default boolean allowsInsecureTls(ClusterId clusterId) {
        return insecureTlsAllowed().map(ids -> ids.contains(clusterId.value())).orElse(false);
    }

    /** Timeout of each call to a member API server (verification, connectivity). */
    @WithDefault("PT10S")
    Duration apiServerTimeout();
}
