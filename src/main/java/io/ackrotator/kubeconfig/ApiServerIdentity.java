package io.ackrotator.kubeconfig;

import java.util.List;

/**
 * What a member API server showed us through a kubeconfig. The {@code kube-system} namespace UID identifies a
 * cluster for life (KubeSphere stores it as {@code Cluster.status.uid}); two kubeconfigs reach the same cluster when
 * they see the same UID.
 */
public record ApiServerIdentity(String kubeSystemUid, List<String> namespaces) {

    public ApiServerIdentity {
        namespaces = List.copyOf(namespaces);
    }
}
