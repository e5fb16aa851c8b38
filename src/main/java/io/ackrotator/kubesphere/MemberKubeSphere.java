package io.ackrotator.kubesphere;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The member side of KubeSphere 3.x: the {@code ks-installer} ClusterConfiguration, read and repaired through the
 * member's own kubeconfig. KubeSphere 4.x has none; that is reported, not treated as an error.
 */
class MemberInstaller {

    static final ResourceDefinitionContext CLUSTER_CONFIGURATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("installer.kubesphere.io").withVersion("v1alpha1").withKind("ClusterConfiguration")
            .withPlural("clusterconfigurations").withNamespaced(true).build();
    static final String NAMESPACE = "kubesphere-system";
    static final String NAME = "ks-installer";

    /** What drifted on the member; the secret's value itself is never kept here. */
    record Drift(boolean present, boolean jwtSecretDiffers, boolean roleDiffers, String role) {
        boolean any() {
            return jwtSecretDiffers || roleDiffers;
        }
    }

    private final ApiServerProbe probe;

    MemberInstaller(ApiServerProbe probe) {
        this.probe = probe;
    }

    Drift inspect(Kubeconfig member, String hostJwtSecret, boolean allowInsecure) {
        return probe.withClient(member, allowInsecure, client -> drift(read(client), hostJwtSecret));
    }

    /** Sets jwtSecret to the host's and clusterRole to member, conditional on the version read. */
    Drift repair(Kubeconfig member, String hostJwtSecret, boolean allowInsecure) {
        return probe.withClient(member, allowInsecure, client -> {
            GenericKubernetesResource installer = read(client).orElse(null);
            Drift drift = drift(Optional.ofNullable(installer), hostJwtSecret);
            if (installer == null || !drift.any()) {
                return drift;
            }
            Map<String, Object> spec = map(installer.getAdditionalProperties(), "spec");
            map(spec, "authentication").put("jwtSecret", hostJwtSecret);
            map(spec, "multicluster").put("clusterRole", "member");
            ApiAnswers.object(client.genericKubernetesResources(CLUSTER_CONFIGURATIONS).inNamespace(NAMESPACE)
                    .resource(installer).update(), "the ks-installer update");
            return drift;
        });
    }

    private static Optional<GenericKubernetesResource> read(io.fabric8.kubernetes.client.KubernetesClient client) {
        return Optional.ofNullable(ApiAnswers.object(client.genericKubernetesResources(CLUSTER_CONFIGURATIONS)
                .inNamespace(NAMESPACE).withName(NAME).get(), "the ks-installer read"));
    }

    private static Drift drift(Optional<GenericKubernetesResource> installer, String hostJwtSecret) {
        if (installer.isEmpty()) {
            return new Drift(false, false, false, null);
        }
        Map<String, Object> spec = map(installer.get().getAdditionalProperties(), "spec");
        Object secret = map(spec, "authentication").get("jwtSecret");
        Object role = map(spec, "multicluster").get("clusterRole");
        return new Drift(true, !Objects.equals(hostJwtSecret, secret), !"member".equals(role),
                role == null ? "none" : role.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value instanceof Map<?, ?> existing) {
            return (Map<String, Object>) existing;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }
}
