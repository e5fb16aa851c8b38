package io.ackrotator.fc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeSts;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.OidcIssuers;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Least privilege end to end, on the packaged function configured by environment only as on FC: each caller's
 * kubeconfig carries its own role's identity, the real kubectl can do exactly what that role's RBAC allows,
 * {@code revoke-issued} kills one caller's certificates and nothing else, and a CI job with only its OIDC ID token
 * (no bearer token configured anywhere) gets a kubeconfig of its own role.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class IssuedIdentitiesIT {

    static final String CLUSTER = "c1dent1t1e500000000000000000000a";
    KubernetesClient client;
    FakeAck ack;
    OidcIssuers oidc;
    FunctionProcess function;
    Path home;

    @BeforeEach
    void start() throws Exception {
        ack = FakeAck.start();
        ack.addCluster(CLUSTER, "identities");
        String functionUid = ack.defaultIdentity().uid();
        ack.sts().addRole(new FakeSts.Role(StandIns.CI_ROLE, StandIns.CI_ROLE_UID, Set.of(functionUid)))
                .addRole(new FakeSts.Role(StandIns.TEAM_A_ROLE, StandIns.TEAM_A_ROLE_UID, Set.of(functionUid)))
                .addRole(new FakeSts.Role(StandIns.DEPLOY_ROLE, StandIns.DEPLOY_ROLE_UID, Set.of(functionUid)));
        ack.grantOnMembers(StandIns.roleGrants());
        oidc = new OidcIssuers();

        Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, client.getMasterUrl().toString());
        env.put("ROTATOR_CLUSTERS", CLUSTER);
        env.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
        env.put("ROTATOR_ISSUE_CALLERS_CI_TOKEN_SHA256", StandIns.sha256Hex(StandIns.CI_TOKEN));
        env.put("ROTATOR_ISSUE_CALLERS_CI_CLUSTERS", "*");
        env.put("ROTATOR_ISSUE_CALLERS_CI_RAM_ROLE_ARN", StandIns.CI_ROLE);
        env.put("ROTATOR_ISSUE_CALLERS_TEAM_A_TOKEN_SHA256", StandIns.sha256Hex(StandIns.TEAM_A_TOKEN));
        env.put("ROTATOR_ISSUE_CALLERS_TEAM_A_CLUSTERS", CLUSTER);
        env.put("ROTATOR_ISSUE_CALLERS_TEAM_A_RAM_ROLE_ARN", StandIns.TEAM_A_ROLE);
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_CLUSTERS", CLUSTER);
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_RAM_ROLE_ARN", StandIns.DEPLOY_ROLE);
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_ISSUER", oidc.issuer("github").url());
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_AUDIENCE", StandIns.OIDC_AUDIENCE);
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_CLAIMS", "repository=octo-org/deploy,ref=refs/heads/main");
        env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_CA_FILE", oidc.caFile().toString());
        function = FunctionProcess.start(env, Duration.ofSeconds(60));
        home = Files.createTempDirectory("kubectl-home");
    }

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.close();
        }
        oidc.close();
        ack.close();
    }

    Kubeconfig issue(String token) {
        return Kubeconfig.parse(given().port(function.port()).header("Authorization", "Bearer " + token)
                .contentType("application/json").body(Map.of("clusterId", CLUSTER, "validityMinutes", 30))
                .post("/issue").then().statusCode(200).extract().<String>path("kubeconfig"));
    }

    /** The real kubectl with {@code kubeconfig}; its exit code and output. */
    record Kubectl(int exit, String output) {
    }

    Kubectl kubectl(Kubeconfig kubeconfig, String... args) throws Exception {
        return kubectl(kubeconfig.text(), Map.of(), args);
    }

    Kubectl kubectl(String kubeconfig, Map<String, String> environment, String... args) throws Exception {
        Path file = Files.createTempFile(home, "kubeconfig", "");
        Files.writeString(file, kubeconfig);
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", file.toString(), "--cache-dir",
                home.resolve("cache").toString(), "--request-timeout", "20s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Kubectl(process.exitValue(), output);
    }

    void allowed(Kubeconfig kubeconfig, String... args) throws Exception {
        Kubectl result = kubectl(kubeconfig, args);
        assertEquals(0, result.exit(), String.join(" ", args) + ": " + result.output());
    }

    void refused(Kubeconfig kubeconfig, String expected, String... args) throws Exception {
        Kubectl result = kubectl(kubeconfig, args);
        assertTrue(result.exit() != 0 && result.output().contains(expected),
                String.join(" ", args) + ": " + result.output());
    }

    @Test
    void eachCallerHasItsOwnIdentityAndRevokingOneLeavesTheRest() throws Exception {
        given().port(function.port()).header("Content-Type", "application/octet-stream")
                .body("{\"triggerTime\":\"2026-12-01T03:00:00Z\",\"triggerName\":\"daily\",\"payload\":\"\"}".getBytes())
                .post("/invoke").then().statusCode(200).body("result.results[0].action", equalTo("adopted"));
        Kubeconfig stored = Kubeconfig.parse(new SecretKubeconfigStore(client, "kubeconfig-rotator")
                .get(ClusterId.of(CLUSTER)).orElseThrow().kubeconfig());

        Kubeconfig ci = issue(StandIns.CI_TOKEN);
        Kubeconfig team = issue(StandIns.TEAM_A_TOKEN);
        Kubeconfig deploy = issue(oidc.issuer("github").token(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB));
        assertEquals(List.of(StandIns.CI_ROLE_UID, StandIns.TEAM_A_ROLE_UID, StandIns.DEPLOY_ROLE_UID),
                List.of(ci.identity().user(), team.identity().user(), deploy.identity().user()), "three CNs");
        assertEquals(ack.defaultIdentity().uid(), stored.identity().user(), "the fleet's is the function's");

        allowed(ci, "get", "namespaces");
        allowed(ci, "get", "pods", "-n", "team-a");
        refused(ci, "Forbidden", "get", "secrets", "-n", "team-a");
        refused(ci, "Forbidden", "get", "pods", "-n", "team-b");
        allowed(team, "get", "pods", "-n", "team-a");
        refused(team, "Forbidden", "get", "namespaces");
        allowed(deploy, "get", "pods", "-n", "team-b");
        refused(deploy, "Forbidden", "get", "pods", "-n", "team-a");

        given().port(function.port()).header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .contentType("application/json").body(Map.of("caller", "ci", "clusterId", CLUSTER))
                .post("/revoke-issued").then().statusCode(200).body("status", equalTo("revoked"));

        refused(ci, "Unauthorized", "get", "namespaces");
        allowed(team, "get", "pods", "-n", "team-a");
        allowed(deploy, "get", "pods", "-n", "team-b");
        assertEquals(ack.cluster(CLUSTER).member().kubeSystemUid(),
                new ApiServerProbe(Duration.ofSeconds(5)).probe(stored).kubeSystemUid(), "the fleet's still works");
        Kubeconfig again = issue(StandIns.CI_TOKEN);
        allowed(again, "get", "namespaces");

        // kubectl with an exec kubeconfig: the plugin (sh + curl) fetches a fresh certificate from /credential with
        // the caller's token from the environment, and fetches another once the first expired, no manual step
        String exec = given().port(function.port()).header("Authorization", "Bearer " + StandIns.TEAM_A_TOKEN)
                .contentType("application/json").body(Map.of("clusterId", CLUSTER, "validityMinutes", 30,
                        "format", "exec")).post("/issue").then().statusCode(200).extract().path("kubeconfig");
        assertTrue(!exec.contains(StandIns.TEAM_A_TOKEN) && !exec.contains("client-key-data"), "no secret in it");
        Map<String, String> token = Map.of("ACK_KUBECONFIG_ROTATOR_TOKEN", StandIns.TEAM_A_TOKEN);
        int describes = ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size();
        Kubectl first = kubectl(exec, token, "get", "pods", "-n", "team-a");
        assertEquals(0, first.exit(), first.output());
        int afterFirst = ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size();
        assertTrue(afterFirst > describes, "the plugin fetched a certificate");
        ack.clock().advance(Duration.ofMinutes(31)); // the first certificate expired on the member's clock
        Kubectl second = kubectl(exec, token, "get", "pods", "-n", "team-a");
        assertEquals(0, second.exit(), second.output());
        assertTrue(ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).size() > afterFirst, "and a fresh one after");

        String log = function.log();
        assertTrue(!log.contains(StandIns.CI_TOKEN) && !log.contains(StandIns.ADMIN_TOKEN), "no token in the log");
    }
}
