package io.ackrotator.kubesphere;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.Optional;

/**
 * The {@code kubesphere.yaml} of a {@code kubesphere-system/kubesphere-config} ConfigMap: what KubeSphere's own
 * kubeconfig update checks read (the member's {@code multicluster.clusterRole} and a jwtSecret equal to the host's;
 * kubesphere release-3.4 pkg/kapis/cluster/v1alpha1/handler.go {@code validateMemberClusterConfiguration}).
 */
final class KubeSphereYaml {

    static final String CONFIG_MAP = "kubesphere-config";
    static final String NAMESPACE = "kubesphere-system";
    static final String KEY = "kubesphere.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final ObjectNode root;

    private KubeSphereYaml(ObjectNode root) {
        this.root = root;
    }

    static Optional<KubeSphereYaml> parse(String text) {
        try {
            JsonNode root = YAML.readTree(text == null ? "" : text);
            return root != null && root.isObject() ? Optional.of(new KubeSphereYaml((ObjectNode) root))
                    : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** 4.x when the file has the 4.x authentication layout ({@code authentication.issuer}). */
    KubeSphereVersion layout() {
        return root.path("authentication").has("issuer") ? KubeSphereVersion.V4 : KubeSphereVersion.V3;
    }

    Optional<String> jwtSecret(KubeSphereVersion version) {
        JsonNode authentication = root.path("authentication");
        JsonNode secret = version == KubeSphereVersion.V4 ? authentication.path("issuer").path("jwtSecret")
                : authentication.path("jwtSecret");
        return secret.isTextual() && !secret.textValue().isEmpty() ? Optional.of(secret.textValue())
                : Optional.empty();
    }

    Optional<String> clusterRole() {
        JsonNode role = root.path("multicluster").path("clusterRole");
        return role.isTextual() ? Optional.of(role.textValue()) : Optional.empty();
    }

    /** The same file with the jwtSecret (where {@code version} keeps it) and {@code multicluster.clusterRole} set. */
    String with(String jwtSecret, String clusterRole, KubeSphereVersion version) {
        ObjectNode copy = root.deepCopy();
        ObjectNode authentication = object(copy, "authentication");
        (version == KubeSphereVersion.V4 ? object(authentication, "issuer") : authentication)
                .put("jwtSecret", jwtSecret);
        object(copy, "multicluster").put("clusterRole", clusterRole);
        try {
            return YAML.writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        return existing instanceof ObjectNode object ? object : parent.putObject(field);
    }
}
