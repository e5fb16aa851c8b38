package io.ackrotator.kubesphere;

import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.host.HostEvents;
import io.ackrotator.store.StoreConflictException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes what a KubeSphere host keeps: its Cluster objects and its jwtSecret. */
class KubeSphereHostAccess {

    static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("cluster.kubesphere.io").withVersion("v1alpha1").withKind("Cluster").withPlural("clusters")
            .withNamespaced(false).build();
    static final String CLUSTER_ID_LABEL = "ack-kubeconfig-rotator.io/cluster-id";
    static final String HOST_ROLE_LABEL = "cluster-role.kubesphere.io/host";

    private final KubernetesClient client;
    private final KubeSphereConfig config;
    private final Clock clock;

    KubeSphereHostAccess(KubernetesClient client, KubeSphereConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    /** Every Cluster object; empty when the host serves no KubeSphere Cluster resource. */
    List<MemberCluster> members() {
        try {
            return ApiAnswers.list(client.genericKubernetesResources(CLUSTERS).list(), "the Cluster list").getItems()
                    .stream().map(this::read).toList();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    private MemberCluster read(GenericKubernetesResource object) {
        String name = object.getMetadata().getName();
        Map<String, String> labels = object.getMetadata().getLabels() == null ? Map.of()
                : object.getMetadata().getLabels();
        Optional<String> clusterId = Optional.ofNullable(labels.get(CLUSTER_ID_LABEL))
                .or(() -> Optional.ofNullable(config.members().get(name)));
        List<String> malformed = new ArrayList<>();
        Map<String, Object> spec = object(object.getAdditionalProperties().get("spec"), "spec", malformed);
        Map<String, Object> connection = object(spec.get("connection"), "spec.connection", malformed);
        Map<String, Object> status = object(object.getAdditionalProperties().get("status"), "status", malformed);
        Optional<String> hostCopy = text(connection.get("kubeconfig"), "spec.connection.kubeconfig", malformed)
                .flatMap(KubeSphereHostAccess::decode);
        String type = text(connection.get("type"), "spec.connection.type", malformed).orElse("direct");
        Optional<String> uid = text(status.get("uid"), "status.uid", malformed);
        Optional<String> endpoint = text(connection.get("kubernetesAPIEndpoint"),
                "spec.connection.kubernetesAPIEndpoint", malformed);
        Optional<String> version = text(status.get("kubeSphereVersion"), "status.kubeSphereVersion", malformed);
        return new MemberCluster(name, clusterId, type, labels.containsKey(HOST_ROLE_LABEL), hostCopy, uid, endpoint,
                version, object, malformed.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", malformed)));
    }

    /** The CRD's object field {@code path}, or empty (noted as malformed) when it is something else. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String path, List<String> malformed) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        malformed.add(path + " is not an object");
        return Map.of();
    }

    private static Optional<String> text(Object value, String path, List<String> malformed) {
        if (value == null || value instanceof String) {
            return Optional.ofNullable((String) value);
        }
        malformed.add(path + " is not a string");
        return Optional.empty();
    }

    /** The host refused a Cluster update for a reason of its own: KubeSphere's admission webhook, or RBAC. */
    static final class ClusterUpdateRefusedException extends RuntimeException {
        ClusterUpdateRefusedException(String message) {
            super(message);
        }
    }

    /**
     * Puts a kubeconfig into the Cluster, and its server into {@code spec.connection.kubernetesAPIEndpoint} (what
     * KubeSphere proxies to), conditional on the object not having changed since {@code member}. KubeSphere 3.4's
     * validating webhook (ks-installer release-3.4 roles/ks-core/ks-core/files/ks-core/templates/webhook.yaml,
     * failurePolicy Fail; kubesphere release-3.4 pkg/controller/cluster/cluster_webhook.go) makes the host reach the
     * member's kube-system with the new kubeconfig first; its denial is a 403 "admission webhook ... denied the
     * request", reported as such.
     */
    @SuppressWarnings("unchecked")
    void writeKubeconfig(MemberCluster member, Kubeconfig kubeconfig) {
        GenericKubernetesResource current = ApiAnswers.object(client.genericKubernetesResources(CLUSTERS)
                .withName(member.name()).get(), "the Cluster read");
        String readVersion = member.object().getMetadata().getResourceVersion();
        if (current == null || !readVersion.equals(current.getMetadata().getResourceVersion())) {
            throw new StoreConflictException("Cluster " + member.name() + " changed since it was read");
        }
        Map<String, Object> spec = (Map<String, Object>) current.getAdditionalProperties().get("spec");
        Map<String, Object> connection = (Map<String, Object>) spec.get("connection");
        connection.put("kubeconfig", Base64.getEncoder().encodeToString(kubeconfig.text()
                .getBytes(StandardCharsets.UTF_8)));
        connection.put("kubernetesAPIEndpoint", kubeconfig.server().toString());
        try {
            ApiAnswers.object(client.genericKubernetesResources(CLUSTERS).resource(current).update(),
                    "the Cluster update");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new StoreConflictException("Cluster " + member.name() + " changed since it was read");
            }
            String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : String.valueOf(e.getMessage());
            if ((e.getCode() == 403 || e.getCode() == 400) && said.contains("admission webhook")) {
                throw new ClusterUpdateRefusedException("KubeSphere's admission webhook refused the new kubeconfig ("
                        + abbreviate(said) + "); the host copy is unchanged");
            }
            if (e.getCode() == 403) {
                throw new ClusterUpdateRefusedException("the host refused the Cluster update (HTTP 403: "
                        + abbreviate(said) + "): the function's identity needs update on clusters.cluster."
                        + "kubesphere.io (deploy/fc/host-rbac.yaml)");
            }
            throw e;
        }
    }

    /** Who last wrote {@code spec.connection.kubeconfig}, from the object's managedFields, as far as it says. */
    String lastWriterOfKubeconfig(MemberCluster member) {
        var managed = member.object().getMetadata().getManagedFields();
        if (managed != null) {
            for (int i = managed.size() - 1; i >= 0; i--) {
                var entry = managed.get(i);
                String fields = entry.getFieldsV1() == null ? "" : String.valueOf(entry.getFieldsV1()
                        .getAdditionalProperties());
                if (fields.contains("f:kubeconfig")) {
                    return entry.getManager() + (entry.getTime() == null ? "" : " at " + entry.getTime());
                }
            }
        }
        return "another writer (the API server's managedFields don't say who; on KubeSphere 4.x its cluster "
                + "controller renews kubeconfigs in their last 7 days)";
    }

    private static String abbreviate(String message) {
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /**
     * The host's KubeSphere: its generation (from the host's own Cluster among {@code clusters}, the list already
     * read) and jwtSecret (empty when no kubesphere-config can be read).
     */
    HostKubeSphere hostKubeSphere(List<MemberCluster> clusters) {
        ConfigMap configMap = ApiAnswers.object(client.configMaps().inNamespace(KubeSphereYaml.NAMESPACE)
                .withName(KubeSphereYaml.CONFIG_MAP).get(), "the kubesphere-config read");
        Optional<KubeSphereYaml> yaml = configMap == null || configMap.getData() == null ? Optional.empty()
                : KubeSphereYaml.parse(configMap.getData().get(KubeSphereYaml.KEY));
        Optional<KubeSphereVersion> reported = clusters.stream().filter(MemberCluster::isHost).findFirst()
                .flatMap(host -> KubeSphereVersion.of(host.kubeSphereVersion().orElse(null)));
        KubeSphereVersion version = reported.orElseGet(() -> yaml.map(KubeSphereYaml::layout)
                .orElse(KubeSphereVersion.V3));
        return new HostKubeSphere(version, yaml.flatMap(y -> y.jwtSecret(version)));
    }

    boolean event(MemberCluster member, String reason, String message, boolean warning) {
        return HostEvents.record(client, config.eventsNamespace(), clock.instant(), "kubesphere",
                new HostEvents.Regarding(
                "cluster.kubesphere.io/v1alpha1", "Cluster", null, member.name()),
                Map.of(CLUSTER_ID_LABEL, member.clusterId().orElse("unknown")), reason, message, warning);
    }

    static Optional<String> decode(String base64) {
        try {
            return Optional.of(new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<ClusterId> clusterIdOf(MemberCluster member) {
        try {
            return member.clusterId().map(ClusterId::of);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
