package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.KubeSphereHost;
import io.ackrotator.standin.LogCapture;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KubeSphere re-sync: the host on the fabric8 CRUD mock, members behind client-certificate HTTPS stand-ins. */
@QuarkusTest
@WithTestResource(io.ackrotator.standin.HostFront.class)
@WithTestResource(AckStandInResource.class)
class ResyncFunctionTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final String HOST_JWT = "host-jwt-secret-4d1c9e7a2b";
    static final AtomicInteger IDS = new AtomicInteger(0x5000);

    final KubernetesClient client = io.ackrotator.standin.HostFront.client();


    final FakeAck ack = StandIns.ack();
    KubeSphereHost host;
    SecretKubeconfigStore store;

    /** Every Event the function wrote would have been accepted by a real API server. */
    @org.junit.jupiter.api.AfterEach
    void eventsARealApiServerAccepts() {
        io.ackrotator.standin.EventValidation.assertAllAccepted(client);
    }

    @BeforeEach
    void freshHost() {
        client.genericKubernetesResources(KubeSphereHost.CLUSTERS).delete();
        client.secrets().inNamespace(NAMESPACE).delete();
        client.leases().inNamespace(NAMESPACE).delete();
        client.configMaps().inNamespace(NAMESPACE).withName("ack-kubeconfig-rotator-member-checks").delete();
        host = new KubeSphereHost(client).install(HOST_JWT);
        store = new SecretKubeconfigStore(client, NAMESPACE);
        ack.clearFaults();
    }

    /** A member whose host copy has {@code hostCopyLeft} and, if given, a newer stored kubeconfig. */
    record Member(String name, String clusterId, FakeAck.FakeCluster cluster, Kubeconfig hostCopy,
            Kubeconfig stored) {
    }

    Member member(String name, Duration hostCopyLeft, Duration storedLeft, String memberJwt, String role) {
        String id = String.format("c%032x", IDS.incrementAndGet());
        FakeAck.FakeCluster cluster = ack.addCluster(id, name);
        String uid = ack.defaultIdentity().uid();
        Kubeconfig hostCopy = Kubeconfig.parse(cluster.seedLongTerm(uid, hostCopyLeft, false));
        Kubeconfig stored = hostCopy;
        if (storedLeft != null) {
            stored = Kubeconfig.parse(cluster.seedLongTerm(uid, storedLeft, false));
        }
        store.create(ClusterId.of(id), new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC,
                Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant()));
        if (memberJwt != null) {
            cluster.member().installKubeSphere(memberJwt, role);
        }
        host.addDirectMember(name, id, hostCopy.text(), cluster.member().kubeSystemUid());
        return new Member(name, id, cluster, hostCopy, stored);
    }

    static JsonPath resync(Object body) {
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(body).post("/resync").then().statusCode(200).extract().jsonPath();
    }

    static String field(JsonPath report, String cluster, String field) {
        return report.getString("results.find { it.cluster == '" + cluster + "' }." + field);
    }

    @Test
    void aStaleHostCopyIsReplacedAndConnectivityProven() {
        Member m = member("stale", Duration.ofDays(20), Duration.ofDays(1000), HOST_JWT, "member");

        JsonPath report = resync(Map.of());

        assertEquals("synced", field(report, "stale", "outcome"));
        assertEquals("[kubeconfig-updated]", field(report, "stale", "actions"));
        assertEquals("ok", field(report, "stale", "connectivity"));
        assertEquals(m.stored().text(), host.kubeconfigOf("stale"));
        assertTrue(client.events().v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("KubeconfigSynced")));
    }

    @Test
    void aCurrentHostCopyIsLeftAlone() {
        member("current", Duration.ofDays(500), null, HOST_JWT, "member");
        String version = host.cluster("current").getMetadata().getResourceVersion();

        JsonPath report = resync(Map.of("clusters", List.of("current")));

        assertEquals("synced", field(report, "current", "outcome"));
        assertEquals("[]", field(report, "current", "actions"));
        assertEquals(version, host.cluster("current").getMetadata().getResourceVersion());
    }

    @Test
    void aKubeconfigForAnotherClusterIsRefusedAndTheHostUntouched() {
        Member m = member("moved", Duration.ofDays(20), Duration.ofDays(1000), HOST_JWT, "member");
        m.cluster().recreateMember();
        Kubeconfig elsewhere = Kubeconfig.parse(m.cluster().seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(1050), false));
        var entry = store.get(ClusterId.of(m.clusterId())).orElseThrow();
        store.replace(entry, new StoreUpdate(elsewhere, Optional.empty(), AckAccess.PUBLIC, Optional.empty(),
                ack.clock().instant()));

        JsonPath report = resync(Map.of("clusters", List.of("moved")));

        assertEquals("failed", field(report, "moved", "outcome"));
        assertTrue(field(report, "moved", "message").contains("reaches another cluster"));
        assertEquals(m.hostCopy().text(), host.kubeconfigOf("moved"));
    }

    @Test
    void jwtSecretAndRoleDriftAreFixedWithoutPrintingTheSecret() {
        Member m = member("drifted", Duration.ofDays(500), null, "member-own-jwt-77aa", "none");

        JsonPath report;
        try (LogCapture logs = LogCapture.start()) {
            report = resync(Map.of());
            assertFalse(logs.text().contains(HOST_JWT) || logs.text().contains("member-own-jwt-77aa"));
        }

        assertEquals("[jwtsecret-fixed, member-role-fixed]", field(report, "drifted", "actions"));
        assertFalse(report.prettify().contains(HOST_JWT) || report.prettify().contains("member-own-jwt-77aa"));
        var installer = m.cluster().member().ksInstaller();
        assertEquals(HOST_JWT, installer.at("/spec/authentication/jwtSecret").asText(), "ks-installer won't revert it");
        assertEquals("member", installer.at("/spec/multicluster/clusterRole").asText());
        String running = m.cluster().member().kubesphereYaml();
        assertTrue(running.contains("jwtSecret: \"" + HOST_JWT + "\"") && running.contains("clusterRole: \"member\""),
                "the running kubesphere-config KubeSphere's checks read: " + running.replace(HOST_JWT, "<host>"));
        var reasons = client.events().v1().events().inNamespace("default").list().getItems().stream()
                .map(e -> e.getReason()).toList();
        assertTrue(reasons.containsAll(List.of("JwtSecretFixed", "MemberRoleFixed")), reasons.toString());
    }

    @Test
    void proxyMembersAndTheHostAreSkippedWithAReason() {
        host.addHost("host");
        host.addProxyMember("edge", String.format("c%032x", IDS.incrementAndGet()));

        JsonPath report = resync(Map.of());

        assertEquals("skipped", field(report, "host", "outcome"));
        assertEquals("host cluster: not a member", field(report, "host", "message"));
        assertEquals("skipped", field(report, "edge", "outcome"));
        assertTrue(field(report, "edge", "message").startsWith("proxy-mode member"));
    }

    @Test
    void aChangedApiServerAddressIsReportedReadably() {
        Member m = member("readdressed", Duration.ofDays(500), null, HOST_JWT, "member");
        m.cluster().member().serveWrongCertificate(true);

        JsonPath report = resync(Map.of("clusters", List.of("readdressed")));

        assertEquals("failed", field(report, "readdressed", "outcome"));
        assertEquals("failed: API server certificate is not valid for 127.0.0.1: the API server address changed; "
                + "re-issue the kubeconfig for the new address", field(report, "readdressed", "connectivity"));
    }

    @Test
    void dryRunReportsDriftAndChangesNothing() {
        Member m = member("preview", Duration.ofDays(20), Duration.ofDays(1000), "other-jwt-123", "member");
        String version = host.cluster("preview").getMetadata().getResourceVersion();
        String installerVersion = m.cluster().member().ksInstaller().at("/metadata/resourceVersion").asText();

        JsonPath report = resync(Map.of("dryRun", true));

        assertEquals("[kubeconfig-stale, jwtsecret-differs]", field(report, "preview", "actions"));
        assertEquals(version, host.cluster("preview").getMetadata().getResourceVersion());
        assertEquals(installerVersion, m.cluster().member().ksInstaller().at("/metadata/resourceVersion").asText());
        assertEquals("other-jwt-123", m.cluster().member().ksInstaller().at("/spec/authentication/jwtSecret").asText());
    }

    @Test
    void anUnreachableMemberFailsAloneWhileTheOthersSync() {
        Member down = member("down", Duration.ofDays(20), Duration.ofDays(1000), HOST_JWT, "member");
        Member up = member("up", Duration.ofDays(20), Duration.ofDays(1000), HOST_JWT, "member");
        down.cluster().member().close();

        JsonPath report = resync(Map.of());

        assertEquals("failed", field(report, "down", "outcome"));
        assertTrue(field(report, "down", "message").contains("unreachable"), field(report, "down", "message"));
        assertEquals(down.hostCopy().text(), host.kubeconfigOf("down"));
        assertEquals("synced", field(report, "up", "outcome"));
        assertEquals(up.stored().text(), host.kubeconfigOf("up"));
        assertEquals(1, report.getInt("summary.failed"));
        assertEquals(1, report.getInt("summary.synced"));
    }

    @Test
    void aMalformedClusterObjectIsReportedAloneAndTheSweepStillAnswers() {
        Member good = member("shapely", Duration.ofDays(20), null, HOST_JWT, "member");
        Member bad = member("misshapen", Duration.ofDays(20), null, HOST_JWT, "member");
        client.genericKubernetesResources(io.ackrotator.standin.KubeSphereHost.CLUSTERS).withName("misshapen")
                .edit(cluster -> {
                    cluster.getAdditionalProperties().put("spec", Map.of("connection", "not-an-object"));
                    return cluster;
                });

        JsonPath report = given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .contentType(ContentType.JSON).body("{}").post("/rotate").then().statusCode(200).extract().jsonPath();

        String badSync = "results.find { it.clusterId == '" + bad.clusterId() + "' }.kubesphere[0].";
        assertEquals("rotated", report.getString("results.find { it.clusterId == '" + bad.clusterId() + "' }.action"));
        assertEquals("failed", report.getString(badSync + "outcome"));
        assertEquals("the Cluster object is malformed (spec.connection is not an object); left as it is",
                report.getString(badSync + "message"));
        assertEquals("synced", report.getString("results.find { it.clusterId == '" + good.clusterId()
                + "' }.kubesphere[0].outcome"));
        assertEquals("failed", field(resync(Map.of("clusters", List.of("misshapen"))), "misshapen", "outcome"));
    }

    @Test
    void aClusterWithoutKubeSphereIsSyncedWithANote() {
        member("plain", Duration.ofDays(500), null, null, null);

        JsonPath report = resync(Map.of());

        assertEquals("synced", field(report, "plain", "outcome"));
        assertTrue(field(report, "plain", "message").contains("no KubeSphere on the member (kubesphere-system/"
                + "kubesphere-config missing)"), field(report, "plain", "message"));
    }

    @Test
    void aKubeSphere4HostAndMemberAreReSyncedInThe4xLayout() {
        host.install4(HOST_JWT);
        Member m = member("ks4", Duration.ofDays(20), Duration.ofDays(1000), null, null);
        m.cluster().member().installKubeSphere4("member-own-4x-jwt", "member");

        JsonPath report = resync(Map.of("clusters", List.of("ks4")));

        assertEquals("[kubeconfig-updated, jwtsecret-fixed]", field(report, "ks4", "actions"));
        assertTrue(field(report, "ks4", "message").contains("restart it"), field(report, "ks4", "message"));
        String running = m.cluster().member().kubesphereYaml();
        assertTrue(running.contains("issuer:") && running.contains("jwtSecret: \"" + HOST_JWT + "\""),
                "authentication.issuer.jwtSecret, where 4.x reads it");
        assertTrue(m.cluster().member().ksInstaller() == null, "4.x has no ks-installer, none was made up");
        assertEquals(m.stored().text(), host.kubeconfigOf("ks4"));
    }

    @Test
    void aNewerCertificateAnotherWriterPutInTheClusterIsLeftAlone() {
        Member m = member("renewed-by-ks", Duration.ofDays(1000), null, HOST_JWT, "member");
        Kubeconfig olderStored = Kubeconfig.parse(m.cluster().seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(600), false));
        var entry = store.get(ClusterId.of(m.clusterId())).orElseThrow();
        store.replace(entry, new StoreUpdate(olderStored, Optional.empty(), AckAccess.PUBLIC,
                Optional.of(m.cluster().member().kubeSystemUid()), ack.clock().instant()));
        String version = host.cluster("renewed-by-ks").getMetadata().getResourceVersion();

        JsonPath report = resync(Map.of("clusters", List.of("renewed-by-ks")));

        assertEquals("synced", field(report, "renewed-by-ks", "outcome"));
        assertTrue(field(report, "renewed-by-ks", "message").contains("the Cluster holds another, newer certificate"),
                field(report, "renewed-by-ks", "message"));
        assertTrue(field(report, "renewed-by-ks", "message").contains("written by another writer"));
        assertEquals(version, host.cluster("renewed-by-ks").getMetadata().getResourceVersion());
        assertEquals(m.hostCopy().text(), host.kubeconfigOf("renewed-by-ks"));
    }

    @Test
    void theProxyTargetFollowsTheKubeconfigsServer() {
        Member m = member("moved-endpoint", Duration.ofDays(500), null, HOST_JWT, "member");
        client.genericKubernetesResources(KubeSphereHost.CLUSTERS).withName("moved-endpoint").edit(cluster -> {
            endpointOf(cluster).put("kubernetesAPIEndpoint", "https://10.0.0.9:6443");
            return cluster;
        });

        JsonPath report = resync(Map.of("clusters", List.of("moved-endpoint")));

        assertEquals("[endpoint-updated]", field(report, "moved-endpoint", "actions"));
        assertEquals(m.hostCopy().server().toString(), endpointOf(host.cluster("moved-endpoint"))
                .get("kubernetesAPIEndpoint"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> endpointOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource cluster) {
        return (Map<String, Object>) ((Map<String, Object>) cluster.getAdditionalProperties().get("spec"))
                .get("connection");
    }

    @Test
    void kubeSphere34sWebhookDenialIsReportedAsSuch() {
        Member m = member("webhooked", Duration.ofDays(20), Duration.ofDays(1000), HOST_JWT, "member");
        // The member lacks the read of kube-system KubeSphere 3.4's webhook makes with the new kubeconfig
        // (member-rbac-kubesphere.yaml's webhook rule), so the host's webhook denies the update.
        ack.editMemberRbac((role, index, rule) -> role.endsWith("/ack-kubeconfig-rotator-kubesphere-webhook")
                ? rule.deepCopy().<com.fasterxml.jackson.databind.node.ObjectNode>require().putArray("verbs") : rule);
        try {
            JsonPath report = resync(Map.of("clusters", List.of("webhooked")));

            assertEquals("failed", field(report, "webhooked", "outcome"));
            assertTrue(field(report, "webhooked", "message").startsWith("KubeSphere's admission webhook refused the "
                    + "new kubeconfig (admission webhook \"validating-cluster.kubesphere.io\" denied the request:"),
                    field(report, "webhooked", "message"));
            assertEquals(m.hostCopy().text(), host.kubeconfigOf("webhooked"));
        } finally {
            ack.editMemberRbac((role, index, rule) -> rule);
        }
    }

    @Test
    void aRotationReSyncsItsMembersInTheSameSweep() {
        Member m = member("rotating", Duration.ofDays(20), null, HOST_JWT, "member");

        JsonPath report = given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .contentType(ContentType.JSON).body("{}").post("/rotate").then().statusCode(200).extract().jsonPath();

        assertEquals("rotated", report.getString("results.find { it.clusterId == '" + m.clusterId() + "' }.action"));
        assertEquals("synced", report.getString("results.find { it.clusterId == '" + m.clusterId()
                + "' }.kubesphere[0].outcome"));
        Kubeconfig inHost = Kubeconfig.parse(host.kubeconfigOf("rotating"));
        assertEquals(Kubeconfig.parse(store.get(ClusterId.of(m.clusterId())).orElseThrow().kubeconfig()).identity()
                .serial(), inHost.identity().serial());
        assertTrue(inHost.notAfter().isAfter(m.hostCopy().notAfter()));

        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/status").then().statusCode(200)
                .body("clusters.find { it.clusterId == '" + m.clusterId() + "' }.kubesphere[0].hostCopy",
                        equalTo("current"));
    }

    /**
     * A quiet sweep's cost: a member in sync is checked once, then left alone until rotator.probe-interval has passed
     * or what its Cluster holds changed.
     */
    @Test
    void aQuietSweepChecksAMemberOncePerProbeIntervalUnlessItsKubeconfigChanged() {
        Member m = member("quiet", Duration.ofDays(1000), null, HOST_JWT, "member");
        String path = "results.find { it.clusterId == '" + m.clusterId() + "' }.kubesphere";

        assertEquals("synced", sweep(m).getString(path + "[0].outcome"), "checked by the first sweep");
        int afterFirst = m.cluster().member().requestCount();
        assertNull(sweep(m).getList(path), "not checked again within the interval");
        assertEquals(afterFirst, m.cluster().member().requestCount(), "not one request to the member");

        m.cluster().member().installKubeSphere("drifted-jwt", "member");
        Kubeconfig reissued = Kubeconfig.parse(m.cluster().seedLongTerm(ack.defaultIdentity().uid(),
                Duration.ofDays(1000), false));
        host.setKubeconfig("quiet", reissued.text());
        JsonPath changed = sweep(m);
        assertEquals("synced", changed.getString(path + "[0].outcome"), "another kubeconfig in the Cluster: checked");
        assertTrue(changed.getList(path + "[0].actions").contains("jwtsecret-fixed"), changed.prettify());
        assertEquals(List.of(), sweep(m).getList(path + "[0].actions"), "after a repair, checked once more");

        int settled = m.cluster().member().requestCount();
        assertNull(sweep(m).getList(path));
        assertEquals(settled, m.cluster().member().requestCount());
        ack.clock().advance(Duration.ofDays(1));
        assertEquals("synced", sweep(m).getString(path + "[0].outcome"), "checked again after the interval");
        assertTrue(m.cluster().member().requestCount() > settled);
    }

    JsonPath sweep(Member m) {
        client.leases().inNamespace(NAMESPACE).delete();
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(java.util.Map.of("clusterIds", java.util.List.of(m.clusterId()))).post("/rotate").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void statusShowsAStaleHostCopy() {
        Member m = member("behind", Duration.ofDays(20), Duration.ofDays(1000), HOST_JWT, "member");
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON).body("{}")
                .post("/status").then().statusCode(200)
                .body("clusters.find { it.clusterId == '" + m.clusterId() + "' }.kubesphere[0].hostCopy",
                        equalTo("stale"));
    }

    @Test
    void badClusterNamesAre400() {
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusters", List.of("Not_A_Name"))).post("/resync").then().statusCode(400)
                .body("field", equalTo("clusters[0]"));
    }
}
