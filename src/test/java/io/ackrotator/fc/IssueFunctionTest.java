package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.LogCapture;
import io.ackrotator.standin.Secrets;
import io.ackrotator.standin.StandIns;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Temporary kubeconfigs through HTTP: issued ones work and expire; every refusal has its status and message. */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class IssueFunctionTest {

    static final String CLUSTER = "c15500000000000000000000000000001";
    final FakeAck ack = StandIns.ack();
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();

    @BeforeAll
    static void clusters() {
        FakeAck ack = StandIns.ack();
        if (ack.cluster(CLUSTER) == null) {
            ack.addCluster(CLUSTER, "shared");
            ack.addCluster(StandIns.TEAM_A_CLUSTER, "team-a");
        }
    }

    /** Every Event the function wrote would have been accepted by a real API server. */
    @org.junit.jupiter.api.AfterEach
    void eventsARealApiServerAccepts() {
        io.ackrotator.standin.EventValidation.assertAllAccepted(client);
    }

    @BeforeEach
    void reset() {
        ack.clearFaults();
        ack.clearCalls();
    }

    static ValidatableResponse issue(String token, Object body) {
        var request = given().contentType(ContentType.JSON);
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.body(body).post("/issue").then();
    }

    @Test
    void issuesAPublicKubeconfigThatWorksUntilItExpires() {
        Instant now = ack.clock().instant();
        JsonPath answer = issue(StandIns.CI_TOKEN, Map.of("clusterId", CLUSTER, "validityMinutes", 120))
                .statusCode(200)
                .body("clusterId", equalTo(CLUSTER))
                .body("access", equalTo("public"))
                .body("validityMinutes", equalTo(120))
                .extract().jsonPath();
        Kubeconfig kubeconfig = Kubeconfig.parse(answer.getString("kubeconfig"));

        assertEquals(now.plus(Duration.ofMinutes(120)), Instant.parse(answer.getString("expiresAt")));
        assertEquals(kubeconfig.notAfter(), Instant.parse(answer.getString("expiresAt")));
        assertEquals(kubeconfig.identity().serial(), answer.getString("serial"));
        assertEquals(kubeconfig.identity().subject(), answer.getString("subject"));
        assertEquals("120", ack.calls().get(0).query().get("TemporaryDurationMinutes"));
        assertEquals(ack.cluster(CLUSTER).member().kubeSystemUid(), probe.probe(kubeconfig).kubeSystemUid());

        ack.clock().advance(Duration.ofMinutes(121));
        ApiServerException expired = assertThrows(ApiServerException.class, () -> probe.probe(kubeconfig));
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, expired.kind());
    }

    @Test
    void issuesAnInternalKubeconfigWithTheDefaultValidity() {
        Instant now = ack.clock().instant();
        JsonPath answer = issue(StandIns.CI_TOKEN, Map.of("clusterId", CLUSTER, "access", "internal"))
                .statusCode(200).body("access", equalTo("internal")).extract().jsonPath();
        Kubeconfig kubeconfig = Kubeconfig.parse(answer.getString("kubeconfig"));

        assertEquals("localhost", kubeconfig.serverHost());
        assertEquals("true", ack.calls().get(0).query().get("PrivateIpAddress"));
        assertEquals(now.plus(Duration.ofHours(1)), kubeconfig.notAfter(), "default validity PT1H");
        assertEquals(ack.cluster(CLUSTER).member().kubeSystemUid(), probe.probe(kubeconfig).kubeSystemUid());
    }

    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of(Named.of("29 minutes is below the minimum", 29), 400),
                Arguments.of(Named.of("30 minutes is the minimum", 30), 200),
                Arguments.of(Named.of("3 days is the maximum", 4320), 200),
                Arguments.of(Named.of("3 days and a minute is too long", 4321), 400));
    }

    @ParameterizedTest
    @MethodSource("bounds")
    void validityBoundsAtTheEdges(int minutes, int status) {
        ValidatableResponse response = issue(StandIns.CI_TOKEN, Map.of("clusterId", CLUSTER, "validityMinutes",
                minutes)).statusCode(status);
        if (status == 400) {
            response.body("field", equalTo("validityMinutes"))
                    .body("error", equalTo("validityMinutes must be between 30 and 4320 for caller 'ci'"));
            assertTrue(ack.calls().isEmpty(), "refused before ACK is asked");
        }
    }

    @Test
    void aCallerLimitedToOneClusterCantGetAnother() {
        issue(StandIns.TEAM_A_TOKEN, Map.of("clusterId", StandIns.TEAM_A_CLUSTER, "validityMinutes", 60))
                .statusCode(200);
        issue(StandIns.TEAM_A_TOKEN, Map.of("clusterId", CLUSTER, "validityMinutes", 60)).statusCode(403)
                .body("error", equalTo("caller 'team-a' may not get kubeconfigs for cluster " + CLUSTER));
        issue(StandIns.TEAM_A_TOKEN, Map.of("clusterId", StandIns.TEAM_A_CLUSTER, "validityMinutes", 241))
                .statusCode(400).body("error", equalTo("validityMinutes must be between 30 and 240 for caller "
                        + "'team-a'"));
    }

    @Test
    void unauthenticatedCallsAre401AndNeverEchoTheToken() {
        issue(null, Map.of("clusterId", CLUSTER)).statusCode(401)
                .body("error", equalTo("missing bearer token: send 'Authorization: Bearer <token>'"));
        issue("not-a-known-token-5f5f5f", Map.of("clusterId", CLUSTER)).statusCode(401)
                .body("error", equalTo("bearer token not accepted"))
                .body(not(containsString("5f5f5f")));
        assertTrue(ack.calls().isEmpty());
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of(Named.of("no clusterId", "{}"), "clusterId"),
                Arguments.of(Named.of("clusterId with a path", "{\"clusterId\":\"../../c1\"}"), "clusterId"),
                Arguments.of(Named.of("clusterId encoded slash", "{\"clusterId\":\"c1234567%2Fx\"}"), "clusterId"),
                Arguments.of(Named.of("clusterId a number", "{\"clusterId\":12345678}"), "clusterId"),
                Arguments.of(Named.of("negative validity", "{\"clusterId\":\"" + CLUSTER
                        + "\",\"validityMinutes\":-5}"), "validityMinutes"),
                Arguments.of(Named.of("zero validity", "{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":0}"),
                        "validityMinutes"),
                Arguments.of(Named.of("fractional validity", "{\"clusterId\":\"" + CLUSTER
                        + "\",\"validityMinutes\":1.5}"), "validityMinutes"),
                Arguments.of(Named.of("huge validity", "{\"clusterId\":\"" + CLUSTER
                        + "\",\"validityMinutes\":99999999999999999999}"), "validityMinutes"),
                Arguments.of(Named.of("validity as text", "{\"clusterId\":\"" + CLUSTER
                        + "\",\"validityMinutes\":\"two hours\"}"), "validityMinutes"),
                Arguments.of(Named.of("unknown access", "{\"clusterId\":\"" + CLUSTER + "\",\"access\":\"vpn\"}"),
                        "access"),
                Arguments.of(Named.of("unknown field", "{\"clusterId\":\"" + CLUSTER + "\",\"ttl\":5}"), "ttl"),
                Arguments.of(Named.of("not JSON", "clusterId=" + CLUSTER), "body"),
                Arguments.of(Named.of("a JSON string", "\"" + CLUSTER + "\""), "body"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void malformedRequestsAre400NamingTheField(String body, String field) {
        issue(StandIns.CI_TOKEN, body).statusCode(400).body("field", equalTo(field))
                .body(not(containsString("Exception"))).body(not(containsString("at io.")));
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void theHourlyLimitPerCallerIs429() {
        ack.clock().advance(Duration.ofHours(1)); // a clock hour of its own: other tests use 'burst' too
        for (int i = 0; i < 3; i++) {
            issue(StandIns.BURST_TOKEN, Map.of("clusterId", CLUSTER)).statusCode(200);
        }
        issue(StandIns.BURST_TOKEN, Map.of("clusterId", CLUSTER)).statusCode(429)
                .body("error", equalTo("caller 'burst' reached its limit of 3 kubeconfigs per hour"));
        issue(StandIns.CI_TOKEN, Map.of("clusterId", CLUSTER)).statusCode(200);
    }

    @Test
    void anUnknownClusterIs404FromAck() {
        issue(StandIns.CI_TOKEN, Map.of("clusterId", "cdead0000000000000000000000000000")).statusCode(404)
                .body("error", containsString("ErrorClusterNotFound"));
    }

    @Test
    void everyDecisionIsAuditedWithoutSecrets() {
        List<String> secrets = new ArrayList<>(List.of(StandIns.CI_TOKEN, StandIns.TEAM_A_TOKEN,
                FakeAck.DEFAULT_SECRET));
        try (LogCapture logs = LogCapture.start()) {
            String kubeconfig = issue(StandIns.CI_TOKEN, Map.of("clusterId", CLUSTER, "validityMinutes", 90))
                    .statusCode(200).extract().path("kubeconfig");
            secrets.addAll(Secrets.ofKubeconfig(kubeconfig));
            issue(StandIns.TEAM_A_TOKEN, Map.of("clusterId", CLUSTER)).statusCode(403);
            issue("wrong-token-0000", Map.of("clusterId", CLUSTER)).statusCode(401);

            List<String> audit = logs.lines().stream().filter(l -> l.startsWith("io.ackrotator.audit")).toList();
            assertEquals(3, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(0).contains("\"outcome\":\"issued\"") && audit.get(0).contains("\"caller\":\"ci\"")
                    && audit.get(0).contains("\"grantedMinutes\":90") && audit.get(0).contains("\"serial\":")
                    && audit.get(0).contains("\"sourceIp\":\"127.0.0.1\""), audit.get(0));
            assertTrue(audit.get(1).contains("\"outcome\":\"refused\"") && audit.get(1).contains("\"status\":403")
                    && audit.get(1).contains("\"caller\":\"team-a\""), audit.get(1));
            assertTrue(audit.get(2).contains("\"status\":401") && !audit.get(2).contains("\"caller\""), audit.get(2));
            Secrets.assertAbsent("the logs", logs.text(), secrets);
        }
        var events = client.events().v1().events().inNamespace("kubeconfig-rotator")
                .withLabel("ack-kubeconfig-rotator.io/audit").list().getItems();
        assertTrue(events.stream().anyMatch(e -> e.getReason().equals("KubeconfigIssued")));
        assertTrue(events.stream().anyMatch(e -> e.getReason().equals("KubeconfigRefused")));
        events.forEach(e -> Secrets.assertAbsent("an audit Event", e.getNote(), secrets));
        for (var event : events) {
            // the Event's time is the function's clock (the audit record's), not the machine's
            assertEquals(Instant.parse(JsonPath.from(event.getNote()).getString("time")),
                    Instant.parse(event.getEventTime().getTime()), event.getNote().substring(0, 60));
        }
    }
}
