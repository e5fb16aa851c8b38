package io.ackrotator.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.issuance.CallerQuota;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployment of deploy/fc/s.yaml, run here: the packaged function started with the environment s.yaml gives
 * each of its two functions (only the cloud's addresses and the token placeholders replaced by the stand-ins'), and
 * driven exactly as the README documents: its curl examples, run by bash and curl, against the HTTP function.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DeploymentIT {

    static final String CLUSTER = "c5ea1000000000000000000000000000d";
    static final String ACCOUNT = "1234567890123456";
    static final String CI_ROLE = "acs:ram::" + ACCOUNT + ":role/ack-kubeconfig-ci";
    KubernetesClient client;
    FakeAck ack;
    io.ackrotator.standin.KubernetesFaultProxy host;
    final List<FunctionProcess> functions = new ArrayList<>();

    @BeforeEach
    void standIns() {
        ack = FakeAck.start();
        ack.addCluster(CLUSTER, "deployed");
        // s.yaml's caller role, in the account the test stands in for, trusting the function; its RBAC on members
        ack.sts().addRole(new io.ackrotator.standin.FakeSts.Role(CI_ROLE, StandIns.CI_ROLE_UID,
                java.util.Set.of(ack.defaultIdentity().uid())));
        ack.grantOnMembers(StandIns.roleGrants());
        // the function meets the host as deploy/fc/host-rbac.yaml lets it; the test arranges and checks directly
        host = io.ackrotator.standin.KubernetesFaultProxy.hostOf(java.net.URI.create(client.getMasterUrl()
                .toString()));
    }

    @AfterEach
    void stop() throws Exception {
        for (FunctionProcess function : functions) {
            function.close();
        }
        ack.close();
        host.close();
    }

    /** s.yaml's environment of the function whose triggers include {@code triggerType}, pointed at the stand-ins. */
    Map<String, String> environmentOf(String triggerType) throws IOException {
        JsonNode spec = DeployFilesTest.YAML.readTree(DeployFilesTest.DIR.resolve("s.yaml").toFile());
        JsonNode props = DeployFilesTest.functionWithTrigger(spec, triggerType);
        String region = spec.at("/vars/region").asText();
        Map<String, String> env = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = props.path("environmentVariables").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> variable = it.next();
            env.put(variable.getKey(), variable.getValue().asText().replace("${vars.region}", region)
                    .replace("${config('AccountID')}", ACCOUNT)
                    .replace("replace-with-sha256-of-your-admin-token", StandIns.sha256Hex(StandIns.ADMIN_TOKEN))
                    .replace("replace-with-sha256-of-the-ci-token", StandIns.sha256Hex(StandIns.CI_TOKEN))
                    .replace("replace-with-sha256-of-the-scrape-token", StandIns.sha256Hex(StandIns.METRICS_TOKEN)));
        }
        // The cloud's side, as the stand-ins provide it: ACK's endpoint and the function role's credentials, and the
        // host cluster (on FC reached through ROTATOR_HOST_ACK_CLUSTER_ID; here the Kubernetes mock).
        env.remove("ROTATOR_HOST_ACK_CLUSTER_ID");
        env.remove("ROTATOR_HOST_ACCESS");
        Map<String, String> cloud = StandIns.packagedFunctionEnvironment(ack, host.url());
        cloud.remove("ROTATOR_FACE");
        env.putAll(cloud);
        return env;
    }

    FunctionProcess start(Map<String, String> env) throws IOException, InterruptedException {
        FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60));
        functions.add(function);
        return function;
    }

    /** The README's curl commands, each with its continuation lines, in the order the README gives them. */
    static List<String> readmeCurlExamples() throws IOException {
        List<String> examples = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (current != null) {
                current.append('\n').append(line);
            } else if (line.startsWith("curl ")) {
                current = new StringBuilder(line);
            }
            if (current != null && !line.endsWith("\\")) {
                examples.add(current.toString());
                current = null;
            }
        }
        return examples;
    }

    @Test
    void theReadmesCurlExamplesWorkAgainstTheHttpFunction() throws Exception {
        Map<String, String> env = environmentOf("http");
        assertEquals("http", env.get("ROTATOR_FACE"), "the HTTP function refuses /invoke");
        FunctionProcess function = start(env);
        List<String> examples = readmeCurlExamples();
        assertTrue(examples.size() >= 4, "the README documents status, the status page, rotate and issue: "
                + examples);

        Path workdir = Files.createTempDirectory("readme");
        for (String example : examples) {
            ProcessBuilder bash = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + example)
                    .directory(workdir.toFile()).redirectErrorStream(true);
            bash.environment().put("URL", "http://127.0.0.1:" + function.port());
            bash.environment().put("ADMIN_TOKEN", StandIns.ADMIN_TOKEN);
            bash.environment().put("CI_TOKEN", StandIns.CI_TOKEN);
            bash.environment().put("METRICS_TOKEN", StandIns.METRICS_TOKEN);
            bash.environment().put("CLUSTER_ID", CLUSTER);
            Process process = bash.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), example + "\n" + output);
            assertTrue(!output.contains("\"error\""), example + "\n" + output);
        }
        Kubeconfig issued = Kubeconfig.parse(Files.readString(workdir.resolve("kubeconfig")));
        assertEquals(ack.cluster(CLUSTER).member().kubeSystemUid(),
                new ApiServerProbe(Duration.ofSeconds(5)).probe(issued).kubeSystemUid(), "the issued kubeconfig works");
        assertTrue(Files.readString(workdir.resolve("status.html")).contains("<svg"), "the status page");
        assertTrue(Files.readString(workdir.resolve("metrics.txt")).contains("ack_kubeconfig_last_sweep_timestamp_seconds"),
                "Prometheus' scrape with the scrape token");

        given().port(function.port()).contentType("application/json").body("{\"action\":\"status\"}")
                .post("/invoke").then().statusCode(403);
    }

    @Test
    void theEventFunctionServesFcEventsAtInvoke() throws Exception {
        Map<String, String> env = environmentOf("timer");
        assertEquals("event", env.get("ROTATOR_FACE"));
        env.put("ROTATOR_CLUSTERS", CLUSTER);
        FunctionProcess function = start(env);

        JsonNode timer = DeployFilesTest.trigger(DeployFilesTest.functionWithTrigger(DeployFilesTest.YAML.readTree(
                DeployFilesTest.DIR.resolve("s.yaml").toFile()), "timer"), "timer");
        String event = "{\"triggerTime\":\"2026-12-01T03:00:00Z\",\"triggerName\":\"daily-sweep\",\"payload\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                        timer.at("/triggerConfig/payload").asText()) + "}";
        given().port(function.port()).header("Content-Type", "application/octet-stream")
                .header("x-fc-request-id", "deploy-it-timer").body(event.getBytes(StandardCharsets.UTF_8))
                .post("/invoke").then().statusCode(200)
                .body("action", equalTo("sweep"))
                .body("result.results[0].action", equalTo("adopted"));
        given().port(function.port()).contentType("application/json").body("{}").post("/status").then()
                .statusCode(401);
    }

    @Test
    void theCallerLimitHoldsAcrossInstances() throws Exception {
        Map<String, String> env = environmentOf("http");
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_BOT_TOKEN_SHA256", StandIns.sha256Hex(StandIns.BURST_TOKEN));
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_BOT_CLUSTERS", CLUSTER);
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_BOT_MAX_PER_HOUR", "3");
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_BOT_IDENTITY", "function");
        List<FunctionProcess> instances = List.of(start(env), start(env));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(given().port(instances.get(i % 2).port()).contentType("application/json")
                    .header("Authorization", "Bearer " + StandIns.BURST_TOKEN)
                    .header("X-Forwarded-For", "203.0.113.7")
                    .body("{\"clusterId\":\"" + CLUSTER + "\",\"validityMinutes\":30}").post("/issue")
                    .then().extract().statusCode());
        }

        assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(5, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        assertEquals("3", client.configMaps().inNamespace("kubeconfig-rotator")
                .withName(CallerQuota.PREFIX + "deploy-bot").get().getData().get("count"));
        assertEquals(3, ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size(), "ACK asked only for the 3 granted");
        assertEquals(List.of(), host.refused(), "all within the shipped host RBAC");
        String log = instances.get(0).log();
        assertTrue(log.contains("\"caller\":\"deploy-bot\"") && log.contains("\"sourceIp\":\"203.0.113.7\""),
                "the audit names the hyphenated caller and the client's address as FC's gateway forwards it");
    }

    @Test
    void aMisspeltEnvironmentVariableFailsStartUpNamingTheNearestOne() throws Exception {
        Map<String, String> env = environmentOf("http");
        env.put("ROTATOR_RENEW_BEFOR", "P400D");
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> FunctionProcess.start(env, Duration.ofSeconds(60)));
        assertTrue(failed.getMessage().contains("unknown environment variable ROTATOR_RENEW_BEFOR (did you mean "
                + "ROTATOR_RENEW_BEFORE?)"), failed.getMessage());
    }
}
