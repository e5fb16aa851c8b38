package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.Leaks;
import io.ackrotator.standin.StandIns;
import io.ackrotator.standin.TestPki;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, as a table, over every way in: the HTTP functions and /invoke. Each row: the status, the field the
 * message names, no stack trace and no secret in the answer, the function still answering /initialize, and the store
 * exactly as it was. Then kubeconfigs found broken in the store: named per cluster, never overwritten with anything
 * that doesn't work.
 *
 * <p>Unknown fields are refused (400 naming the field), not ignored: a misspelt {@code dryRun} must not start a real
 * sweep.
 */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class BadInputTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final String CLUSTER = "c0bad1nput0000000000000000000001";
    static final AtomicInteger IDS = new AtomicInteger(0xbad000);
    static final String ADMIN = "Bearer " + StandIns.ADMIN_TOKEN;
    static final String CALLER = "Bearer " + StandIns.CI_TOKEN;
    static final io.ackrotator.standin.TestPki.Issued OTHER_CA = io.ackrotator.standin.TestPki.certificateAuthority(
            "other-ca", java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plus(Duration.ofDays(1)));

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();

    final FakeAck ack = StandIns.ack();

    /** One way in, one body, what must come back. */
    record Row(String path, String token, String contentType, String body, int status, String field) {
        @Override
        public String toString() {
            return path + " " + (body.length() > 60 ? body.substring(0, 60) + "…(" + body.length() + " chars)" : body);
        }
    }

    static Row issue(String body, String field) {
        return new Row("/issue", CALLER, "application/json", body, 400, field);
    }

    static Row rotate(String body, String field) {
        return new Row("/rotate", ADMIN, "application/json", body, 400, field);
    }

    static Row invoke(String body, String field) {
        return new Row("/invoke", null, "application/octet-stream", body, 400, field);
    }

    static String issueFor(String clusterId) {
        return "{\"clusterId\":\"" + clusterId + "\"}";
    }

    static Stream<Arguments> rows() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        String tenKb = "c" + "a".repeat(10_240);
        return Stream.of(
                // not JSON, wrong shapes
                issue("clusterId=" + CLUSTER, "body"),
                issue("", "clusterId"),
                issue("{\"clusterId\":", "body"),
                issue("[\"" + CLUSTER + "\"]", "body"),
                issue("\"" + CLUSTER + "\"", "body"),
                issue("null", "clusterId"),
                issue(deep, "body"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"clusterId\":\"" + CLUSTER + "\"}", "body"),
                // cluster IDs
                issue("{}", "clusterId"),
                issue(issueFor(""), "clusterId"),
                issue(issueFor("../../etc/passwd"), "clusterId"),
                issue(issueFor("c1234567%2F..%2Fx"), "clusterId"),
                issue(issueFor("c1234567/../x"), "clusterId"),
                issue(issueFor("с0bad1nput0000000000000000000001"), "clusterId"), // Cyrillic "с"
                issue(issueFor("c0bad1nput０００００００００００００００００００1"), "clusterId"), // full-width digits
                issue(issueFor(CLUSTER + "\u200b"), "clusterId"), // zero-width space
                issue(issueFor(CLUSTER.toUpperCase()), "clusterId"),
                issue(issueFor(tenKb), "clusterId"),
                issue(issueFor(" " + CLUSTER), "clusterId"),
                issue("{\"clusterId\":12345678}", "clusterId"),
                issue("{\"clusterId\":[\"" + CLUSTER + "\"]}", "clusterId"),
                // validity
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":-30}", "validityMinutes"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":0}", "validityMinutes"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":1e9}", "validityMinutes"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":99999999999999999999999}",
                        "validityMinutes"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":60.5}", "validityMinutes"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":\"60\"}", "validityMinutes"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":true}", "validityMinutes"),
                new Row("/issue", CALLER, "application/json", "{\"clusterId\":\"" + CLUSTER
                        + "\",\"validityMinutes\":10}", 400, "validityMinutes"),
                new Row("/issue", CALLER, "application/json", "{\"clusterId\":\"" + CLUSTER
                        + "\",\"validityMinutes\":4321}", 400, "validityMinutes"),
                // access, unknown fields
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"access\":\"vpn\"}", "access"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"access\":\"PUBLIC\"}", "access"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"access\":1}", "access"),
                issue("{\"clusterId\":\"" + CLUSTER + "\",\"ttl\":60}", "ttl"),
                // admin functions
                rotate("{\"clusterIds\":\"" + CLUSTER + "\"}", "clusterIds"),
                rotate("{\"clusterIds\":[\"../" + CLUSTER + "\"]}", "clusterIds[0]"),
                rotate("{\"clusterIds\":[" + CLUSTER.length() + "]}", "clusterIds[0]"),
                rotate("{\"dryRun\":\"yes\"}", "dryRun"),
                rotate("{\"dry_run\":true}", "dry_run"),
                rotate("{\"force\":1}", "force"),
                new Row("/resync", ADMIN, "application/json", "{\"clusters\":[\"a/b\"]}", 400, "clusters[0]"),
                new Row("/resync", ADMIN, "application/json", "{\"clusters\":{}}", 400, "clusters"),
                // /invoke: timer triggers, CloudEvents, actions
                invoke("not json at all", "body"),
                invoke("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":{\"a\":1}}",
                        "action"),
                invoke("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":\"{oops\"}",
                        "payload"),
                invoke("{\"triggerTime\":\"2026-11-24T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":\"explode\"}",
                        "action"),
                invoke("{\"specversion\":\"1.0\",\"type\":\"cs:ActionTrail:ApiCall\",\"source\":\"acs.cs\","
                        + "\"id\":\"1\",\"data\":{\"eventName\":\"CreateCluster\"}}", "data.responseElements.cluster_id"),
                invoke("{\"specversion\":\"1.0\",\"type\":\"cs:ActionTrail:ApiCall\",\"source\":\"acs.cs\","
                        + "\"id\":\"1\",\"data\":\"CreateCluster\"}", "data"),
                invoke("{\"specversion\":\"1.0\",\"source\":\"acs.cs\"}", "id"),
                new Row("/invoke", null, "application/octet-stream", "{\"action\":\"issue\",\"clusterId\":\"" + CLUSTER
                        + "\"}", 403, null),
                invoke("{\"action\":\"rotate\",\"clusterIds\":[\"" + CLUSTER + "/..\"]}", "clusterIds[0]"),
                invoke("{\"action\":42}", "action"),
                invoke("{\"action\":\"resync\",\"clusters\":[\"../etc\"]}", "clusters[0]"),
                invoke("{\"action\":\"resync\",\"clusters\":[\"ok\",\"Not_A_Name\"]}", "clusters[1]"),
                invoke("{\"hello\":\"world\"}", "body"),
                // size
                new Row("/issue", CALLER, "application/json", "{\"clusterId\":\"" + "c".repeat(1_100_000) + "\"}", 413,
                        "body"),
                new Row("/invoke", null, "application/octet-stream", "{\"action\":\"" + "x".repeat(1_100_000) + "\"}",
                        413, "body"))
                .map(Arguments::of);
    }

    @BeforeEach
    void storeHoldsOneCluster() {
        if (!ack.hasCluster(CLUSTER)) {
            ack.addCluster(CLUSTER, "bad-input");
        }
        ack.clearFaults();
        client.leases().inNamespace(NAMESPACE).delete();
        if (client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(ClusterId.of(CLUSTER)))
                .get() == null) {
            store(CLUSTER, ack.cluster(CLUSTER).seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(20), false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputIsRefusedClearlyAndLosesNothing(Row row) {
        Map<String, String> before = storeFingerprint();

        RequestSpecification request = given().contentType(row.contentType())
                .body(row.body().getBytes(StandardCharsets.UTF_8));
        if (row.token() != null) {
            request.header("Authorization", row.token());
        }
        Response response = request.post(row.path());

        String body = response.asString();
        assertEquals(row.status(), response.statusCode(), body);
        JsonPath json = JsonPath.from(body);
        assertEquals(row.field(), json.getString("field"), body);
        String error = json.getString("error");
        assertTrue(error != null && !error.isBlank() && error.length() < 400, "a one-line message: " + body);
        assertFalse(body.contains("\tat ") || body.matches("(?s).*\\b[a-z]+(\\.[a-z]+)+\\.[A-Z]\\w*(Exception|Error)\\b.*"),
                "no stack trace or exception class in the answer: " + body);
        assertTrue(Leaks.find(body).isEmpty(), "no secret in the answer");
        given().header("x-fc-request-id", "after-bad-input").post("/initialize").then().statusCode(200);
        assertEquals(before, storeFingerprint(), "the store is exactly as it was");
    }

    /** Kubeconfigs found broken in the store: how a stored text can be wrong, and the field the report names. */
    static Stream<Arguments> brokenStored() {
        return Stream.of(
                Arguments.of("not YAML", (java.util.function.UnaryOperator<String>) text -> "{{{: : [", "kubeconfig"),
                Arguments.of("YAML alias bomb", (java.util.function.UnaryOperator<String>) text ->
                        "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nclusters: [*c, *c, *c, *c]\n", "clusters"),
                Arguments.of("two users", (java.util.function.UnaryOperator<String>) text ->
                        text + text.substring(text.indexOf("- name:")), "users"),
                Arguments.of("missing key", (java.util.function.UnaryOperator<String>) text ->
                        text.replaceAll("    client-key-data: .*\n", ""), "users[0].user.client-key-data"),
                Arguments.of("key of another certificate", (java.util.function.UnaryOperator<String>) text ->
                        text.replaceAll("client-key-data: .*", "client-key-data: "
                                + TestPki.base64(TestPki.clientCertificate(OTHER_CA, "someone", List.of("g"),
                                        java.time.Instant.now(), java.time.Instant.now().plusSeconds(3600)).keyPem())),
                        "users[0].user.client-key-data"),
                Arguments.of("expired CA", (java.util.function.UnaryOperator<String>) text ->
                        text.replaceAll("certificate-authority-data: .*", "certificate-authority-data: "
                                + TestPki.base64(TestPki.pem(TestPki.certificateAuthority("old-ca",
                                        java.time.Instant.now().minus(Duration.ofDays(4000)),
                                        java.time.Instant.now().minus(Duration.ofDays(1))).certificate()))),
                        "clusters[0].cluster.certificate-authority-data"),
                Arguments.of("PEM garbage", (java.util.function.UnaryOperator<String>) text ->
                        text.replaceAll("client-certificate-data: .*", "client-certificate-data: " + Base64
                                .getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                                        .getBytes(StandardCharsets.US_ASCII))), "users[0].user.client-certificate-data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStored")
    void aBrokenStoredKubeconfigIsNamedAndOnlyEverReplacedByAWorkingOne(String what,
            java.util.function.UnaryOperator<String> breakIt, String field) {
        String id = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(id, "broken-" + id.substring(28));
        String broken = breakIt.apply(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(400),
                false));
        store(id, broken);

        JsonPath dryRun = rotateNow(id, true);
        assertEquals("unreadable", dryRun.getString("results[0].state"), dryRun.prettify());
        assertTrue(dryRun.getString("results[0].message").contains(field), dryRun.prettify());
        assertEquals(broken, stored(id), "a dry run changes nothing");

        ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, java.util.Optional.of(id), FakeAck.Fault.serverError(), 20);
        JsonPath failed = rotateNow(id, false);
        assertEquals("failed", failed.getString("results[0].action"), failed.prettify());
        assertEquals(broken, stored(id), "without a working replacement the entry stays as it was");
        ack.clearFaults();

        JsonPath repaired = rotateNow(id, false);
        assertEquals("rotated", repaired.getString("results[0].action"), repaired.prettify());
        assertEquals(ack.cluster(id).member().kubeSystemUid(), new io.ackrotator.kubeconfig.ApiServerProbe(
                Duration.ofSeconds(5)).probe(Kubeconfig.parse(stored(id))).kubeSystemUid(),
                "replaced only by a kubeconfig proven against the cluster");
    }

    static JsonPath rotateNow(String id, boolean dryRun) {
        return given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("clusterIds", List.of(id), "dryRun", dryRun)).post("/rotate").then().statusCode(200)
                .extract().jsonPath();
    }

    void store(String id, String kubeconfig) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(SecretKubeconfigStore.secretName(ClusterId.of(id))).withNamespace(NAMESPACE)
                .addToLabels(SecretKubeconfigStore.MANAGED_BY_LABEL, SecretKubeconfigStore.MANAGED_BY)
                .addToLabels(SecretKubeconfigStore.CLUSTER_ID_LABEL, id)
                .endMetadata()
                .addToData(SecretKubeconfigStore.DATA_KEY, Base64.getEncoder().encodeToString(
                        kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).createOr(existing -> existing.update());
    }

    String stored(String id) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(
                ClusterId.of(id))).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(SecretKubeconfigStore.DATA_KEY)),
                StandardCharsets.UTF_8);
    }

    /** Every Secret in the store namespace: name → resourceVersion and data. */
    Map<String, String> storeFingerprint() {
        Map<String, String> fingerprint = new TreeMap<>();
        List<Secret> secrets = new ArrayList<>(client.secrets().inNamespace(NAMESPACE).list().getItems());
        secrets.forEach(s -> fingerprint.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion() + " "
                + s.getData()));
        return fingerprint;
    }
}
