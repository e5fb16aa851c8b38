package io.ackrotator.hygiene;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerException;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credential hygiene on the packaged function configured by environment only: the fleet audit of a seeded fleet,
 * offboarding a leaver, and a stored kubeconfig revoked behind the function's back replaced within one sweep.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class HygieneIT {

    static final String A = "c4y61e00000000000000000000000000a";
    static final String B = "c4y61e00000000000000000000000000b";
    static final String C = "c4y61e00000000000000000000000000c";
    static final String LEAVER = "203456789012345602";
    static final String TOM = "203456789012345601";
    static final String ROOT = "1234567890123456";
    KubernetesClient client;
    FakeAck ack;
    FunctionProcess function;
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));

    @BeforeEach
    void start() throws Exception {
        ack = FakeAck.start();
        SecretKubeconfigStore store = new SecretKubeconfigStore(client, "kubeconfig-rotator");
        for (String id : List.of(A, B, C)) {
            ack.addCluster(id, "hygiene");
            Kubeconfig stored = Kubeconfig.parse(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(),
                    Duration.ofDays(900), false));
            store.create(ClusterId.of(id), new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC,
                    Optional.of(ack.cluster(id).member().kubeSystemUid()), ack.clock().instant()));
        }
        ack.addAccount(new FakeAck.Account(LEAVER, "leaver", "RamUser", "Deleted"))
                .addAccount(new FakeAck.Account(TOM, "tom", "RamUser", "Active"))
                .addAccount(new FakeAck.Account(ROOT, "root", "RootAccount", "Active"));
        ack.cluster(A).seedLongTerm(LEAVER, Duration.ofDays(700), false);
        ack.cluster(A).seedLongTerm(TOM, Duration.ofDays(12), false);
        ack.cluster(B).seedLongTerm(ROOT, Duration.ofDays(500), false);
        Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, client.getMasterUrl().toString());
        env.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
        env.put("ROTATOR_PROBE_INTERVAL", "PT0S"); // every sweep proves every stored kubeconfig
        function = FunctionProcess.start(env, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        function.close();
        ack.close();
    }

    io.restassured.specification.RequestSpecification admin() {
        return given().port(function.port()).header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .contentType("application/json");
    }

    @Test
    void theAuditNamesEveryIdentityAndTheBrokenClusterWhileTheOthersAreComplete() {
        ack.failing(FakeAck.Operation.LIST_KUBECONFIG_STATES, Optional.of(C),
                new FakeAck.Fault.Status(500, "InternalError"), 100);
        JsonPath report = admin().body("{}").post("/audit").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(C), report.getList("failedClusters"));
        assertEquals(Set.of(ack.defaultIdentity().uid(), LEAVER, TOM), Set.copyOf(
                report.getList("results.find { it.clusterId == '" + A + "' }.identities.accountId")));
        assertEquals(Set.of(ack.defaultIdentity().uid(), ROOT), Set.copyOf(
                report.getList("results.find { it.clusterId == '" + B + "' }.identities.accountId")));
        assertEquals(1, report.getInt("summary.orphaned"));
        assertEquals(1, report.getInt("summary.rootAccount"));
        assertEquals(1, report.getInt("summary.expiring"));
        assertEquals(List.of("expiring"), report.getList("results.find { it.clusterId == '" + A
                + "' }.identities.find { it.accountId == '" + TOM + "' }.flags"));
        admin().queryParam("format", "html").get("/status").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("leaver"));
    }

    @Test
    void aLeaverIsOffboardedOnlyForRealAndOnlyWhereAsked() {
        Kubeconfig leavers = Kubeconfig.parse(ack.cluster(B).seedLongTerm(LEAVER, Duration.ofDays(300), false));
        admin().body(Map.of("uid", LEAVER, "all", true)).post("/offboard").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("summary.would-clean", equalTo(3));
        assertTrue(ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).isEmpty(), "a dry run asks ACK nothing");

        admin().body(Map.of("uid", LEAVER, "clusterIds", List.of(B), "dryRun", false)).post("/offboard").then()
                .statusCode(200).body("results[0].outcome", equalTo("cleaned"));
        try {
            probe.probe(leavers);
            throw new AssertionError("the leaver's kubeconfig still works");
        } catch (ApiServerException e) {
            assertEquals(ApiServerException.Kind.UNAUTHORIZED, e.kind());
        }
    }

    @Test
    void aStoredKubeconfigRevokedBehindTheFunctionsBackIsReplacedWithinOneSweep() {
        ack.cluster(A).revokeAll(ack.defaultIdentity().uid());
        given().port(function.port()).header("Content-Type", "application/octet-stream")
                .body("{\"triggerTime\":\"2026-12-01T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":\"\"}".getBytes())
                .post("/invoke").then().statusCode(200)
                .body("result.results.find { it.clusterId == '" + A + "' }.action", equalTo("rotated"))
                .body("result.results.find { it.clusterId == '" + A + "' }.state", equalTo("rejected"))
                .body("result.results.find { it.clusterId == '" + B + "' }.action", equalTo("ok"));
        Kubeconfig stored = Kubeconfig.parse(new SecretKubeconfigStore(client, "kubeconfig-rotator")
                .get(ClusterId.of(A)).orElseThrow().kubeconfig());
        assertEquals(ack.cluster(A).member().kubeSystemUid(), probe.probe(stored).kubeSystemUid());
    }
}
