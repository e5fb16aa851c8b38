package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.rotation.SweepLock;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeAck.Operation;
import io.ackrotator.standin.KubeSphereHost;
import io.ackrotator.standin.LogCapture;
import io.ackrotator.standin.Secrets;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rotate and status functions end to end: HTTP in, ACK emulator and Kubernetes store behind. */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class RotateFunctionTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final AtomicInteger IDS = new AtomicInteger(0x100);

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();

    final FakeAck ack = StandIns.ack();

    /** Every Event the function wrote would have been accepted by a real API server. */
    @org.junit.jupiter.api.AfterEach
    void eventsARealApiServerAccepts() {
        io.ackrotator.standin.EventValidation.assertAllAccepted(client);
    }

    @BeforeEach
    void cleanSlate() {
        ack.clearFaults();
        ack.clearCalls();
        client.secrets().inNamespace(NAMESPACE).delete();
        client.leases().inNamespace(NAMESPACE).delete();
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    /** A cluster in the emulator whose long-term kubeconfig, with this much left, is in the store. */
    String storedCluster(Duration remaining) {
        return storedCluster(newCluster(), remaining, text -> text);
    }

    /** The same, for a given cluster, with the stored text edited as a user might have. */
    String storedCluster(String id, Duration remaining, java.util.function.UnaryOperator<String> edit) {
        String kubeconfig = edit.apply(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(), remaining, false));
        Kubeconfig parsed = Kubeconfig.parse(kubeconfig);
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(SecretKubeconfigStore.secretName(ClusterId.of(id))).withNamespace(NAMESPACE)
                .addToLabels(SecretKubeconfigStore.MANAGED_BY_LABEL, SecretKubeconfigStore.MANAGED_BY)
                .addToLabels(SecretKubeconfigStore.CLUSTER_ID_LABEL, id)
                .addToAnnotations(SecretKubeconfigStore.NOT_AFTER, parsed.notAfter().toString())
                .endMetadata()
                .addToData(SecretKubeconfigStore.DATA_KEY, Base64.getEncoder().encodeToString(
                        kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        return id;
    }

    String newCluster() {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "fleet-" + id.substring(28));
        return id;
    }

    String storedSerial(String id) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(id))).get();
        return Kubeconfig.parse(new String(Base64.getDecoder().decode(secret.getData().get("kubeconfig")),
                StandardCharsets.UTF_8)).identity().serial();
    }

    /**
     * A quiet sweep passes over a healthy cluster from what the listing already said (no read of its Secret, no
     * parse), and never trusts annotations that no longer describe the data: one edited by hand is read in full.
     */
    @Test
    void aQuietClusterIsNotReadAgainButHandEditedDataIs() {
        SecretKubeconfigStore store = new SecretKubeconfigStore(client, NAMESPACE);
        String quiet = newCluster();
        String edited = newCluster();
        for (String id : List.of(quiet, edited)) {
            store.create(ClusterId.of(id), new io.ackrotator.store.StoreUpdate(Kubeconfig.parse(ack.cluster(id)
                    .seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(700), false)), Optional.empty(),
                    io.ackrotator.ack.AckAccess.PUBLIC, Optional.of(ack.cluster(id).member().kubeSystemUid()),
                    ack.clock().instant()));
        }
        String due = ack.cluster(edited).seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(20), false);
        client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ClusterId.of(edited)))
                .edit(secret -> new SecretBuilder(secret).addToData(SecretKubeconfigStore.DATA_KEY, Base64.getEncoder()
                        .encodeToString(due.getBytes(StandardCharsets.UTF_8))).build());
        io.ackrotator.standin.HostFront.front().reset();

        io.restassured.path.json.JsonPath report = admin().body("{}").post("/rotate").then().statusCode(200).extract()
                .jsonPath();

        assertEquals("ok", report.getString("results.find { it.clusterId == '" + quiet + "' }.action"));
        assertTrue(report.getString("results.find { it.clusterId == '" + quiet + "' }.message")
                .startsWith("certificate expires "), report.prettify());
        assertEquals("rotated", report.getString("results.find { it.clusterId == '" + edited + "' }.action"),
                "the stale annotations said 700 days; the data says 20");
        List<String> requests = io.ackrotator.standin.HostFront.front().requests();
        assertTrue(requests.stream().noneMatch(r -> r.equals("GET /api/v1/namespaces/" + NAMESPACE + "/secrets/"
                + SecretKubeconfigStore.secretName(ClusterId.of(quiet)))), "the quiet one is not read: " + requests);
        assertTrue(requests.stream().anyMatch(r -> r.equals("GET /api/v1/namespaces/" + NAMESPACE + "/secrets/"
                + SecretKubeconfigStore.secretName(ClusterId.of(edited)))));
    }

    @Test
    void aSweepTreatsEachClusterAsItsCertificateDeserves() {
        String fresh = storedCluster(Duration.ofDays(400));
        String due = storedCluster(Duration.ofDays(30));
        String expired = storedCluster(Duration.ofDays(-5));
        List<String> secrets = new ArrayList<>(List.of(FakeAck.DEFAULT_SECRET));
        client.secrets().inNamespace(NAMESPACE).list().getItems().forEach(s -> secrets.addAll(Secrets.ofKubeconfig(
                new String(Base64.getDecoder().decode(s.getData().get("kubeconfig")), StandardCharsets.UTF_8))));

        JsonPath report;
        try (LogCapture logs = LogCapture.start()) {
            report = admin().body("{}").post("/rotate").then().statusCode(200)
                    .body("status", equalTo("completed"))
                    .body("summary.ok", equalTo(1))
                    .body("summary.rotated", equalTo(2))
                    .body("summary.failed", equalTo(0))
                    .extract().jsonPath();
            for (String id : List.of(due, expired)) {
                secrets.addAll(Secrets.ofKubeconfig(new String(Base64.getDecoder().decode(client.secrets()
                        .inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ClusterId.of(id))).get()
                        .getData().get("kubeconfig")), StandardCharsets.UTF_8)));
            }
            Secrets.assertAbsent("the logs", logs.text(), secrets);
            assertTrue(logs.text().contains("rotation clusterId=" + due + " action=rotated"), "one log line per cluster");
        }
        Secrets.assertAbsent("the report", report.prettify(), secrets);

        assertEquals("ok", action(report, fresh));
        assertEquals("rotated", action(report, due));
        assertEquals("rotated", action(report, expired));
        assertEquals("expired", report.getString("results.find { it.clusterId == '" + expired + "' }.state"));
        assertEquals(ack.cluster(due).currentLongTerm(ack.defaultIdentity().uid()).orElseThrow().getSerialNumber()
                .toString(16), storedSerial(due));
        assertTrue(report.getString("results.find { it.clusterId == '" + due + "' }.subject").startsWith("CN="));

        var lease = client.leases().inNamespace(NAMESPACE).withName(SweepLock.LEASE_NAME).get();
        assertNull(lease.getSpec().getHolderIdentity(), "the Lease is released after the sweep");
    }

    static String insecure(String kubeconfig) {
        return kubeconfig.replace("  name: kubernetes\ncontexts", "    insecure-skip-tls-verify: true\n  name: kubernetes\n"
                + "contexts");
    }

    @Test
    void insecureStoredKubeconfigsAreRefusedAndReportedUnlessAllowedForTheirCluster() {
        String refused = storedCluster(newCluster(), Duration.ofDays(30), RotateFunctionTest::insecure);
        if (!ack.hasCluster(StandIns.INSECURE_ALLOWED_CLUSTER)) {
            ack.addCluster(StandIns.INSECURE_ALLOWED_CLUSTER, "insecure-allowed");
        }
        client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(StandIns.INSECURE_ALLOWED_CLUSTER))).delete();
        String allowed = storedCluster(StandIns.INSECURE_ALLOWED_CLUSTER, Duration.ofDays(30),
                RotateFunctionTest::insecure);
        String refusedSerial = storedSerial(refused);

        JsonPath report = admin().body(Map.of("clusterIds", List.of(refused, allowed))).post("/rotate").then()
                .statusCode(200).extract().jsonPath();

        assertEquals("failed", action(report, refused));
        assertTrue(report.getString("results.find { it.clusterId == '" + refused + "' }.message")
                .contains("clusters[0].cluster.insecure-skip-tls-verify"), report.prettify());
        assertEquals(refusedSerial, storedSerial(refused), "the refused cluster's entry is left as it was");
        assertEquals(0, ack.calls(Operation.DESCRIBE_KUBECONFIG).stream().filter(c -> c.clusterId().equals(refused))
                .count(), "nothing is fetched for a refused cluster");
        assertEquals("rotated", action(report, allowed), "allowed by rotator.insecure-tls-allowed: rotated, and the "
                + "new kubeconfig from ACK verifies TLS again");
    }

    @Test
    void namedClustersAreAdoptedWhenTheStoreLacksThem() {
        String brandNew = newCluster();
        admin().body(Map.of("clusterIds", List.of(brandNew))).post("/rotate").then().statusCode(200)
                .body("results[0].clusterId", equalTo(brandNew))
                .body("results[0].action", equalTo("adopted"))
                .body("summary.adopted", equalTo(1));
        assertEquals(ack.cluster(brandNew).currentLongTerm(ack.defaultIdentity().uid()).orElseThrow()
                .getSerialNumber().toString(16), storedSerial(brandNew));
    }

    @Test
    void dryRunDecidesAndReportsButFetchesAndWritesNothing() {
        String due = storedCluster(Duration.ofDays(30));
        String brandNew = newCluster();
        String version = client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(due))).get().getMetadata().getResourceVersion();

        admin().body(Map.of("clusterIds", List.of(due, brandNew), "dryRun", true)).post("/rotate").then()
                .statusCode(200)
                .body("dryRun", equalTo(true))
                .body("summary.dry-run", equalTo(2));

        assertTrue(ack.calls().isEmpty(), "no ACK call");
        assertEquals(version, client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(due))).get().getMetadata().getResourceVersion());
        assertNull(client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(brandNew))).get());
        assertNull(client.leases().inNamespace(NAMESPACE).withName(SweepLock.LEASE_NAME).get(), "not even a Lease");
    }

    @Test
    void cloudFaultsFailOnlyTheirClusterAndTheNextSweepConverges() {
        String broken = storedCluster(Duration.ofDays(30));
        String throttled = storedCluster(Duration.ofDays(30));
        String dropped = storedCluster(Duration.ofDays(30));
        String healthy = storedCluster(Duration.ofDays(30));
        String brokenSerial = storedSerial(broken);
        ack.failing(Operation.DESCRIBE_KUBECONFIG, java.util.Optional.of(broken), FakeAck.Fault.serverError(), 100);
        ack.failing(Operation.DESCRIBE_KUBECONFIG, java.util.Optional.of(throttled), FakeAck.Fault.throttling(), 2);
        ack.failing(Operation.DESCRIBE_KUBECONFIG, java.util.Optional.of(dropped), new FakeAck.Fault.Reset(), 100);

        JsonPath first = admin().body("{}").post("/rotate").then().statusCode(200).extract().jsonPath();
        assertEquals("failed", action(first, broken));
        assertEquals("failed", action(first, dropped));
        assertEquals("rotated", action(first, throttled));
        assertEquals("rotated", action(first, healthy));
        assertTrue(message(first, broken).contains("ServiceUnavailable"), message(first, broken));
        assertEquals(brokenSerial, storedSerial(broken), "the failed cluster keeps its working kubeconfig");

        ack.clearFaults();
        JsonPath second = admin().body("{}").post("/rotate").then().statusCode(200).extract().jsonPath();
        assertEquals("rotated", action(second, broken));
        assertEquals("rotated", action(second, dropped));
        assertEquals("ok", action(second, throttled));
        assertEquals("ok", action(second, healthy));
    }

    @ParameterizedTest(name = "{0} concurrent sweeps")
    @ValueSource(ints = {2, 5})
    void concurrentSweepsRotateEachClusterExactlyOnceAndLoseNoUpdate(int sweeps) throws Exception {
        List<String> due = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            due.add(storedCluster(Duration.ofDays(10)));
        }
        KubeSphereHost host = new KubeSphereHost(client).install("concurrency-jwt");
        for (String id : due) {
            host.addDirectMember("concurrent-" + id.substring(28), id, stored(id), ack.cluster(id).member()
                    .kubeSystemUid());
        }
        ack.clearCalls();
        ack.withLatency(Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(150));
        ExecutorService callers = Executors.newFixedThreadPool(sweeps + 1);
        try {
            List<Future<JsonPath>> reports = new ArrayList<>();
            for (int i = 0; i < sweeps; i++) {
                boolean viaInvoke = i % 2 == 1;
                reports.add(callers.submit(() -> viaInvoke ? invokeReport(given().contentType(
                        "application/octet-stream").body("{\"action\":\"sweep\"}".getBytes(StandardCharsets.UTF_8))
                        .post("/invoke")) : admin().body("{}").post("/rotate").then().statusCode(200).extract()
                                .jsonPath()));
            }
            // Another writer (a person, a GitOps tool) annotates the same Secrets while the sweeps run.
            Future<?> writer = callers.submit(() -> due.forEach(id -> client.secrets().inNamespace(NAMESPACE)
                    .withName(SecretKubeconfigStore.secretName(ClusterId.of(id)))
                    .edit(secret -> new SecretBuilder(secret).editMetadata()
                            .addToAnnotations("example.com/owner", "team-" + id.substring(30)).endMetadata().build())));
            writer.get();
            int rotated = 0;
            int inProgress = 0;
            for (Future<JsonPath> report : reports) {
                rotated += report.get().getInt("summary.rotated");
                inProgress += report.get().getString("status").equals("sweep-in-progress") ? 1 : 0;
            }
            assertEquals(5, rotated, "each due cluster rotated exactly once across all sweeps");
            assertTrue(inProgress >= 1, "overlapping callers were told a sweep is in progress");
            for (String id : due) {
                assertEquals(1, ack.calls(Operation.DESCRIBE_KUBECONFIG).stream()
                        .filter(c -> c.clusterId().equals(id)).count(), id);
                Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                        ClusterId.of(id))).get();
                assertEquals("team-" + id.substring(30), secret.getMetadata().getAnnotations().get(
                        "example.com/owner"), "the other writer's update survived");
                assertEquals(ack.cluster(id).currentLongTerm(ack.defaultIdentity().uid()).orElseThrow()
                        .getSerialNumber().toString(16), storedSerial(id), "and so did the rotation");
                assertEquals(stored(id), host.kubeconfigOf("concurrent-" + id.substring(28)),
                        "the KubeSphere Cluster holds the rotated kubeconfig");
            }
        } finally {
            callers.shutdownNow();
            due.forEach(id -> client.genericKubernetesResources(KubeSphereHost.CLUSTERS)
                    .withName("concurrent-" + id.substring(28)).delete());
        }
    }

    /** A sweep through /invoke: done (200), or skipped for another sweep's Lease (503 with FC's failure signal). */
    static JsonPath invokeReport(io.restassured.response.Response response) {
        if (response.statusCode() == 200) {
            return response.jsonPath().setRootPath("result");
        }
        assertEquals(503, response.statusCode(), response.asString());
        assertEquals("404", response.header("x-fc-status"));
        return response.jsonPath().setRootPath("answer.result");
    }

    String stored(String id) {
        return new String(Base64.getDecoder().decode(client.secrets().inNamespace(NAMESPACE).withName(
                SecretKubeconfigStore.secretName(ClusterId.of(id))).get().getData().get("kubeconfig")),
                StandardCharsets.UTF_8);
    }

    @Test
    void statusShowsTheInventoryWithoutKubeconfigBodies() {
        String fresh = storedCluster(Duration.ofDays(400));
        String due = storedCluster(Duration.ofDays(30));
        String body = admin().post("/status").then().statusCode(200)
                .body("clusters.clusterId", hasItem(fresh))
                .body("summary.ok", equalTo(1))
                .body("summary.due", equalTo(1))
                .body("renewBefore", equalTo("PT4080H"))
                .extract().asString();
        JsonPath status = JsonPath.from(body);
        assertEquals(400, status.getInt("clusters.find { it.clusterId == '" + fresh + "' }.daysLeft"));
        assertEquals("due", status.getString("clusters.find { it.clusterId == '" + due + "' }.state"));
        assertTrue(!body.contains("client-key-data") && !body.contains("BEGIN"), "no kubeconfig content");
    }

    @Test
    void adminFunctionsRefuseMissingOrWrongTokens() {
        given().contentType(ContentType.JSON).body("{}").post("/rotate").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("missing bearer token: send 'Authorization: Bearer <token>'"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body("{}").post("/status")
                .then().statusCode(401).body("error", equalTo("bearer token not accepted"))
                .body(not(org.hamcrest.Matchers.containsString("wrong")));
        assertTrue(ack.calls().isEmpty());
    }

    @Test
    void badInputIsA400ThatNamesTheField() {
        admin().body("{\"dryrun\": true}").post("/rotate").then().statusCode(400)
                .body("field", equalTo("dryrun"))
                .body("error", equalTo("unknown field 'dryrun'; expected clusterIds, dryRun, force, reidentify"));
        admin().body("{\"dryRun\": \"yes\"}").post("/rotate").then().statusCode(400).body("field", equalTo("dryRun"));
        admin().body("{\"reidentify\": true}").post("/rotate").then().statusCode(400)
                .body("field", equalTo("reidentify"))
                .body("error", equalTo("reidentify applies only to named clusters: give clusterIds"));
        admin().body("{\"clusterIds\": [\"../etc/passwd\"]}").post("/rotate").then().statusCode(400)
                .body("field", equalTo("clusterIds[0]"));
        admin().body("{\"clusterIds\": \"c0123456789\"}").post("/rotate").then().statusCode(400)
                .body("field", equalTo("clusterIds"));
        admin().body("{not json").post("/rotate").then().statusCode(400)
                .body("error", equalTo("body is not valid JSON")).body("field", equalTo("body"));
        admin().body("[1,2]").post("/rotate").then().statusCode(400).body("field", equalTo("body"));
        assertTrue(ack.calls().isEmpty());
    }

    static String action(JsonPath report, String clusterId) {
        return report.getString("results.find { it.clusterId == '" + clusterId + "' }.action");
    }

    static String message(JsonPath report, String clusterId) {
        return report.getString("results.find { it.clusterId == '" + clusterId + "' }.message");
    }
}
