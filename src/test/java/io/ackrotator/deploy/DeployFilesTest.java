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
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void serverlessDevsSpecMatchesTheFunction() throws IOException {
        JsonNode props = YAML.readTree(DIR.resolve("s.yaml").toFile()).at("/resources/rotator/props");

        assertEquals("3.0.0", YAML.readTree(DIR.resolve("s.yaml").toFile()).path("edition").asText());
        assertTrue(props.path("runtime").asText().startsWith("custom.debian"));
        assertEquals(9000, props.at("/customRuntimeConfig/port").asInt());
        assertEquals("/code/bootstrap", props.at("/customRuntimeConfig/command/0").asText());
        assertTrue(props.at("/instanceLifecycleConfig/initializer").isObject());
        assertTrue(props.at("/instanceLifecycleConfig/preStop").isObject());
        assertTrue(props.at("/asyncInvokeConfig/maxAsyncRetryAttempts").asInt() <= 8);

        JsonNode timer = trigger(props, "timer");
        String cron = timer.at("/triggerConfig/cronExpression").asText().replaceFirst("^CRON_TZ=\\S+ ", "");
        assertEquals(6, cron.split(" ").length, "FC cron has 6 fields: " + cron);
        assertEquals("sweep", new ObjectMapper().readTree(timer.at("/triggerConfig/payload").asText()).path("action")
                .asText());

        JsonNode http = trigger(props, "http");
        assertEquals("function", http.at("/triggerConfig/authType").asText(), "FC must verify signatures first");
        assertEquals(List.of("POST"), texts(http.at("/triggerConfig/methods")));
    }

    @Test
    void bootstrapListensWhereFcSays() throws IOException {
        String bootstrap = Files.readString(DIR.resolve("bootstrap"));
        assertTrue(bootstrap.contains("${FC_CUSTOM_LISTEN_PORT:-9000}"));
        assertTrue(Files.isExecutable(DIR.resolve("bootstrap")));
    }

    @Test
    void ramPolicyGrantsOnlyWhatTheFunctionCalls() throws IOException {
        JsonNode policy = new ObjectMapper().readTree(DIR.resolve("ram-policy.json").toFile());
        Set<String> actions = new HashSet<>();
        policy.path("Statement").forEach(statement -> {
            assertEquals("Allow", statement.path("Effect").asText());
            actions.addAll(texts(statement.path("Action")));
        });
        assertEquals(Set.of("cs:DescribeClusterUserKubeconfig", "cs:DescribeClustersV1"), actions);
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
                "kubeconfig-rotator:events:create", "*:clusters:update", "kubesphere-system:configmaps:get")), grants
                        .toString());
        assertTrue(grants.stream().noneMatch(g -> g.endsWith(":delete") || g.contains("*:secrets")), grants.toString());
        assertTrue(grants.stream().filter(g -> g.startsWith("kubesphere-system:")).allMatch(g -> g.endsWith(":get")));
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
