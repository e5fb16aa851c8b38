package io.ackrotator.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a KubeSphere host's API server checks when a {@code Cluster} (cluster.kubesphere.io/v1alpha1) is written,
 * which the CRUD mock does not.
 *
 * <p>The schema, as the Cluster CRD declares it (kubesphere/kubesphere release-3.4
 * {@code config/ks-core/crds/cluster.kubesphere.io_clusters.yaml} at 3e0493a1, and release-4.1
 * {@code config/ks-core/charts/ks-crds/crds/cluster.kubesphere.io_clusters.yaml} at 11988f71; the same for the fields
 * below): {@code spec.connection} an object with {@code type}, {@code kubernetesAPIEndpoint},
 * {@code kubesphereAPIEndpoint}, {@code externalKubernetesAPIEndpoint}, {@code token} strings,
 * {@code kubernetesAPIServerPort} and {@code kubesphereAPIServerPort} integers and {@code kubeconfig} a string of
 * {@code format: byte} (base64); {@code spec.enable}, {@code joinFederation}, {@code externalKubeAPIEnabled} booleans,
 * {@code spec.provider} a string; {@code status.uid} a string, {@code status.conditions} objects that require
 * {@code type} and {@code status}. Structural schemas prune unknown fields, so an unknown field is dropped, not refused.
 *
 * <p>KubeSphere 3.4's validating webhook (ks-installer release-3.4
 * {@code roles/ks-core/ks-core/files/ks-core/templates/webhook.yaml}: UPDATE of clusters, failurePolicy Fail; handler
 * kubesphere release-3.4 {@code pkg/controller/cluster/cluster_webhook.go}): when the stored object has a
 * {@code status.uid}, the host loads the new kubeconfig, reads the member's {@code kube-system} namespace and denies
 * (403) when it can't or when the UID differs. 4.1 registers no webhook configuration for Clusters.
 */
public final class KubeSphereClusterAdmission {

    public static final String WEBHOOK = "validating-cluster.kubesphere.io";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STRINGS = List.of("type", "kubernetesAPIEndpoint", "kubesphereAPIEndpoint",
            "externalKubernetesAPIEndpoint", "token", "kubeconfig");
    private static final List<String> INTEGERS = List.of("kubernetesAPIServerPort", "kubesphereAPIServerPort");

    private KubeSphereClusterAdmission() {
    }

    /** What the CRD's schema refuses in a written Cluster (empty = valid). */
    public static List<String> schemaProblems(JsonNode cluster) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = cluster.path("spec");
        if (!spec.isMissingNode() && !spec.isObject()) {
            problems.add("spec: Invalid value: must be of type object");
            return problems;
        }
        JsonNode connection = spec.path("connection");
        if (!connection.isMissingNode() && !connection.isObject()) {
            problems.add("spec.connection: Invalid value: must be of type object");
        } else {
            for (String field : STRINGS) {
                if (connection.has(field) && !connection.get(field).isTextual()) {
                    problems.add("spec.connection." + field + ": Invalid value: must be of type string");
                }
            }
            for (String field : INTEGERS) {
                if (connection.has(field) && !connection.get(field).isIntegralNumber()) {
                    problems.add("spec.connection." + field + ": Invalid value: must be of type integer");
                }
            }
            if (connection.path("kubeconfig").isTextual()) {
                try {
                    Base64.getDecoder().decode(connection.get("kubeconfig").textValue());
                } catch (IllegalArgumentException e) {
                    problems.add("spec.connection.kubeconfig: Invalid value: must be a base64 (format byte) string");
                }
            }
        }
        for (String field : List.of("enable", "joinFederation", "externalKubeAPIEnabled")) {
            if (spec.has(field) && !spec.get(field).isBoolean()) {
                problems.add("spec." + field + ": Invalid value: must be of type boolean");
            }
        }
        JsonNode status = cluster.path("status");
        if (status.has("uid") && !status.get("uid").isTextual()) {
            problems.add("status.uid: Invalid value: must be of type string");
        }
        for (JsonNode condition : status.path("conditions")) {
            if (!condition.has("type") || !condition.has("status")) {
                problems.add("status.conditions: Required value: type and status");
            }
        }
        return problems;
    }

    /**
     * The 3.4 webhook's verdict on an update from {@code old} to {@code sent}: empty when admitted, else the message
     * kube-apiserver answers (controller-runtime's {@code admission.Denied}: 403, prefixed by k8s.io/apiserver's
     * {@code ToStatusErr} with the webhook's name).
     */
    public static Optional<String> webhookDenial(JsonNode old, JsonNode sent, Function<String, String> kubeSystemUid) {
        String oldUid = old.path("status").path("uid").asText("");
        if (oldUid.isEmpty()) {
            return Optional.empty();
        }
        String reason;
        try {
            String kubeconfig = new String(Base64.getDecoder().decode(sent.path("spec").path("connection")
                    .path("kubeconfig").asText("")), StandardCharsets.UTF_8);
            String uid = kubeSystemUid.apply(kubeconfig);
            if (oldUid.equals(uid)) {
                return Optional.empty();
            }
            reason = "this kubeconfig corresponds to a different cluster than the previous one, you need to make sure "
                    + "that kubeconfig is not from another cluster";
        } catch (RuntimeException e) {
            reason = "failed to load cluster config for " + sent.path("metadata").path("name").asText() + ": "
                    + e.getClass().getSimpleName();
        }
        return Optional.of("admission webhook \"" + WEBHOOK + "\" denied the request: " + reason);
    }

    /** The member's kube-system UID as the host sees it with this kubeconfig (a client of its own, TLS verified). */
    public static String kubeSystemUid(String kubeconfig) {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig))
                .build()) {
            Namespace kubeSystem = client.namespaces().withName("kube-system").get();
            return kubeSystem.getMetadata().getUid();
        }
    }

    static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }
}
