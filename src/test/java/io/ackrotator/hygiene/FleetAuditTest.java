package io.ackrotator.hygiene;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet audit lists every identity's kubeconfig on every managed cluster as ACK reports it (from what the
 * stand-in really issued), flags orphans, root and expiring or expired ones, names a cluster whose listing failed
 * while the others are complete, and with {@code rbac} finds the member bindings of orphaned accounts.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class FleetAuditTest {

    static final String SEEDED = "ca0d1700000000000000000000000000a";
    static final String QUIET = "ca0d1700000000000000000000000000b";
    static final String BROKEN = "ca0d1700000000000000000000000000c";
    static final String TOM = "203456789012345601";
    static final String LEAVER = "203456789012345602";
    static final String ROOT = "1234567890123456";
    static final String OLD = "203456789012345603";
    final FakeAck ack = StandIns.ack();

    @BeforeEach
    void fleet() {
        for (String id : List.of(SEEDED, QUIET, BROKEN)) {
            if (!ack.hasCluster(id)) {
                ack.addCluster(id, "audit");
                Kubeconfig stored = Kubeconfig.parse(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(),
                        Duration.ofDays(900), false));
                new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator").create(ClusterId.of(id),
                        new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC, Optional.empty(),
                                ack.clock().instant()));
            }
        }
        ack.addAccount(new FakeAck.Account(TOM, "tom", "RamUser", "Active"))
                .addAccount(new FakeAck.Account(LEAVER, "leaver", "RamUser", "Deleted"))
                .addAccount(new FakeAck.Account(ROOT, "root", "RootAccount", "Active"))
                .addAccount(new FakeAck.Account(OLD, "old", "RamUser", "Active"));
        FakeAck.FakeCluster seeded = ack.cluster(SEEDED);
        seeded.seedLongTerm(TOM, Duration.ofDays(10), false);
        seeded.seedLongTerm(LEAVER, Duration.ofDays(700), false);
        seeded.seedLongTerm(ROOT, Duration.ofDays(500), false);
        seeded.seedLongTerm(OLD, Duration.ofDays(-3), false);
        ack.clearFaults();
    }

    static JsonPath audit(Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(body).post("/audit").then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> finding(JsonPath report, String cluster, String account) {
        return report.getMap("results.find { it.clusterId == '" + cluster + "' }.identities.find { it.accountId == '"
                + account + "' }");
    }

    @Test
    void everyIdentityIsListedAndTheRiskyOnesAreFlagged() {
        ack.failing(FakeAck.Operation.LIST_KUBECONFIG_STATES, Optional.of(BROKEN),
                new FakeAck.Fault.Status(503, "ServiceUnavailable"), 100);
        JsonPath report = audit(Map.of("clusterIds", List.of(SEEDED, QUIET, BROKEN)));

        assertEquals(3, report.getInt("clusters"));
        assertEquals(List.of(BROKEN), report.getList("failedClusters"), "the broken cluster is named");
        assertTrue(report.getString("results.find { it.clusterId == '" + BROKEN + "' }.error")
                .contains("ServiceUnavailable"));
        List<String> listed = report.getList("results.find { it.clusterId == '" + SEEDED + "' }.identities.accountId");
        assertEquals(java.util.Set.of(ack.defaultIdentity().uid(), TOM, LEAVER, ROOT, OLD),
                java.util.Set.copyOf(listed), "every identity the stand-in issued a long-term kubeconfig to");
        assertEquals(List.of(ack.defaultIdentity().uid()),
                report.getList("results.find { it.clusterId == '" + QUIET + "' }.identities.accountId"));

        assertEquals(List.of("orphaned"), finding(report, SEEDED, LEAVER).get("flags"), "deleted, still works");
        assertEquals(List.of("root-account"), finding(report, SEEDED, ROOT).get("flags"));
        assertEquals(List.of("expiring"), finding(report, SEEDED, TOM).get("flags"), "a person locked out in 10 days");
        assertEquals(List.of("expired"), finding(report, SEEDED, OLD).get("flags"));
        assertEquals(List.of(), finding(report, SEEDED, ack.defaultIdentity().uid()).get("flags"));
        assertEquals(true, finding(report, SEEDED, ack.defaultIdentity().uid()).get("function"));

        assertEquals(1, report.getInt("summary.orphaned"));
        assertEquals(1, report.getInt("summary.rootAccount"));
        assertEquals(1, report.getInt("summary.expiring"));
        assertEquals(1, report.getInt("summary.expired"));
        assertEquals(6, report.getInt("summary.identities"), "five on the seeded cluster, one on the quiet one");
    }

    @Test
    void theStatusShowsTheLastAuditsFlags() {
        audit(Map.of("clusterIds", List.of(SEEDED)));
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/status").then().statusCode(200)
                .body("lastAudit.summary.orphaned", equalTo(1))
                .body("lastAudit.results[0].identities.accountId", org.hamcrest.Matchers.hasItems(LEAVER, ROOT, TOM, OLD))
                .body("lastAudit.results[0].identities.accountId",
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(ack.defaultIdentity().uid())));
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).queryParam("format", "html").get("/status")
                .then().statusCode(200).body(containsString("orphaned")).body(containsString("leaver"));
    }

    @Test
    void withRbacTheMembersBindingsOfOrphanedAccountsAreFound() {
        ack.cluster(SEEDED).member().withBindings("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: %1$s-clusterrolebinding}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "%1$s-1676970192"}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %2$s-default-rolebinding, namespace: default}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "%2$s"}]
                """.formatted(LEAVER, TOM));
        JsonPath report = audit(Map.of("clusterIds", List.of(SEEDED), "rbac", true));

        List<Map<String, Object>> bindings = report.getList("results[0].bindings");
        assertEquals(1, bindings.size(), String.valueOf(bindings));
        assertEquals(Map.of("kind", "ClusterRoleBinding", "name", LEAVER + "-clusterrolebinding", "subject",
                LEAVER + "-1676970192", "accountId", LEAVER, "accountState", "Deleted", "role",
                "ClusterRole/cluster-admin"), bindings.get(0));
        assertEquals(1, report.getInt("summary.orphanedBindings"));
    }

    @Test
    void anEventCanAskForTheAuditAndOnlyTheAdminCan() {
        given().contentType("application/json").body(Map.of("action", "audit", "clusterIds", List.of(QUIET)))
                .post("/invoke").then().statusCode(200).body("action", equalTo("audit")).body("result.clusters", equalTo(1));
        given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/audit").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{}").post("/audit").then().statusCode(401);
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("rbac", "yes")).post("/audit").then().statusCode(400).body("field", equalTo("rbac"));
    }
}
