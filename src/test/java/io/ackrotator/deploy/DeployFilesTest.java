package io.ackrotator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/fc parses, and says what the function really does: port, hooks, triggers, actions, permissions. */
class DeployFilesTest {

    static final Path DIR = Path.of("deploy/fc");
    static final String EVENTS_FUNCTION = "ack-kubeconfig-rotator-events";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void serverlessDevsSpecMatchesTheFunction() throws IOException {
        JsonNode spec = YAML.readTree(DIR.resolve("s.yaml").toFile());
        assertEquals("3.0.0", spec.path("edition").asText());
        List<JsonNode> functions = new ArrayList<>();
        spec.path("resources").forEach(resource -> functions.add(resource.path("props")));
        assertEquals(2, functions.size(), "an event function and an HTTP function");
        for (JsonNode props : functions) {
            assertTrue(props.path("runtime").asText().startsWith("custom.debian"));
            assertEquals(9000, props.at("/customRuntimeConfig/port").asInt());
            assertEquals("/code/bootstrap", props.at("/customRuntimeConfig/command/0").asText());
            assertEquals("./code", props.path("code").asText(), "one artifact for both");
            assertEquals(functions.get(0).path("role"), props.path("role"));
            assertTrue(props.at("/instanceLifecycleConfig/initializer").isObject());
            assertTrue(props.at("/instanceLifecycleConfig/preStop").isObject());
            assertTrue(!props.path("vpcConfig").asText().equals("auto"),
                    "vpcConfig auto creates a VPC of its own, from which no cluster's internal endpoint is reachable");
        }

        JsonNode events = functionWithTrigger(spec, "timer");
        assertEquals("event", events.at("/environmentVariables/ROTATOR_FACE").asText());
        assertTrue(events.at("/asyncInvokeConfig/maxAsyncRetryAttempts").asInt() <= 8);
        assertTrue(texts(events.path("triggers"), "triggerType").stream().noneMatch("http"::equals),
                "no HTTP trigger: /invoke is reachable only through FC's InvokeFunction API");
        assertTrue(events.at("/environmentVariables/ROTATOR_ADMIN_TOKEN_SHA256").isMissingNode(),
                "the event function serves no HTTP caller");
        JsonNode timer = trigger(events, "timer");
        String cron = timer.at("/triggerConfig/cronExpression").asText().replaceFirst("^CRON_TZ=\\S+ ", "");
        assertEquals(6, cron.split(" ").length, "FC cron has 6 fields: " + cron);
        assertEquals("sweep", new ObjectMapper().readTree(timer.at("/triggerConfig/payload").asText()).path("action")
                .asText());

        JsonNode eventbridge = trigger(events, "eventbridge");
        assertEquals("Default", eventbridge.at("/triggerConfig/eventSourceConfig/eventSourceType").asText());
        JsonNode pattern = new ObjectMapper().readTree(eventbridge.at("/triggerConfig/eventRuleFilterPattern")
                .asText());
        assertTrue(EventPattern.matches(pattern, fixture("ack-createcluster-assembled.json")));
        assertTrue(EventPattern.matches(pattern, fixture("ack-registercluster-assembled.json")));
        assertTrue(!EventPattern.matches(pattern, fixture("ack-pod-event-assembled.json")),
                "Kubernetes events inside clusters never wake the function");
        assertTrue(!EventPattern.matches(pattern, fixture("eventbridge-envelope-documented.json")));

        JsonNode web = functionWithTrigger(spec, "http");
        assertEquals("http", web.at("/environmentVariables/ROTATOR_FACE").asText(), "/invoke refused behind HTTP");
        JsonNode http = trigger(web, "http");
        assertEquals("anonymous", http.at("/triggerConfig/authType").asText(),
                "with authType function FC's gateway owns the Authorization header our bearer tokens travel in");
        assertEquals(Set.of("GET", "POST"), Set.copyOf(texts(http.at("/triggerConfig/methods"))),
                "the methods the README documents");
    }

    /**
     * A fanned-out sweep invokes the event function itself, asynchronously, with task IDs: async task mode on, and the
     * role may invoke that one function (RAM resource acs:fc:<region>:<account>:functions/<name>).
     */
    @Test
    void theEventFunctionMayFanOutToItself() throws IOException {
        JsonNode events = functionWithTrigger(YAML.readTree(DIR.resolve("s.yaml").toFile()), "timer");
        assertEquals(EVENTS_FUNCTION, events.path("functionName").asText());
        assertTrue(events.at("/asyncInvokeConfig/asyncTask").asBoolean(), "task IDs need async task mode");
        assertTrue(Files.readString(DIR.resolve("ram-policy.json")).contains("acs:fc:cn-hangzhou:ACCOUNT_ID:functions/"
                + EVENTS_FUNCTION + "\""));
    }

    /**
     * A managed account's role: only the function's role may enter it, and only with the external ID (the trust
     * policy's sts:ExternalId condition; RAM, "Use an external ID", cited in FakeSts); it may do only what a sweep does
     * there.
     */
    @Test
    void aManagedAccountsRoleTrustsOnlyTheFunctionWithTheExternalId() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode trust = json.readTree(DIR.resolve("account-role-trust-policy.json").toFile()).path("Statement").get(0);
        assertEquals("sts:AssumeRole", trust.path("Action").asText());
        assertEquals(List.of("acs:ram::ACCOUNT_ID:role/ack-kubeconfig-rotator"), texts(trust.at("/Principal/RAM")));
        assertEquals("EXTERNAL_ID", trust.at("/Condition/StringEquals/sts:ExternalId").asText());
        JsonNode grant = json.readTree(DIR.resolve("account-role-policy.json").toFile()).path("Statement").get(0);
        assertEquals(Set.of("cs:DescribeClusterUserKubeconfig", "cs:GetClusters", "cs:DescribeClustersV1"),
                Set.copyOf(texts(grant.path("Action"))));
        assertEquals(List.of("acs:cs:*:MANAGED_ACCOUNT_ID:cluster/*"), texts(grant.path("Resource")));
    }

    @Test
    void bootstrapListensWhereFcSays() throws IOException {
        String bootstrap = Files.readString(DIR.resolve("bootstrap"));
        assertTrue(bootstrap.contains("${FC_CUSTOM_LISTEN_PORT:-9000}"));
        assertTrue(Files.isExecutable(DIR.resolve("bootstrap")));
    }

    /**
     * The event function's failed invocations (x-fc-status: 404) end in an MNS queue once FC's retries are spent, and
     * its sweep stops before FC's timeout. Destination ARN shape: acs:mns:<region>:<account>:/queues/<queue>/messages
     * (Source: the Terraform alicloud_fc_function_async_invoke_config reference, and devsapp/fc3 src/schema.json for
     * asyncInvokeConfig.destinationConfig.onFailure.destination).
     */
    @Test
    void failedEventsHaveADestinationAndTheSweepADeadlineInsideFcsTimeout() throws IOException {
        JsonNode spec = YAML.readTree(DIR.resolve("s.yaml").toFile());
        JsonNode events = functionWithTrigger(spec, "timer");
        String destination = events.at("/asyncInvokeConfig/destinationConfig/onFailure/destination").asText();
        assertTrue(destination.matches("acs:mns:\\$\\{vars.region}:\\$\\{config\\('AccountID'\\)}:/queues/"
                + "[a-z0-9-]+/messages"), destination);
        String queue = destination.substring(destination.indexOf("/queues/"));
        assertTrue(Files.readString(DIR.resolve("ram-policy.json")).contains(queue), "the role may send there");
        java.time.Duration deadline = java.time.Duration.parse(events.at("/environmentVariables/ROTATOR_SWEEP_DEADLINE")
                .asText());
        assertTrue(deadline.toSeconds() < events.path("timeout").asLong() - 30, "a margin for the last cluster");
    }

    @Test
    void ramPolicyGrantsOnlyWhatTheFunctionCalls() throws IOException {
        JsonNode policy = new ObjectMapper().readTree(DIR.resolve("ram-policy.json").toFile());
        Set<String> actions = new HashSet<>();
        policy.path("Statement").forEach(statement -> {
            assertEquals("Allow", statement.path("Effect").asText());
            actions.addAll(texts(statement.path("Action")));
            for (String resource : texts(statement.path("Resource"))) {
                assertTrue(resource.matches("acs:cs:[a-z0-9*-]+:ACCOUNT_ID:cluster/\\*")
                        || resource.matches("acs:ram::ACCOUNT_ID:role/[a-z0-9-]+")
                        || resource.matches("acs:ram::ACCOUNT_ID:(user|role)/\\*")
                        || resource.equals("acs:mns:cn-hangzhou:ACCOUNT_ID:/queues/ack-kubeconfig-rotator-failed/"
                                + "messages")
                        || resource.equals("acs:eventbridge:cn-hangzhou:ACCOUNT_ID:eventbus/"
                                + "ack-kubeconfig-rotator-notices")
                        || resource.equals("acs:fc:cn-hangzhou:ACCOUNT_ID:functions/" + EVENTS_FUNCTION),
                        "narrowed to the account's clusters, the callers' roles, the account's RAM identities, the "
                                + "failed-event queue, the notification bus and the function itself: " + resource);
            }
        });
        // DescribeClustersV1's documented RAM action is cs:GetClusters; ACK's own policies also list the API name;
        // sts:AssumeRole for the callers' roles (s.yaml's ci); the fleet audit, revocation and offboarding, where
        // ListClusterKubeconfigStates also needs ram:ListUsers and ram:ListRoles (alibabacloud-go/cs-20151215
        // client/client.go, the API's doc comment)
        assertEquals(Set.of("cs:DescribeClusterUserKubeconfig", "cs:GetClusters", "cs:DescribeClustersV1",
                "sts:AssumeRole", "cs:ListClusterKubeconfigStates", "cs:RevokeK8sClusterKubeConfig",
                "cs:CleanClusterUserPermissions", "ram:ListUsers", "ram:ListRoles", "mns:SendMessage",
                "eventbridge:PutEvents", "fc:InvokeFunction"), actions);
        assertTrue(policy.toString().contains("acs:cs:cn-hangzhou:ACCOUNT_ID:cluster/*"),
                "kubeconfigs only in the configured region");
    }

    @Test
    void hostRbacCoversTheStoreAndKubeSphereAndNoMore() throws IOException {
        ObjectReader reader = YAML.readerFor(JsonNode.class);
        List<JsonNode> documents = new ArrayList<>();
        try (var iterator = reader.readValues(DIR.resolve("host-rbac.yaml").toFile())) {
            iterator.forEachRemaining(node -> documents.add((JsonNode) node));
        }
        Set<String> grants = new HashSet<>();
        for (JsonNode document : documents) {
            if (document.path("kind").asText().endsWith("Role")) {
                for (JsonNode rule : document.path("rules")) {
                    for (String resource : texts(rule.path("resources"))) {
                        for (String verb : texts(rule.path("verbs"))) {
                            grants.add(document.at("/metadata/namespace").asText("*") + ":" + resource + ":" + verb);
                        }
                    }
                }
            }
        }
        assertTrue(grants.containsAll(Set.of("kubeconfig-rotator:secrets:update", "kubeconfig-rotator:leases:create",
                "kubeconfig-rotator:events:create", "*:clusters:update", "kubesphere-system:configmaps:get",
                "kubeconfig-rotator:configmaps:create", "kubeconfig-rotator:configmaps:update")), grants
                        .toString());
        assertTrue(grants.stream().noneMatch(g -> g.endsWith(":delete") || g.contains("*:secrets")), grants.toString());
        assertTrue(grants.stream().filter(g -> g.startsWith("kubesphere-system:")).allMatch(g -> g.endsWith(":get")));
    }

    static JsonNode fixture(String name) throws IOException {
        return new ObjectMapper().readTree(Files.readString(Path.of("src/test/resources/events", name)));
    }

    /**
     * EventBridge's event pattern, as far as s.yaml uses it: every key of the pattern must be in the event, an array
     * lists the values one of which must equal the event's, an object nests ("Event patterns",
     * https://www.alibabacloud.com/help/en/doc-detail/181432.htm: same nesting as the event, keys AND, values OR).
     */
    static final class EventPattern {
        static boolean matches(JsonNode pattern, JsonNode event) {
            for (var it = pattern.fields(); it.hasNext();) {
                var entry = it.next();
                JsonNode value = event.path(entry.getKey());
                boolean ok = entry.getValue().isObject() ? matches(entry.getValue(), value)
                        : texts(entry.getValue()).contains(value.asText(null));
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The props of the one function that has a trigger of this type. */
    static JsonNode functionWithTrigger(JsonNode spec, String type) {
        List<JsonNode> found = new ArrayList<>();
        spec.path("resources").forEach(resource -> {
            if (texts(resource.at("/props/triggers"), "triggerType").contains(type)) {
                found.add(resource.path("props"));
            }
        });
        assertEquals(1, found.size(), "one function with a " + type + " trigger");
        return found.get(0);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }

    static JsonNode trigger(JsonNode props, String type) {
        for (JsonNode trigger : props.path("triggers")) {
            if (trigger.path("triggerType").asText().equals(type)) {
                return trigger;
            }
        }
        throw new AssertionError("no " + type + " trigger");
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
