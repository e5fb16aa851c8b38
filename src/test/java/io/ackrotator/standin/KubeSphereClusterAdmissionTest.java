package io.ackrotator.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The host stand-in refuses what the Cluster CRD's schema and KubeSphere 3.4's webhook refuse. */
class KubeSphereClusterAdmissionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode cluster(String connection, String status) throws Exception {
        return JSON.readTree("{\"apiVersion\":\"cluster.kubesphere.io/v1alpha1\",\"kind\":\"Cluster\",\"metadata\":"
                + "{\"name\":\"m\"},\"spec\":{\"connection\":" + connection + ",\"enable\":true},\"status\":" + status
                + "}");
    }

    @Test
    void theSchemaRefusesFieldsOfTheWrongType() throws Exception {
        String kubeconfig = Base64.getEncoder().encodeToString("apiVersion: v1".getBytes());
        assertEquals(List.of(), KubeSphereClusterAdmission.schemaProblems(cluster("{\"type\":\"direct\","
                + "\"kubeconfig\":\"" + kubeconfig + "\",\"kubernetesAPIEndpoint\":\"https://1.2.3.4:6443\"}",
                "{\"uid\":\"u\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}")));
        assertEquals(List.of("spec.connection.kubeconfig: Invalid value: must be a base64 (format byte) string"),
                KubeSphereClusterAdmission.schemaProblems(cluster("{\"kubeconfig\":\"apiVersion: v1\"}", "{}")));
        assertEquals(List.of("spec.connection: Invalid value: must be of type object"),
                KubeSphereClusterAdmission.schemaProblems(cluster("\"direct\"", "{}")));
        List<String> problems = KubeSphereClusterAdmission.schemaProblems(cluster("{\"kubernetesAPIServerPort\":"
                + "\"6443\",\"kubernetesAPIEndpoint\":6443}", "{\"uid\":7,\"conditions\":[{\"type\":\"Ready\"}]}"));
        assertEquals(4, problems.size(), problems.toString());
    }

    @Test
    void the34WebhookComparesTheNewKubeconfigsKubeSystemWithTheOldStatusUid() throws Exception {
        JsonNode old = cluster("{}", "{\"uid\":\"uid-1\"}");
        JsonNode sent = cluster("{\"kubeconfig\":\"" + Base64.getEncoder().encodeToString("k".getBytes()) + "\"}",
                "{\"uid\":\"uid-1\"}");

        assertEquals(Optional.empty(), KubeSphereClusterAdmission.webhookDenial(old, sent, kubeconfig -> "uid-1"));
        assertTrue(KubeSphereClusterAdmission.webhookDenial(old, sent, kubeconfig -> "uid-2").orElseThrow()
                .startsWith("admission webhook \"validating-cluster.kubesphere.io\" denied the request: this "
                        + "kubeconfig corresponds to a different cluster"));
        assertTrue(KubeSphereClusterAdmission.webhookDenial(old, sent, kubeconfig -> {
            throw new IllegalStateException("unreachable");
        }).isPresent(), "a member the host can't reach with it: denied too (failurePolicy Fail)");
        assertEquals(Optional.empty(), KubeSphereClusterAdmission.webhookDenial(cluster("{}", "{}"), sent,
                kubeconfig -> "other"), "a Cluster without status.uid yet is admitted");
    }
}
