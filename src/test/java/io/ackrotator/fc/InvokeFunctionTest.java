package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.LogCapture;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Function Compute protocol: events at POST /invoke as FC sends them, lifecycle hooks, request IDs. */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class InvokeFunctionTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final AtomicInteger IDS = new AtomicInteger(0x9000);

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();

    final FakeAck ack = StandIns.ack();

    /** Every Event the function wrote would have been accepted by a real API server. */
    @org.junit.jupiter.api.AfterEach
    void eventsARealApiServerAccepts() {
        io.ackrotator.standin.EventValidation.assertAllAccepted(client);
    }

    @BeforeEach
    void reset() {
        client.secrets().inNamespace(NAMESPACE).delete();
        client.leases().inNamespace(NAMESPACE).delete();
        ack.clearFaults();
        ack.clearCalls();
    }

    /** As FC sends events: octet-stream body, request ID header. */
    static ValidatableResponse invoke(String event, String requestId) {
        return given().header("Content-Type", "application/octet-stream").header("x-fc-request-id", requestId)
                .body(event.getBytes()).post("/invoke").then();
    }

    String newCluster() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "evt-" + id.substring(28));
        return id;
    }

    boolean stored(String id) {
        return client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ClusterId.of(id)))
                .get() != null;
    }

    @Test
    void fcReadsTheOutcomeFromXFcStatusSoEveryAnswerCarriesIt() {
        // finished, even with a failed cluster: success, the report says which failed
        String broken = newCluster();
        ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(broken), new FakeAck.Fault.Status(403,
                "Forbidden.RAM"), 10);
        invoke("{\"action\":\"rotate\",\"clusterIds\":[\"" + broken + "\"]}", "r-fail").statusCode(200)
                .header("x-fc-status", "200").body("result.summary.failed", equalTo(1));

        // could not run: another sweep holds the Lease
        var other = new io.ackrotator.rotation.SweepLock(client, NAMESPACE, Duration.ofMinutes(15), ack.clock())
                .tryAcquire("another-instance").orElseThrow();
        try {
            invoke("{\"action\":\"sweep\"}", "r-busy").statusCode(503).header("x-fc-status", "404")
                    .body("answer.result.status", equalTo("sweep-in-progress"))
                    .body("error", org.hamcrest.Matchers.containsString("another sweep holds the Lease"));
        } finally {
            other.release();
        }

        // an event nobody can act on goes to FC's failure handling too (the onFailure destination keeps it)
        invoke("{\"what\":1}", "r-bad").statusCode(400).header("x-fc-status", "404");
    }

    @Test
    void aTimerEventWithoutPayloadSweeps() {
        invoke("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"daily-sweep\",\"payload\":\"\"}", "r-1")
                .statusCode(200)
                .body("source", equalTo("timer"))
                .body("action", equalTo("sweep"))
                .body("result.status", equalTo("completed"));
    }

    @Test
    void aTimerEventsPayloadNamesTheAction() {
        String id = newCluster();
        invoke("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"t\",\"payload\":"
                + "\"{\\\"action\\\":\\\"rotate\\\",\\\"clusterIds\\\":[\\\"" + id + "\\\"]}\"}", "r-2")
                .statusCode(200)
                .body("action", equalTo("rotate"))
                .body("result.results[0].action", equalTo("adopted"));
        assertTrue(stored(id));

        invoke("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"t\",\"payload\":\"status\"}", "r-3")
                .statusCode(200).body("action", equalTo("status"))
                .body("result.clusters.clusterId", org.hamcrest.Matchers.hasItem(id));
    }

    /** The assembled CreateCluster event of src/test/resources/events (sources in SOURCES.md) for this cluster. */
    static String createClusterEvent(String clusterId) {
        try (var in = InvokeFunctionTest.class.getResourceAsStream("/events/ack-createcluster-assembled.json")) {
            return new String(in.readAllBytes()).replace("CLUSTER_ID", clusterId);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCreateClusterEventAdoptsTheCluster() {
        String id = newCluster();
        invoke(createClusterEvent(id), "r-4")
                .statusCode(200)
                .body("source", equalTo("cloudevent"))
                .body("action", equalTo("adopt"))
                .body("result.results[0].clusterId", equalTo(id))
                .body("result.results[0].action", equalTo("adopted"));
        assertTrue(stored(id));
    }

    @Test
    void otherCloudEventsAreAcknowledgedAndIgnoredWithAReason() {
        invoke("{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"acs.ecs\",\"type\":\"ecs:Instance:StateChange\","
                + "\"data\":{}}", "r-5").statusCode(200).body("ignored", equalTo("events from acs.ecs are not handled"));
        invoke(createClusterEvent("c1234567890").replace("\"CreateCluster\"", "\"DeleteCluster\""), "r-6")
                .statusCode(200).body("ignored", equalTo("ACK API call DeleteCluster needs no action"));
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void aDirectActionRuns() {
        invoke("{\"action\":\"sweep\",\"dryRun\":true}", "r-7").statusCode(200).body("source", equalTo("direct"))
                .body("result.dryRun", equalTo(true));
    }

    @Test
    void unknownShapesAreRefusedWithWhatWasExpected() {
        invoke("{\"hello\":\"world\"}", "r-8").statusCode(400).body("error", containsString("expected a timer trigger"));
        invoke("{\"specversion\":\"1.0\",\"source\":\"acs.cs\"}", "r-9").statusCode(400).body("field", equalTo("id"));
        invoke("{\"triggerTime\":\"x\",\"triggerName\":\"t\",\"payload\":\"{oops\"}", "r-10").statusCode(400)
                .body("field", equalTo("payload"));
        invoke("{\"triggerTime\":\"x\",\"triggerName\":\"t\",\"payload\":\"explode\"}", "r-11").statusCode(400)
                .body("field", equalTo("action"));
        invoke("not json at all", "r-12").statusCode(400).body("field", equalTo("body"));
    }

    @Test
    void issueIsNeverReachableThroughInvoke() {
        invoke("{\"action\":\"issue\",\"clusterId\":\"c1234567890\"}", "r-13").statusCode(403)
                .body("error", containsString("POST /issue")).body(not(containsString("kubeconfig\":")));
        invoke("{\"triggerTime\":\"x\",\"triggerName\":\"t\",\"payload\":\"issue\"}", "r-14").statusCode(403);
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void noInvocationEverAnswersWithAKubeconfig() {
        String adopted = newCluster();
        String viaEvent = newCluster();
        List<String> events = List.of(
                "{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":\"\"}",
                "{\"action\":\"rotate\",\"clusterIds\":[\"" + adopted + "\"],\"force\":true}",
                "{\"action\":\"status\"}",
                "{\"action\":\"resync\"}",
                createClusterEvent(viaEvent),
                "{\"action\":\"issue\",\"clusterId\":\"" + adopted + "\"}");
        for (String event : events) {
            String body = invoke(event, "no-kubeconfig").extract().asString();
            assertTrue(io.ackrotator.standin.Leaks.find(body).isEmpty(), "no key, certificate or kubeconfig in the "
                    + "answer to " + event);
            assertFalse(body.contains("client-key-data") || body.contains("apiVersion: v1"), body);
        }
        assertTrue(client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(viaEvent))).get() != null, "the kubeconfigs went to the store, not into the answers");
    }

    @Test
    void perInvocationStsHeadersWinAndReachAck() {
        String token = "CAIS-invocation-token-" + "z".repeat(40);
        ack.addIdentity(new FakeAck.Identity("STS.InvocationKey", "invocation-secret", Optional.of(token),
                "300000077"));
        String id = newCluster();
        given().header("Content-Type", "application/octet-stream").header("x-fc-request-id", "r-15")
                .header("x-fc-access-key-id", "STS.InvocationKey")
                .header("x-fc-access-key-secret", "invocation-secret")
                .header("x-fc-security-token", token)
                .body(("{\"action\":\"rotate\",\"clusterIds\":[\"" + id + "\"]}").getBytes()).post("/invoke").then()
                .statusCode(200).body("result.results[0].action", equalTo("adopted"))
                .body("result.results[0].subject", equalTo("CN=300000077,O=system:users"));
        assertEquals(List.of(Optional.of(token)), ack.calls().stream().map(FakeAck.Call::securityToken).toList());
    }

    @Test
    void lifecycleHooksAnswer() {
        given().header("x-fc-request-id", "init-1").post("/initialize").then().statusCode(200)
                .body("status", equalTo("initialized")).body("ackEndpoint", equalTo(ack.endpoint()));
        given().header("x-fc-request-id", "stop-1").get("/pre-stop").then().statusCode(200)
                .body("status", equalTo("stopping"));
    }

    @Test
    void everyLineOfAnInvocationCarriesItsRequestId() {
        String id = newCluster();
        try (LogCapture logs = LogCapture.start()) {
            invoke("{\"action\":\"rotate\",\"clusterIds\":[\"" + id + "\"]}", "req-abc-123").statusCode(200);
            // FC's End line is written once the answer has gone out, so it may trail the response a little.
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!logs.text().contains("FC Invoke End RequestId: req-abc-123") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            String text = logs.text();
            assertTrue(text.contains("FC Invoke Start RequestId: req-abc-123"), text);
            assertTrue(text.contains("FC Invoke End RequestId: req-abc-123"), text);
            String rotationLine = logs.lines().stream().filter(l -> l.contains("rotation clusterId=" + id)).findFirst()
                    .orElseThrow();
            assertTrue(rotationLine.contains("[req-abc-123]"), rotationLine);
            assertFalse(logs.lines().stream().anyMatch(l -> l.contains("FC Invoke") && l.contains("r-1 ")));
        }
    }
}
