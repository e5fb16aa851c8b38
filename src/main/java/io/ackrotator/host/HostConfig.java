package io.ackrotator.host;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.host")
public interface HostConfig {

    /**
     * An ACK cluster to use as the host (the store, the KubeSphere host). Set, each run fetches a temporary
     * kubeconfig for it with the function's own credentials: no long-lived host credential anywhere. Unset, the
     * standard Kubernetes client configuration applies (KUBECONFIG, in-cluster, quarkus.kubernetes-client.*).
     */
    Optional<String> ackClusterId();

    /** Validity of that temporary host kubeconfig. */
    @WithDefault("PT60M")
    Duration temporaryValidity();

    /** Access type for the host kubeconfig: public or internal. */
    @WithDefault("public")
    String access();
}
