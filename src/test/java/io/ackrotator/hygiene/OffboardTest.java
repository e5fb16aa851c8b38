package io.ackrotator.hygiene;

import static io.restassured.RestAssured.given;
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
import io.ackrotator.standin.LogCapture;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Offboarding a leaver: a dry run (the default) changes nothing; for real the leaver's access is removed where ACK
 * agrees (their kubeconfig then refused by the member), ACK's 7-day refusal is reported as ACK's, and the function's
 * own identity and the root account are never offboarded.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class OffboardTest {

    static final AtomicInteger IDS = new AtomicInteger(0x0ff0);
    static final String ROOT = "1234567890123456";
    final FakeAck ack = StandIns.ack();
    final ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(5));

    String cluster() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "offboard");
        Kubeconfig stored = Kubeconfig.parse(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(900), false));
        new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator").create(ClusterId.of(id),
                new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC, Optional.empty(), ack.clock().instant()));
        return id;
    }

    static String leaver() {
        return "20555" + String.format("%013d", IDS.incrementAndGet());
    }

    /** The leaver's kubeconfig calls the member: authenticated (its RBAC grants nothing here, so 403). */
    void use(Kubeconfig kubeconfig) {
        assertEquals(ApiServerException.Kind.FORBIDDEN, assertThrows(ApiServerException.class,
                () -> probe.probe(kubeconfig)).kind(), "the certificate is accepted");
    }

    static JsonPath offboard(Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(body).post("/offboard").then().statusCode(200).extract().jsonPath();
    }

    static String outcome(JsonPath report, String cluster) {
        return report.getString("results.find { it.clusterId == '" + cluster + "' }.outcome");
    }

    @Test
    void aDryRunChangesNothingThenTheLeaversAccessGoesWhereAckAgrees() {
        String used = cluster();
        String quiet = cluster();
        String uid = leaver();
        ack.addAccount(new FakeAck.Account(uid, "leaver", "RamUser", "Active"));
        Kubeconfig onUsed = Kubeconfig.parse(ack.cluster(used).seedLongTerm(uid, Duration.ofDays(300), false));
        Kubeconfig onQuiet = Kubeconfig.parse(ack.cluster(quiet).seedLongTerm(uid, Duration.ofDays(300), false));
        use(onUsed); // the leaver used this cluster today
        long cleans = ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).size();

        JsonPath dry = offboard(Map.of("uid", uid, "clusterIds", List.of(used, quiet)));
        assertTrue(dry.getBoolean("dryRun"), "a dry run by default");
        assertEquals("would-clean", outcome(dry, used));
        assertEquals("would-clean", outcome(dry, quiet));
        assertEquals(cleans, ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).size(), "ACK was not asked to clean");
        use(onQuiet);
        ack.clock().advance(Duration.ofDays(8)); // the quiet cluster's last access is now 8 days old
        use(onUsed);

        try (LogCapture logs = LogCapture.start()) {
            JsonPath real = offboard(Map.of("uid", uid, "clusterIds", List.of(used, quiet), "dryRun", false));
            assertEquals("refused-by-ack", outcome(real, used), real.prettify());
            assertTrue(real.getString("results.find { it.clusterId == '" + used + "' }.message")
                    .contains("last 7 days"));
            assertEquals("cleaned", outcome(real, quiet));
            assertEquals(2, logs.lines().stream().filter(l -> l.startsWith("io.ackrotator.audit")
                    && l.contains("\"endpoint\":\"POST /offboard\"") && l.contains(uid)).count(), "each decision");
        }
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, assertThrows(ApiServerException.class,
                () -> probe.probe(onQuiet)).kind(), "the leaver's kubeconfig is refused where it was cleaned");
        use(onUsed); // and still works where ACK declined

        JsonPath forced = offboard(Map.of("uid", uid, "clusterIds", List.of(used), "dryRun", false, "force", true));
        assertEquals("cleaned", outcome(forced, used));
        assertEquals("true", ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).get(
                ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).size() - 1).query().get("Force"));
        assertEquals(ApiServerException.Kind.UNAUTHORIZED, assertThrows(ApiServerException.class,
                () -> probe.probe(onUsed)).kind());
    }

    @Test
    void theFunctionsOwnIdentityAndTheRootAccountAreNeverOffboarded() {
        String id = cluster();
        ack.addAccount(new FakeAck.Account(ROOT, "root", "RootAccount", "Active"));
        ack.cluster(id).seedLongTerm(ROOT, Duration.ofDays(300), false);
        long cleans = ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).size();

        JsonPath self = offboard(Map.of("uid", ack.defaultIdentity().uid(), "clusterIds", List.of(id), "dryRun",
                false, "force", true));
        assertEquals("refused", outcome(self, id));
        JsonPath root = offboard(Map.of("uid", ROOT, "clusterIds", List.of(id), "dryRun", false, "force", true));
        assertEquals("refused", outcome(root, id));
        assertEquals(cleans, ack.calls(FakeAck.Operation.CLEAN_PERMISSIONS).size());
    }

    @Test
    void badInputNamesTheField() {
        for (Map<String, Object> body : List.of(Map.<String, Object>of("uid", "tom", "all", true),
                Map.<String, Object>of("all", true))) {
            given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                    .body(body).post("/offboard").then().statusCode(400).body("field", equalTo("uid"));
        }
        for (Map<String, Object> body : List.of(Map.<String, Object>of("uid", "2001"),
                Map.<String, Object>of("uid", "2001", "all", true, "clusterIds", List.of(cluster())))) {
            given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                    .body(body).post("/offboard").then().statusCode(400).body("field", equalTo("clusterIds"));
        }
        given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("uid", "2001", "all", true)).post("/offboard").then().statusCode(403);
    }
}
