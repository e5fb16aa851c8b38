package io.ackrotator.host;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.kubeconfig.KubeconfigClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The Kubernetes cluster that holds the store (and is the KubeSphere host, when there is one). With
 * {@code rotator.host.ack-cluster-id} its client is built from a temporary kubeconfig, renewed before it expires.
 */
@ApplicationScoped
public class HostCluster {

    private static final Duration RENEW_MARGIN = Duration.ofMinutes(5);

    private final Instance<KubernetesClient> defaultClient;
    private final HostConfig config;
    private final Clock clock;
    private KubernetesClient temporaryClient;
    private Kubeconfig temporaryKubeconfig;
    /** The client a renewal replaced: work started with it may still be running, so it is closed one renewal later. */
    private KubernetesClient retiredClient;

    public HostCluster(Instance<KubernetesClient> defaultClient, HostConfig config, Clock clock) {
        this.defaultClient = defaultClient;
        this.config = config;
        this.clock = clock;
    }

    public boolean configured() {
        return config.ackClusterId().isPresent() || defaultClient.isResolvable();
    }

    public synchronized KubernetesClient client(AckClient ack) {
        Optional<String> hostId = config.ackClusterId();
        if (hostId.isEmpty()) {
            return defaultClient.get();
        }
        if (temporaryClient == null || clock.instant().isAfter(temporaryKubeconfig.notAfter().minus(RENEW_MARGIN))) {
            Kubeconfig kubeconfig = Kubeconfig.parse(ack.describeUserKubeconfig(ClusterId.of(hostId.get()),
                    AckAccess.fromWireName(config.access(), "rotator.host.access"),
                    Optional.of(config.temporaryValidity())).kubeconfig());
            if (retiredClient != null) {
                retiredClient.close();
            }
            retiredClient = temporaryClient;
            // The same retry budget as the standard host client (quarkus.kubernetes-client.request-retry-backoff-*).
            temporaryClient = KubeconfigClients.open(kubeconfig, Duration.ofSeconds(30), 3);
            temporaryKubeconfig = kubeconfig;
        }
        return temporaryClient;
    }

    @PreDestroy
    synchronized void close() {
        for (KubernetesClient client : new KubernetesClient[] {retiredClient, temporaryClient}) {
            if (client != null) {
                client.close();
            }
        }
        retiredClient = null;
        temporaryClient = null;
    }
}
