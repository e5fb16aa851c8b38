package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged function (target/quarkus-app) started the way FC starts a custom runtime: environment only, port from
 * FC_CUSTOM_LISTEN_PORT, events as octet-stream at /invoke, STS credentials per invocation in x-fc-* headers.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PackagedFunctionIT {

    static final String CLUSTER = "c17000000000000000000000000000001";
    KubernetesClient client;
    FakeAck ack;
    Process function;
    Path output;
    int port;

    @BeforeEach
    void start() throws Exception {
        ack = FakeAck.start();
        ack.addCluster(CLUSTER, "packaged");
        ack.addIdentity(new FakeAck.Identity("STS.FunctionRole", "role-secret", Optional.of("CAIS-role-token-0123"),
                "300000099"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        output = Files.createTempFile("function", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("FC_CUSTOM_LISTEN_PORT", Integer.toString(port));
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.FunctionRole");
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "role-secret");
        env.put("ALIBABA_CLOUD_SECURITY_TOKEN", "CAIS-role-token-0123");
        env.put("ACK_ENDPOINT", ack.endpoint());
        env.put("ACK_PROTOCOL", "http");
        env.put("ROTATOR_CLUSTERS", CLUSTER);
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", client.getMasterUrl().toString());
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", "default");
        function = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                given().port(port).header("x-fc-request-id", "init-it").post("/initialize").then().statusCode(200);
                return;
            } catch (Exception | AssertionError e) {
                if (Instant.now().isAfter(deadline) || !function.isAlive()) {
                    throw new IllegalStateException("function did not start:\n" + Files.readString(output), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.destroy();
            function.waitFor();
        }
        ack.close();
    }

    @Test
    void aTimerTriggerSweepsWithTheRolesStsCredentials() throws IOException {
        given().port(port).header("Content-Type", "application/octet-stream").header("x-fc-request-id", "it-timer-1")
                .body("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":\"\"}"
                        .getBytes())
                .post("/invoke").then().statusCode(200)
                .body("action", equalTo("sweep"))
                .body("result.results[0].clusterId", equalTo(CLUSTER))
                .body("result.results[0].action", equalTo("adopted"));

        assertTrue(client.secrets().inNamespace("kubeconfig-rotator")
                .withName(SecretKubeconfigStore.secretName(ClusterId.of(CLUSTER))).get() != null);
        assertEquals(List.of(Optional.of("CAIS-role-token-0123")), ack.calls().stream()
                .map(FakeAck.Call::securityToken).distinct().toList(), "the env's STS token reached ACK");

        given().port(port).header("x-fc-request-id", "stop-it").get("/pre-stop").then().statusCode(200);
        String log = Files.readString(output);
        assertTrue(log.contains("FC Invoke Start RequestId: it-timer-1"), log);
        assertTrue(log.contains("FC Invoke End RequestId: it-timer-1"), log);
        assertTrue(!log.contains("role-secret") && !log.contains("CAIS-role-token-0123"), "no credential in the log");
    }

    @Test
    void adminFunctionsNeedATokenAndIssueNeedsACaller() {
        given().port(port).contentType("application/json").body("{}").post("/status").then().statusCode(401);
        given().port(port).contentType("application/json").body("{\"clusterId\":\"" + CLUSTER + "\"}").post("/issue")
                .then().statusCode(403);
    }
}
