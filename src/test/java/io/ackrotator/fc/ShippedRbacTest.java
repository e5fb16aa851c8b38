package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.KubeSphereHost;
import io.ackrotator.standin.Rbac;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped RBAC, proven rather than assumed: the host front authorizes every request of the function with
 * deploy/fc/host-rbac.yaml, the member API servers with member-rbac.yaml and member-rbac-kubesphere.yaml. Everything
 * the function does (a sweep that adopts and rotates, the KubeSphere re-sync repairing drift, issuing, the status
 * page) passes with the manifests as shipped, and each single verb of each rule taken away makes a cluster refuse
 * something the function does: the manifests are enough, and nothing in them is spare.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class ShippedRbacTest {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final String HOST_JWT = "host-jwt-rbac-2f6e";
    static final AtomicInteger IDS = new AtomicInteger(0xbac000);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    final KubernetesClient client = HostFront.client();
    final FakeAck ack = StandIns.ack();

    @AfterEach
    void shippedRbacAgain() {
        ack.editMemberRbac((role, index, rule) -> rule);
        HostFront.front().authorizing(Rbac.load(List.of(HostFront.HOST_RBAC), HostFront.PLACEHOLDER,
                HostFront.FUNCTION_USER), HostFront.FUNCTION_USER);
        HostFront.front().reset();
    }

    /**
     * Everything the function does, from a fresh start; what the host refused is in the front, what the member
     * refused in the returned member's refusals.
     */
    io.ackrotator.standin.MemberApiServer everythingTheFunctionDoes() {
        client.leases().inNamespace(NAMESPACE).delete();
        client.configMaps().inNamespace(NAMESPACE).withLabel("ack-kubeconfig-rotator.io/caller").delete();
        KubeSphereHost host = new KubeSphereHost(client).install(HOST_JWT);
        String due = String.format("c%032x", IDS.incrementAndGet());
        FakeAck.FakeCluster cluster = ack.addCluster(due, "rbac-due");
        Kubeconfig old = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(20),
                false));
        new SecretKubeconfigStore(client, NAMESPACE).create(ClusterId.of(due), new StoreUpdate(old, Optional.empty(),
                AckAccess.PUBLIC, Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant()));
        cluster.member().installKubeSphere("drifted-jwt-secret", "member"); // the re-sync repairs both places
        host.addDirectMember("rbac-" + due.substring(27), due, old.text(), cluster.member().kubeSystemUid());
        String adopted = String.format("c%032x", IDS.incrementAndGet());
        ack.addCluster(adopted, "rbac-new");

        admin().body(Map.of("clusterIds", List.of(due, adopted))).post("/rotate");
        for (int i = 0; i < 2; i++) { // the first creates the caller's quota ConfigMap, the second updates it
            given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                    .body(Map.of("clusterId", due, "validityMinutes", 30)).post("/issue");
        }
        admin().body(Map.of("clusterIds", List.of(due), "rbac", true)).post("/audit");
        admin().body("{}").post("/status");
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).get("/status?format=html");
        return cluster.member();
    }

    static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    @Test
    void theShippedManifestsCoverEverythingTheFunctionDoes() {
        var member = everythingTheFunctionDoes();

        assertEquals(List.of(), HostFront.front().refused());
        assertEquals(List.of(), member.refusals());
        assertTrue(member.kubesphereYaml().contains(HOST_JWT), "the drift was repaired through the member RBAC");
        List<String> requests = HostFront.front().requests();
        for (String expected : List.of("POST /api/v1/namespaces/kubeconfig-rotator/secrets",
                "PUT /apis/coordination.k8s.io/v1/namespaces/kubeconfig-rotator/leases/ack-kubeconfig-rotator-sweep",
                "POST /apis/events.k8s.io/v1/namespaces/default/events",
                "POST /api/v1/namespaces/kubeconfig-rotator/configmaps")) {
            assertTrue(requests.contains(expected), expected + " in " + requests);
        }
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("PUT /apis/cluster.kubesphere.io/v1alpha1/clusters/")),
                "the KubeSphere host copy was written through the front");
    }

    static Stream<Arguments> everyVerbOfEveryHostRule() throws IOException {
        return everyVerbOfEveryRule(List.of(HostFront.HOST_RBAC));
    }

    static Stream<Arguments> everyVerbOfEveryMemberRule() throws IOException {
        return everyVerbOfEveryRule(FakeAck.MEMBER_RBAC);
    }

    /** Each verb of each rule of the manifests, by its place: role, rule, verb. */
    static Stream<Arguments> everyVerbOfEveryRule(List<java.nio.file.Path> manifests) throws IOException {
        List<Arguments> cases = new ArrayList<>();
        List<JsonNode> documents = new ArrayList<>();
        for (java.nio.file.Path manifest : manifests) {
            try (var values = YAML.readerFor(JsonNode.class).readValues(Files.readString(manifest))) {
                values.forEachRemaining(node -> documents.add((JsonNode) node));
            }
        }
        for (JsonNode document : documents) {
            int index = 0;
            for (JsonNode rule : document.path("rules")) {
                for (JsonNode verb : rule.path("verbs")) {
                    String role = document.path("kind").asText() + " " + document.at("/metadata/namespace").asText("")
                            + "/" + document.at("/metadata/name").asText();
                    String label = role + ": " + verb.asText() + " " + rule.path("resources")
                            + (rule.has("resourceNames") ? " " + rule.path("resourceNames") : "");
                    cases.add(Arguments.of(Named.of(label, role), index, verb.asText()));
                }
                index++;
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("everyVerbOfEveryHostRule")
    void withoutThisVerbTheHostRefusesTheFunction(String role, int ruleIndex, String verb) {
        HostFront.front().authorizing(Rbac.load(List.of(HostFront.HOST_RBAC), HostFront.PLACEHOLDER,
                HostFront.FUNCTION_USER, (name, index, rule) -> name.equals(role) && index == ruleIndex
                        ? without(rule, verb) : rule), HostFront.FUNCTION_USER);

        everythingTheFunctionDoes();

        assertTrue(!HostFront.front().refused().isEmpty(), "the function needs " + verb + " of " + role + " rule "
                + ruleIndex + ", so taking it away must make the host refuse something");
    }

    @ParameterizedTest
    @MethodSource("everyVerbOfEveryMemberRule")
    void withoutThisVerbTheMemberRefusesTheFunction(String role, int ruleIndex, String verb) {
        ack.editMemberRbac((name, index, rule) -> name.equals(role) && index == ruleIndex ? without(rule, verb)
                : rule);

        var member = everythingTheFunctionDoes();

        assertTrue(!member.refusals().isEmpty(), "the function needs " + verb + " of " + role + " rule " + ruleIndex
                + " on members, so taking it away must make the member refuse something");
    }

    static JsonNode without(JsonNode rule, String verb) {
        var copy = rule.deepCopy();
        var verbs = ((com.fasterxml.jackson.databind.node.ObjectNode) copy).putArray("verbs");
        rule.path("verbs").forEach(v -> {
            if (!v.asText().equals(verb)) {
                verbs.add(v.asText());
            }
        });
        return copy;
    }
}
