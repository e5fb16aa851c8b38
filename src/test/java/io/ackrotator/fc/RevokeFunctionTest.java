package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.KubeSphereHost;
import io.ackrotator.standin.LogCapture;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.Revocation;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revoke and recover the fleet credential of one cluster in one call: revoked at ACK, a new kubeconfig verified
 * against the same cluster, stored, and out to the KubeSphere host; the intent is recorded first, so an interrupted
 * revocation is finished by the next sweep and never leaves a revoked kubeconfig in place.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class RevokeFunctionTest {

    static final AtomicInteger IDS = new AtomicInteger(0x7e0);
    final KubernetesClient client = HostFront.client();
    final FakeAck ack = StandIns.ack();
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));
    final SecretKubeconfigStore store = new SecretKubeconfigStore(client, "kubeconfig-rotator");
    KubeSphereHost host;

    @BeforeEach
    void host() {
        client.leases().inNamespace("kubeconfig-rotator").delete();
        host = new KubeSphereHost(client).install("host-jwt-7e0");
        ack.clearFaults();
    }

    /** A cluster whose stored kubeconfig is also the KubeSphere host's copy of member {@code name}. */
    record Member(String id, String name, Kubeconfig stored) {
    }

    Member member() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        FakeAck.FakeCluster cluster = ack.addCluster(id, "revoke");
        Kubeconfig stored = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(600),
                false));
        store.create(ClusterId.of(id), new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC,
                Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant()));
        String name = "revoke-" + id.substring(29);
        host.addDirectMember(name, id, stored.text(), cluster.member().kubeSystemUid());
        return new Member(id, name, stored);
    }

    static io.restassured.response.ValidatableResponse revoke(Object body) {
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(body).post("/revoke").then();
    }

    void recovered(Member m) {
        StoredKubeconfig entry = store.get(ClusterId.of(m.id())).orElseThrow();
        Kubeconfig now = Kubeconfig.parse(entry.kubeconfig());
        assertTrue(!now.identity().serial().equals(m.stored().identity().serial()), "a new certificate");
        assertEquals(ack.cluster(m.id()).member().kubeSystemUid(), probe.probe(now).kubeSystemUid(), "it works");
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, assertThrows(ApiServerException.class,
                () -> probe.probe(m.stored())).kind(), "the old one is refused by the member");
        assertEquals(Optional.empty(), entry.previous(), "the revoked one is not kept as a fallback");
        assertEquals(Optional.empty(), entry.revocation(), "the record of the revocation is cleared");
        assertEquals(now.text(), host.kubeconfigOf(m.name()), "the KubeSphere host has the new one");
    }

    @Test
    void revokingReplacesTheCredentialEverywhereAndTheOldOneStopsWorking() {
        Member m = member();
        try (LogCapture logs = LogCapture.start()) {
            revoke(Map.of("clusterId", m.id(), "confirm", m.id(), "reason", "laptop with the kubeconfig stolen"))
                    .statusCode(200).body("results[0].action", equalTo("revoked"))
                    .body("results[0].message", containsString("laptop with the kubeconfig stolen"));
            assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("io.ackrotator.audit")
                    && l.contains("\"outcome\":\"revoked\"") && l.contains("\"caller\":\"admin\"")
                    && l.contains(m.id())), String.join("\n", logs.lines()));
        }
        recovered(m);
        assertEquals(1, ack.calls(FakeAck.Operation.REVOKE).stream().filter(c -> c.clusterId().equals(m.id()))
                .count());
    }

    @Test
    void aRevocationInterruptedAfterItWasRecordedIsFinishedByTheNextSweep() {
        Member m = member();
        StoredKubeconfig entry = store.get(ClusterId.of(m.id())).orElseThrow();
        store.recordRevocation(entry, new Revocation(Revocation.Phase.REVOKING, "crash test", ack.clock().instant(),
                m.stored().identity().serial(), Optional.empty()));
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/status").then().statusCode(200)
                .body("clusters.find { it.clusterId == '" + m.id() + "' }.state", equalTo("revoking"));

        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterIds", List.of(m.id()))).post("/rotate").then().statusCode(200)
                .body("results[0].action", equalTo("revoked"));
        recovered(m);
    }

    @Test
    void aRevocationThatReachedAckBeforeTheCrashIsNotLeftRevokedInPlace() {
        Member m = member();
        ack.cluster(m.id()).revokeAll(ack.defaultIdentity().uid()); // ACK revoked, the Secret still says revoking
        StoredKubeconfig entry = store.get(ClusterId.of(m.id())).orElseThrow();
        store.recordRevocation(entry, new Revocation(Revocation.Phase.REVOKING, "crash test", ack.clock().instant(),
                m.stored().identity().serial(), Optional.empty()));

        given().contentType("application/json").body(Map.of("action", "sweep")).post("/invoke").then()
                .statusCode(200);
        recovered(m);
    }

    @Test
    void statusWithProbeShowsAKubeconfigRevokedBehindTheFunctionsBackAsRejected() {
        Member m = member();
        ack.cluster(m.id()).revokeAll(ack.defaultIdentity().uid());
        String state = "clusters.find { it.clusterId == '" + m.id() + "' }.state";
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("probe", true)).post("/status").then().statusCode(200).body(state, equalTo("ok"));
        ack.clock().advance(Duration.ofDays(1)); // proven when stored; due again a day later
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{}").post("/status").then().statusCode(200).body(state, equalTo("ok"));
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("probe", true)).post("/status").then().statusCode(200).body(state, equalTo("rejected"));
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{}").post("/status").then().statusCode(200).body(state, equalTo("rejected"));
    }

    @Test
    void badInputIsRefusedAndNothingIsRevoked() {
        Member m = member();
        revoke(Map.of("clusterId", m.id(), "reason", "x")).statusCode(400).body("field", equalTo("confirm"));
        revoke(Map.of("clusterId", m.id(), "confirm", "c0000000000000000000000000000000f", "reason", "x"))
                .statusCode(400).body("field", equalTo("confirm"));
        revoke(Map.of("clusterId", m.id(), "confirm", m.id())).statusCode(400).body("field", equalTo("reason"));
        revoke(Map.of("clusterId", m.id(), "confirm", m.id(), "reason", "a\nb")).statusCode(400)
                .body("field", equalTo("reason"));
        revoke(Map.of("confirm", m.id(), "reason", "x")).statusCode(400).body("field", equalTo("clusterId"));
        String unknown = "c00000000000000000000000000000dead";
        revoke(Map.of("clusterId", unknown, "confirm", unknown, "reason", "x")).statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("clusterId", m.id(), "confirm", m.id(), "reason", "x"))
                .post("/revoke").then().statusCode(401);
        given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterId", m.id(), "confirm", m.id(), "reason", "x")).post("/revoke").then()
                .statusCode(403);
        assertTrue(ack.calls(FakeAck.Operation.REVOKE).stream().noneMatch(c -> c.clusterId().equals(m.id())));
        assertEquals(ack.cluster(m.id()).member().kubeSystemUid(), probe.probe(m.stored()).kubeSystemUid(),
                "the stored one still works");
        assertEquals(Optional.empty(), store.get(ClusterId.of(m.id())).orElseThrow().revocation());
    }
}
