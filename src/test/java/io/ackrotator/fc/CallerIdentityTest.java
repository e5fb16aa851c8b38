package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeSts;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each caller gets its own least-privilege identity: the function assumes the caller's RAM role (STS, narrowed to
 * the one cluster and the granted validity) and fetches the kubeconfig as that role, so the certificate carries the
 * role's identity and the member's RBAC for that role is all the caller can do; what was issued to one caller can be
 * revoked without touching the fleet's stored kubeconfig.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class CallerIdentityTest {

    static final String CLUSTER = StandIns.TEAM_A_CLUSTER;
    final FakeAck ack = StandIns.ack();
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));

    @BeforeEach
    void cluster() {
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "team-a");
        }
        ack.clock().advance(Duration.ofHours(1)); // fresh hourly quotas and role sessions for every test
    }

    static JsonPath issue(String token, int minutes) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("clusterId", CLUSTER, "validityMinutes", minutes)).post("/issue").then()
                .statusCode(200).extract().jsonPath();
    }

    static KubernetesClient as(Kubeconfig kubeconfig) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.text())).build();
    }

    @Test
    void twoCallersWithTheirOwnRolesGetCertificatesOfTheirRolesAndWhatTheirRbacAllows() {
        Kubeconfig ci = Kubeconfig.parse(issue(StandIns.CI_TOKEN, 60).getString("kubeconfig"));
        Kubeconfig team = Kubeconfig.parse(issue(StandIns.TEAM_A_TOKEN, 60).getString("kubeconfig"));

        assertEquals(StandIns.CI_ROLE_UID, ci.identity().user());
        assertEquals(StandIns.TEAM_A_ROLE_UID, team.identity().user());
        assertNotEquals(ack.defaultIdentity().uid(), ci.identity().user(), "not the function's identity");

        try (KubernetesClient kubectl = as(ci)) {
            assertEquals(0, kubectl.pods().inNamespace("team-a").list().getItems().size(), "pods in team-a");
            assertEquals(403, assertThrows(KubernetesClientException.class,
                    () -> kubectl.secrets().inNamespace("team-a").list()).getCode(), "no Secrets");
            assertEquals(403, assertThrows(KubernetesClientException.class,
                    () -> kubectl.pods().inNamespace("team-b").list()).getCode(), "no other namespace");
        }
        try (KubernetesClient kubectl = as(team)) {
            assertEquals(0, kubectl.pods().inNamespace("team-a").list().getItems().size());
            assertEquals(403, assertThrows(KubernetesClientException.class,
                    () -> kubectl.namespaces().list()).getCode(), "team-a's role lists no namespaces");
        }
    }

    @Test
    void theRoleSessionIsNarrowedToTheClusterAndTheGrantedValidity() {
        int before = ack.sts().assumptions().size();
        issue(StandIns.CI_TOKEN, 90);

        FakeSts.Assumption assumption = ack.sts().assumptions().get(before);
        assertEquals(StandIns.CI_ROLE, assumption.roleArn());
        assertEquals(ack.defaultIdentity().uid(), assumption.callerUid(), "assumed with the function's credentials");
        assertEquals(900, assumption.durationSeconds());
        assertTrue(assumption.sessionName().startsWith("ci-"), assumption.sessionName());
        String policy = assumption.policy().orElseThrow();
        assertTrue(policy.contains("\"cs:DescribeClusterUserKubeconfig\"") && policy.contains("cluster/" + CLUSTER)
                && policy.contains("\"cs:KubeConfigDurationMinutes\":\"90\""), policy);

        issue(StandIns.CI_TOKEN, 90);
        assertEquals(before + 1, ack.sts().assumptions().size(), "the session is reused while it is fresh");
        ack.clock().advance(Duration.ofMinutes(11));
        issue(StandIns.CI_TOKEN, 90);
        assertEquals(before + 2, ack.sts().assumptions().size(), "renewed 5 minutes before its 15 minutes end");
    }

    @Test
    void aCachedRoleSessionAckNoLongerAcceptsIsReplacedNotFailedOn() {
        issue(StandIns.CI_TOKEN, 60);
        int assumed = ack.sts().assumptions().size();
        ack.endSessions(); // ACK refuses the cached session's token from now on, 10 minutes before the cache would
        Kubeconfig next = Kubeconfig.parse(issue(StandIns.CI_TOKEN, 60).getString("kubeconfig"));
        assertEquals(StandIns.CI_ROLE_UID, next.identity().user());
        assertEquals(assumed + 1, ack.sts().assumptions().size(), "assumed afresh once");
    }

    @Test
    void aRoleThatDoesNotTrustTheFunctionIsAnAuditedRefusal() {
        String untrusting = "acs:ram::1234567890123456:role/ci-deployer";
        ack.sts().addRole(new FakeSts.Role(untrusting, StandIns.CI_ROLE_UID, java.util.Set.of()));
        try {
            given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("clusterId", CLUSTER)).post("/issue").then().statusCode(403)
                    .body("error", org.hamcrest.Matchers.startsWith("the function could not act as caller 'ci''s "
                            + "role"));
        } finally {
            ack.sts().addRole(new FakeSts.Role(untrusting, StandIns.CI_ROLE_UID,
                    java.util.Set.of(ack.defaultIdentity().uid())));
        }
    }

    @Test
    void revokingWhatWasIssuedToOneCallerLeavesTheFleetAndTheOtherCallers() {
        Kubeconfig stored = Kubeconfig.parse(ack.cluster(CLUSTER).seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(400), false));
        new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator").create(ClusterId.of(CLUSTER),
                new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC, Optional.empty(), ack.clock().instant()));
        Kubeconfig ci = Kubeconfig.parse(issue(StandIns.CI_TOKEN, 60).getString("kubeconfig"));
        Kubeconfig team = Kubeconfig.parse(issue(StandIns.TEAM_A_TOKEN, 60).getString("kubeconfig"));

        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("caller", "ci", "clusterId", CLUSTER)).post("/revoke-issued").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("revoked"))
                .body("roleArn", org.hamcrest.Matchers.equalTo(StandIns.CI_ROLE));

        assertThrows(io.ackrotator.kubeconfig.ApiServerException.class, () -> probe.probe(ci), "ci's is refused");
        try (KubernetesClient kubectl = as(team)) {
            assertEquals(0, kubectl.pods().inNamespace("team-a").list().getItems().size(), "team-a's still works");
        }
        assertEquals(ack.cluster(CLUSTER).member().kubeSystemUid(), probe.probe(stored).kubeSystemUid(),
                "the fleet's stored kubeconfig (the function's identity) still works");

        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("caller", "burst", "clusterId", CLUSTER)).post("/revoke-issued").then().statusCode(409)
                .body("error", org.hamcrest.Matchers.containsString("would revoke the fleet's stored kubeconfig"));
        given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("caller", "ci", "clusterId", CLUSTER)).post("/revoke-issued").then().statusCode(403);
    }
}
