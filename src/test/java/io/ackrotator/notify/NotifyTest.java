package io.ackrotator.notify;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeEventBridge;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.NotificationReceivers;
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
 * People are told once per change, not once per sweep: a DingTalk robot (signature and rate checked) and a signed
 * webhook get one message for a failure that lasts three sweeps and one "recovered" when it clears; several
 * clusters changing in one sweep make one summary; a channel that is down is a warning, never a failed sweep.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class NotifyTest {

    static final AtomicInteger IDS = new AtomicInteger(0x0a1e);
    final FakeAck ack = StandIns.ack();
    final NotificationReceivers receivers = StandIns.notifications();
    final FakeEventBridge eventBridge = StandIns.eventBridge();

    @org.junit.jupiter.api.BeforeEach
    void aFreshRobotMinute() {
        receivers.startNewMinute();
    }

    String dueCluster() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "notify");
        Kubeconfig stored = Kubeconfig.parse(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(60), false)); // due (renew-before 170 days), not yet within warn-before (30)
        new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator").create(ClusterId.of(id),
                new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC,
                        Optional.of(ack.cluster(id).member().kubeSystemUid()), ack.clock().instant()));
        return id;
    }

    static JsonPath rotate(String... ids) {
        HostFront.client().leases().inNamespace("kubeconfig-rotator").delete();
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterIds", List.of(ids))).post("/rotate").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void aLastingFailureIsToldOnceAndItsRecoveryOnce() {
        String id = dueCluster();
        ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(id),
                new FakeAck.Fault.Status(403, "Forbidden.RAM"), 100);
        for (int sweep = 0; sweep < 3; sweep++) {
            assertEquals("failed", rotate(id).getString("results[0].action"));
        }
        assertEquals(1, receivers.about("dingtalk", id).size(), "one DingTalk message over three failed sweeps");
        assertEquals(1, receivers.about("webhook", id).size(), "one webhook message");
        assertTrue(receivers.about("dingtalk", id).get(0).text().contains("rotation failed"));
        assertEquals("failed", receivers.about("webhook", id).get(0).body().at("/changes/0/to").asText());

        ack.clearFaults();
        assertEquals("rotated", rotate(id).getString("results[0].action"));
        assertEquals(2, receivers.about("dingtalk", id).size());
        assertTrue(receivers.about("dingtalk", id).get(1).text().contains("recovered"));
        assertEquals("ok", receivers.about("webhook", id).get(1).body().at("/changes/0/to").asText());
        assertEquals("failed", receivers.about("webhook", id).get(1).body().at("/changes/0/from").asText());
        rotate(id);
        assertEquals(2, receivers.about("webhook", id).size(), "and nothing more while it stays healthy");
        assertEquals(List.of(), receivers.refusals(), "every message was signed as the receivers check");

        List<JsonNode> events = eventBridge.about(id);
        assertEquals(List.of("ack-kubeconfig-rotator:Kubeconfig:Failed", "ack-kubeconfig-rotator:Kubeconfig:Ok"),
                events.stream().map(e -> e.path("type").asText()).toList(), "one CloudEvent per change");
        assertEquals("failed", events.get(1).at("/data/from").asText());
        assertEquals(FakeEventBridge.BUS, events.get(0).path("aliyuneventbusname").asText());
        assertEquals(List.of(), eventBridge.refusals(), "every PutEvents was signed as EventBridge checks");
    }

    @Test
    void severalChangesInOneSweepAreOneSummaryAndADownChannelIsOnlyAWarning() {
        String a = dueCluster();
        String b = dueCluster();
        for (String id : List.of(a, b)) {
            ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(id),
                    new FakeAck.Fault.Status(403, "Forbidden.RAM"), 100);
        }
        receivers.webhookDown(true);
        JsonPath report;
        try {
            report = rotate(a, b);
        } finally {
            receivers.webhookDown(false);
            ack.clearFaults();
        }
        assertEquals(2, report.getInt("summary.failed"));
        assertTrue(report.getList("warnings").stream().anyMatch(w -> w.toString().startsWith(
                "notification via webhook failed after 2 attempts")), report.getList("warnings").toString());
        List<NotificationReceivers.Received> told = receivers.about("dingtalk", a);
        assertEquals(1, told.size());
        assertTrue(told.get(0).text().contains(b) && told.get(0).text().contains("2 clusters changed"),
                told.get(0).text());
    }

    @Test
    void eventBridgeGetsAnEventPerClusterAndARefusedEntryIsPutAgainUnderTheSameId() {
        String a = dueCluster();
        String b = dueCluster();
        for (String id : List.of(a, b)) {
            ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(id),
                    new FakeAck.Fault.Status(403, "Forbidden.RAM"), 100);
        }
        eventBridge.failNextRequest();
        JsonPath report;
        try {
            report = rotate(a, b);
        } finally {
            ack.clearFaults();
        }
        assertEquals(List.of(), report.getList("warnings"), "the retry delivered it");
        assertEquals(1, eventBridge.about(a).size(), "one event each, though the summary is one message");
        assertEquals(1, eventBridge.about(b).size());
        assertEquals(eventBridge.about(a).get(0).path("id").asText().replaceAll("-\\d+$", ""),
                eventBridge.about(b).get(0).path("id").asText().replaceAll("-\\d+$", ""), "one message, one ID stem");
        assertEquals(a, eventBridge.about(a).get(0).at("/data/clusterId").asText());
    }

    @Test
    void aKubeconfigAboutToExpireThatCantBeRenewedIsToldAsSuch() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "notify");
        Kubeconfig stored = Kubeconfig.parse(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(12), false));
        new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator").create(ClusterId.of(id),
                new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC,
                        Optional.of(ack.cluster(id).member().kubeSystemUid()), ack.clock().instant()));
        ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(id),
                new FakeAck.Fault.Status(403, "Forbidden.RAM"), 100);
        try {
            rotate(id);
        } finally {
            ack.clearFaults();
        }
        assertTrue(receivers.about("dingtalk", id).get(0).text().contains("expires soon and was not renewed"));
        assertEquals("expiring", receivers.about("webhook", id).get(0).body().at("/changes/0/to").asText());
    }

    @Test
    void anOrphanFoundByTheAuditIsToldOnceAndAnOffboardingEachTime() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "notify");
        String leaver = "20999" + String.format("%013d", IDS.get());
        ack.addAccount(new FakeAck.Account(leaver, "leaver", "RamUser", "Deleted"));
        ack.cluster(id).seedLongTerm(leaver, Duration.ofDays(300), false);
        Map<String, Object> body = Map.of("clusterIds", List.of(id));
        for (int audit = 0; audit < 2; audit++) {
            given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                    .body(body).post("/audit").then().statusCode(200);
        }
        List<NotificationReceivers.Received> told = receivers.about("webhook", leaver);
        assertEquals(1, told.size(), "one message over two audits");
        assertEquals("orphaned", told.get(0).body().at("/changes/0/to").asText());

        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("uid", leaver, "clusterIds", List.of(id), "dryRun", false, "force", true))
                .post("/offboard").then().statusCode(200);
        assertEquals("offboarded", receivers.about("webhook", leaver).get(1).body().at("/changes/0/to").asText());
        assertEquals(2, receivers.about("dingtalk", leaver).size());
    }
}
