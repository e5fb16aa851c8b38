package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.Chromium;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status page as an operator sees it: served as HTML, rendered by a real headless browser. */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class StatusPageTest {

    static final String NAMESPACE = "kubeconfig-rotator";

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();

    final FakeAck ack = StandIns.ack();
    final Map<String, Kubeconfig> fleet = new LinkedHashMap<>();

    @BeforeEach
    void fleet() {
        client.secrets().inNamespace(NAMESPACE).delete();
        SecretKubeconfigStore store = new SecretKubeconfigStore(client, NAMESPACE);
        int i = 0;
        for (Duration left : new Duration[] {Duration.ofDays(700), Duration.ofDays(40), Duration.ofDays(-3)}) {
            String id = String.format("c%032x", 0xa000 + (++i) + (int) (System.nanoTime() % 1000) * 8);
            FakeAck.FakeCluster cluster = ack.cluster(id) == null ? ack.addCluster(id, "page-" + i) : ack.cluster(id);
            Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), left, false));
            store.create(ClusterId.of(id), new StoreUpdate(kubeconfig, Optional.empty(), AckAccess.PUBLIC,
                    Optional.empty(), ack.clock().instant()));
            fleet.put(id, kubeconfig);
        }
    }

    @Test
    void htmlIsServedOnlyWithTheAdminToken() {
        given().get("/status?format=html").then().statusCode(401);
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).header("Accept", "text/html")
                .get("/status").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("ack-kubeconfig-rotator status"));
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).get("/status").then().statusCode(200)
                .contentType(startsWith("application/json"));
    }

    @Test
    void aBrowserRendersEveryClusterWithItsExpiry() throws Exception {
        String html = given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .post("/status?format=html").then().statusCode(200).extract().asString();
        Path page = Files.createTempFile("status", ".html");
        Files.writeString(page, html);

        String dom = Chromium.dumpDom(page);
        for (Map.Entry<String, Kubeconfig> cluster : fleet.entrySet()) {
            assertTrue(dom.contains("data-cluster=\"" + cluster.getKey() + "\" data-bar=\"after\""),
                    "a timeline bar for " + cluster.getKey());
            assertTrue(dom.contains(cluster.getValue().notAfter().toString().substring(0, 10)),
                    "the expiry date of " + cluster.getKey());
        }
        assertTrue(dom.contains(">due<") && dom.contains(">expired<") && dom.contains(">ok<"), "states in the table");

        BufferedImage screenshot = ImageIO.read(Chromium.screenshot(page, 1200, 700).toFile());
        assertTrue(pixels(screenshot, 0x2e9e5b) > 200, "green bar (ok) drawn");
        assertTrue(pixels(screenshot, 0xe0a800) > 200, "amber bar (due) drawn");
        assertTrue(pixels(screenshot, 0xd64545) > 20, "red bar (expired) drawn");
    }

    /** Each cluster's row shows the last audit's flags and what people were last told, escaped. */
    @Test
    void theTableShowsAuditFlagsAndWhatPeopleWereTold() throws Exception {
        String failing = fleet.keySet().stream().skip(1).findFirst().orElseThrow(); // the one due in 40 days
        String leaver = "20888" + String.format("%013d", System.nanoTime() % 1_000_000_000L);
        ack.addAccount(new FakeAck.Account(leaver, "leaver", "RamUser", "Deleted"));
        ack.cluster(failing).seedLongTerm(leaver, Duration.ofDays(300), false);
        ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(failing),
                new FakeAck.Fault.Status(403, "Forbidden.<b>RAM</b>"), 100);
        try {
            client.leases().inNamespace(NAMESPACE).delete();
            given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("clusterIds", List.of(failing))).post("/rotate").then().statusCode(200)
                    .body("results[0].action", org.hamcrest.Matchers.equalTo("failed"));
        } finally {
            ack.clearFaults();
        }
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterIds", List.of(failing))).post("/audit").then().statusCode(200);

        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).get("/status").then().statusCode(200)
                .body("notified.enabled", org.hamcrest.Matchers.is(true))
                .body("notified.clusters." + failing + ".condition", org.hamcrest.Matchers.equalTo("failed"))
                .body("notified.clusters." + failing + ".orphanedAccounts", org.hamcrest.Matchers.contains(leaver));
        String html = given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .get("/status?format=html").then().statusCode(200).extract().asString();
        Path page = Files.createTempFile("status", ".html");
        Files.writeString(page, html);
        String dom = Chromium.dumpDom(page);

        String row = dom.substring(dom.indexOf("<tr data-cluster=\"" + failing + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.contains("told failed; orphaned " + leaver), row);
        assertTrue(row.contains("1 orphaned"), "the audit's flag for the leaver: " + row);
        assertTrue(row.contains("Forbidden.&lt;b&gt;RAM&lt;/b&gt;"), "the error is text, not markup: " + row);
        assertTrue(!dom.contains("<b>RAM</b>"), "no markup from an error reaches the page");
        String healthy = fleet.keySet().iterator().next();
        String other = dom.substring(dom.indexOf("<tr data-cluster=\"" + healthy + "\""));
        assertTrue(other.substring(0, other.indexOf("</tr>")).contains("nothing told"), other);
    }

    static long pixels(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }
}
