package io.ackrotator.kubesphere;

import io.ackrotator.kubeconfig.ApiAnswers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.host.HostEvents;
import io.ackrotator.store.StoreConflictException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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

    Optional<MemberCluster> member(String name) {
        return Optional.ofNullable(ApiAnswers.object(client.genericKubernetesResources(CLUSTERS).withName(name).get(),
                "the Cluster read")).map(this::read);
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
        return new MemberCluster(name, clusterId, type, labels.containsKey(HOST_ROLE_LABEL), hostCopy, uid, object,
                malformed.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", malformed)));
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

    /** Puts a kubeconfig into the Cluster, conditional on the object not having changed since {@code member}. */
    @SuppressWarnings("unchecked")
    void writeKubeconfig(MemberCluster member, String kubeconfig) {
        GenericKubernetesResource current = ApiAnswers.object(client.genericKubernetesResources(CLUSTERS)
                .withName(member.name()).get(), "the Cluster read");
        String readVersion = member.object().getMetadata().getResourceVersion();
        if (current == null || !readVersion.equals(current.getMetadata().getResourceVersion())) {
            throw new StoreConflictException("Cluster " + member.name() + " changed since it was read");
        }
        Map<String, Object> spec = (Map<String, Object>) current.getAdditionalProperties().get("spec");
        Map<String, Object> connection = (Map<String, Object>) spec.get("connection");
        connection.put("kubeconfig", Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)));
        try {
            ApiAnswers.object(client.genericKubernetesResources(CLUSTERS).resource(current).update(),
                    "the Cluster update");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new StoreConflictException("Cluster " + member.name() + " changed since it was read");
            }
            throw e;
        }
    }

    /** The host's jwtSecret: ConfigMap kubesphere-system/kubesphere-config, kubesphere.yaml, authentication.jwtSecret. */
    Optional<String> jwtSecret() {
        ConfigMap configMap = ApiAnswers.object(client.configMaps().inNamespace("kubesphere-system")
                .withName("kubesphere-config").get(), "the kubesphere-config read");
        if (configMap == null || configMap.getData() == null || !configMap.getData().containsKey("kubesphere.yaml")) {
            return Optional.empty();
        }
        try {
            JsonNode yaml = YAML.readTree(configMap.getData().get("kubesphere.yaml"));
            JsonNode secret = yaml == null ? null : yaml.path("authentication").get("jwtSecret");
            return secret == null || !secret.isTextual() ? Optional.empty() : Optional.of(secret.textValue());
        } catch (IOException e) {
            return Optional.empty();
        }
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
