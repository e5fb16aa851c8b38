package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.time.Duration;
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
    FunctionProcess function;
    int port;

    @BeforeEach
    void start() throws Exception {
        ack = FakeAck.start();
        ack.addCluster(CLUSTER, "packaged");
        ack.addIdentity(new FakeAck.Identity("STS.FunctionRole", "role-secret", Optional.of("CAIS-role-token-0123"),
                "300000099"));
        Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, client.getMasterUrl().toString());
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.FunctionRole");
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "role-secret");
        env.put("ALIBABA_CLOUD_SECURITY_TOKEN", "CAIS-role-token-0123");
        env.put("ROTATOR_CLUSTERS", CLUSTER);
        function = FunctionProcess.start(env, Duration.ofSeconds(60));
        port = function.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.close();
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
        String log = function.log();
        assertTrue(log.contains("FC Invoke Start RequestId: it-timer-1"), log);
        assertTrue(log.contains("FC Invoke End RequestId: it-timer-1"), log);
        assertTrue(!log.contains("role-secret") && !log.contains("CAIS-role-token-0123"), "no credential in the log");
    }

    @Test
    void adminFunctionsNeedATokenAndIssueNeedsACaller() {
        given().port(port).contentType("application/json").body("{}").post("/status").then().statusCode(401);
        given().port(port).contentType("application/json").header("Authorization", "Bearer " + StandIns.CI_TOKEN)
                .body("{\"clusterId\":\"" + CLUSTER + "\"}").post("/issue").then().statusCode(401);
    }
}
