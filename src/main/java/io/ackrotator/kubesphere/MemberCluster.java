package io.ackrotator.kubesphere;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/**
 * A host's {@code Cluster} object, read: how it connects, which ACK cluster it is, and its copy of the kubeconfig;
 * {@code malformed} says which field is not of the shape KubeSphere's CRD gives it (such an object is reported and
 * left alone).
 */
public record MemberCluster(String name, Optional<String> clusterId, String connectionType, boolean isHost,
        Optional<String> hostCopy, Optional<String> statusUid, Optional<String> kubernetesApiEndpoint,
        Optional<String> kubeSphereVersion, GenericKubernetesResource object, Optional<String> malformed) {

    public boolean direct() {
        return "direct".equals(connectionType);
    }

    @Override
    public String toString() {
        return "MemberCluster[" + name + ", clusterId=" + clusterId.orElse("-") + ", " + connectionType + "]";
    }
}
