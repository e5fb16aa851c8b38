package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.StandIns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kubectl always has a fresh short-lived certificate: an {@code exec} kubeconfig holds no secret, and the real kubectl
 * runs its credential plugin (sh and curl against /credential, the token from the environment) whenever the last
 * certificate expired.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class ExecKubeconfigTest {

    static final String CLUSTER = "c0e8ec00000000000000000000000000e";
    final FakeAck ack = StandIns.ack();

    String kubectl(Path kubeconfig, Path home, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", home.resolve("cache").toString(), "--request-timeout", "20s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("ACK_KUBECONFIG_ROTATOR_TOKEN", StandIns.CI_TOKEN);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void kubectlWithAnExecKubeconfigFetchesAFreshCertificateWhenTheLastOneExpired() throws Exception {
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "exec");
        }
        ack.clock().advance(Duration.ofHours(1));
        JsonPath answer = given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterId", CLUSTER, "validityMinutes", 30, "format", "exec")).post("/issue").then()
                .statusCode(200).extract().jsonPath();
        String text = answer.getString("kubeconfig");
        assertTrue(!text.contains("client-key-data") && !text.contains("client-certificate-data")
                && !text.contains(StandIns.CI_TOKEN), "no key, certificate or token in the file");
        assertTrue(text.contains("command: \"sh\"") || text.contains("command: sh"), text);

        Path home = Files.createTempDirectory("kubectl-home");
        Path kubeconfig = home.resolve("config");
        Files.writeString(kubeconfig, text);
        long before = ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size();

        assertTrue(kubectl(kubeconfig, home, "get", "namespaces", "-o", "name").contains("namespace/kube-system"));
        long first = ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size();
        assertTrue(first > before, "the plugin fetched a certificate");

        ack.clock().advance(Duration.ofMinutes(31)); // the first certificate has expired on the member's clock
        assertTrue(kubectl(kubeconfig, home, "get", "namespaces", "-o", "name").contains("namespace/kube-system"),
                "the plugin fetched a new one, no manual step");
        assertTrue(ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size() > first);
    }

    @Test
    void theCredentialIsAnExecCredentialOfTheCallersRole() {
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "exec");
        }
        ack.clock().advance(Duration.ofHours(1));
        JsonPath credential = given().header("Authorization", "Bearer " + StandIns.CI_TOKEN)
                .contentType(ContentType.JSON).body(Map.of("clusterId", CLUSTER, "validityMinutes", 30))
                .post("/credential").then().statusCode(200).extract().jsonPath();

        assertEquals("client.authentication.k8s.io/v1", credential.getString("apiVersion"));
        assertEquals("ExecCredential", credential.getString("kind"));
        assertEquals(ack.clock().instant().plus(Duration.ofMinutes(30)),
                Instant.parse(credential.getString("status.expirationTimestamp")));
        assertTrue(credential.getString("status.clientCertificateData").startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(credential.getString("status.clientKeyData").contains("PRIVATE KEY-----"));
        given().contentType(ContentType.JSON).body(Map.of("clusterId", CLUSTER)).post("/credential").then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterId", CLUSTER)).post("/credential").then().statusCode(403);
    }
}
