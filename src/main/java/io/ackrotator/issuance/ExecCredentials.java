package io.ackrotator.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.ackrotator.kubeconfig.Kubeconfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * kubectl's credential plugin protocol, both ends (client.authentication.k8s.io/v1, the Kubernetes
 * "client-go credential plugins" documentation): the {@code ExecCredential} a plugin prints
 * ({@code status.clientCertificateData}, {@code clientKeyData} as PEM, {@code expirationTimestamp}, until which
 * client-go reuses it), and a kubeconfig whose user runs such a plugin: {@code sh} with {@code curl} against this
 * function's {@code /credential}, the caller's token read from an environment variable the kubeconfig names, so no
 * secret is ever in the file.
 */
public final class ExecCredentials {

    public static final String API_VERSION = "client.authentication.k8s.io/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    /** $0 = the function's URL, $1 = the request body: no quoting of either inside the script. */
    static final String SCRIPT = "exec curl -sS --fail-with-body -X POST \"$0/credential\" -H \"Authorization: Bearer "
            + "${%s:?set %s to your rotator caller token}\" -H 'Content-Type: application/json' -d \"$1\"";

    private ExecCredentials() {
    }

    /** The ExecCredential for an issued kubeconfig: its client certificate and key, and when they expire. */
    public static JsonNode credential(Kubeconfig issued) {
        JsonNode user = user(issued);
        ObjectNode credential = JSON.createObjectNode().put("apiVersion", API_VERSION).put("kind", "ExecCredential");
        credential.putObject("spec").put("interactive", false);
        credential.putObject("status")
                .put("expirationTimestamp", issued.notAfter().toString())
                .put("clientCertificateData", decode(user.path("client-certificate-data").asText()))
                .put("clientKeyData", decode(user.path("client-key-data").asText()));
        return credential;
    }

    /**
     * The issued kubeconfig with its user replaced by the plugin: same cluster (server, CA), no key, no certificate,
     * no token; kubectl asks {@code functionUrl}/credential for a fresh certificate whenever the last one expired.
     */
    public static String kubeconfig(Kubeconfig issued, String functionUrl, String tokenVariable, String clusterId,
            long validityMinutes, String access) {
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(issued.text());
            String userName = config.path("users").path(0).path("name").asText("ack-kubeconfig-rotator");
            ArrayNode users = config.putArray("users");
            ObjectNode exec = users.addObject().put("name", userName).putObject("user").putObject("exec")
                    .put("apiVersion", API_VERSION).put("command", "sh").put("interactiveMode", "Never")
                    .put("provideClusterInfo", false);
            String body = JSON.createObjectNode().put("clusterId", clusterId).put("validityMinutes", validityMinutes)
                    .put("access", access).toString();
            exec.putArray("args").add("-c").add(SCRIPT.formatted(tokenVariable, tokenVariable)).add(functionUrl)
                    .add(body);
            exec.put("installHint", "needs sh and curl, and the caller's token in $" + tokenVariable);
            return YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalStateException("the issued kubeconfig does not re-read", e);
        }
    }

    private static JsonNode user(Kubeconfig issued) {
        try {
            return YAML.readTree(issued.text()).path("users").path(0).path("user");
        } catch (IOException e) {
            throw new IllegalStateException("the issued kubeconfig does not re-read", e);
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

}
