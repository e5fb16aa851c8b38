package io.ackrotator.kubesphere;

import io.ackrotator.kubeconfig.ApiAnswers;
import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerIdentity;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The member side of KubeSphere, read and repaired through the member's own kubeconfig. Drift is judged where
 * KubeSphere's own checks look: the member's running {@code kubesphere-system/kubesphere-config} (clusterRole
 * {@code member}, the host's jwtSecret). The repair writes that ConfigMap and, on 3.x, also the {@code ks-installer}
 * ClusterConfiguration it is rendered from, so ks-installer's next reconcile does not put the drift back.
 */
class MemberKubeSphere {

    static final ResourceDefinitionContext CLUSTER_CONFIGURATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("installer.kubesphere.io").withVersion("v1alpha1").withKind("ClusterConfiguration")
            .withPlural("clusterconfigurations").withNamespaced(true).build();
    static final String INSTALLER = "ks-installer";

    /** What drifted on the member; the secret's value itself is never kept here. */
    record Drift(boolean present, boolean jwtSecretDiffers, boolean roleDiffers, String role) {
        boolean any() {
            return jwtSecretDiffers || roleDiffers;
        }
    }

    private final ApiServerProbe probe;

    MemberKubeSphere(ApiServerProbe probe) {
        this.probe = probe;
    }

    /**
     * What the member showed: its identity (it answered: connectivity), and its drift, or why its kubesphere-config
     * could not be read ({@code readFailure}; then {@code drift} is null).
     */
    record Inspection(ApiServerIdentity identity, Drift drift, ApiServerException readFailure) {
    }

    /**
     * Reads the member's kubesphere-config over the probe's plain HTTPS path, in the probe's TLS connection: no
     * client is built unless there is something to repair.
     */
    Inspection inspect(Kubeconfig member, HostKubeSphere host, boolean allowInsecure) {
        ApiServerProbe.ProbedRead read = probe.probeAndRead(member, allowInsecure, "api/v1/namespaces/"
                + KubeSphereYaml.NAMESPACE + "/configmaps/" + KubeSphereYaml.CONFIG_MAP);
        if (read.readFailure() != null) {
            return new Inspection(read.identity(), null, read.readFailure());
        }
        JsonNode yaml = read.object() == null ? null : read.object().path("data").path(KubeSphereYaml.KEY);
        return new Inspection(read.identity(), drift(yaml == null || !yaml.isTextual() ? null : yaml.asText(), host),
                null);
    }

    /** Sets the jwtSecret to the host's and clusterRole to member, each write conditional on the version read. */
    Drift repair(Kubeconfig member, HostKubeSphere host, boolean allowInsecure) {
        return probe.withClient(member, allowInsecure, client -> {
            ConfigMap config = config(client);
            Drift drift = drift(config == null || config.getData() == null ? null
                    : config.getData().get(KubeSphereYaml.KEY), host);
            if (!drift.present() || !drift.any()) {
                return drift;
            }
            String jwtSecret = host.jwtSecret().orElseThrow();
            if (host.version() == KubeSphereVersion.V3) {
                repairInstaller(client, jwtSecret);
            }
            String yaml = KubeSphereYaml.parse(config.getData().get(KubeSphereYaml.KEY)).orElseThrow()
                    .with(jwtSecret, "member", host.version());
            ApiAnswers.object(client.configMaps().inNamespace(KubeSphereYaml.NAMESPACE).resource(new ConfigMapBuilder(
                    config).addToData(KubeSphereYaml.KEY, yaml).build()).update(), "the kubesphere-config update");
            return drift;
        });
    }

    private static void repairInstaller(KubernetesClient client, String jwtSecret) {
        GenericKubernetesResource installer = ApiAnswers.object(client.genericKubernetesResources(
                CLUSTER_CONFIGURATIONS).inNamespace(KubeSphereYaml.NAMESPACE).withName(INSTALLER).get(),
                "the ks-installer read");
        if (installer == null) {
            return;
        }
        Map<String, Object> spec = map(installer.getAdditionalProperties(), "spec");
        map(spec, "authentication").put("jwtSecret", jwtSecret);
        map(spec, "multicluster").put("clusterRole", "member");
        ApiAnswers.object(client.genericKubernetesResources(CLUSTER_CONFIGURATIONS).inNamespace(KubeSphereYaml.NAMESPACE)
                .resource(installer).update(), "the ks-installer update");
    }

    private static ConfigMap config(KubernetesClient client) {
        return ApiAnswers.object(client.configMaps().inNamespace(KubeSphereYaml.NAMESPACE)
                .withName(KubeSphereYaml.CONFIG_MAP).get(), "the member's kubesphere-config read");
    }

    /** {@code text}: the member's kubesphere.yaml, null when it has none. */
    private static Drift drift(String text, HostKubeSphere host) {
        Optional<KubeSphereYaml> yaml = text == null ? Optional.empty() : KubeSphereYaml.parse(text);
        if (yaml.isEmpty()) {
            return new Drift(false, false, false, null);
        }
        Optional<String> role = yaml.get().clusterRole();
        return new Drift(true, !Objects.equals(host.jwtSecret(), yaml.get().jwtSecret(host.version())),
                !role.equals(Optional.of("member")), role.orElse("none"));
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
