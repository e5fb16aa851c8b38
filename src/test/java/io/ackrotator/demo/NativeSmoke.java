package io.ackrotator.demo;

import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeSts;
import io.ackrotator.standin.OidcIssuers;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * native/check.sh's run stage: starts a build of the function (the native binary) against the stand-ins and drives
 * it through /initialize, status and sweeps via /invoke, so the SDK's signing and HTTP run in the binary. Prints
 * start-up time and RSS; exits non-zero when a step fails. Usage: NativeSmoke &lt;command...&gt;.
 */
public final class NativeSmoke {

    static final String CLUSTER = "c0a71e00000000000000000000000001";

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        List<String> failures = new ArrayList<>();
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        try (FakeAck ack = FakeAck.start(); KubernetesClient host = kubernetes.createClient();
                OidcIssuers oidc = new OidcIssuers()) {
            ack.addCluster(CLUSTER, "native");
            ack.sts().addRole(new FakeSts.Role(StandIns.DEPLOY_ROLE, StandIns.DEPLOY_ROLE_UID,
                    java.util.Set.of(ack.defaultIdentity().uid())));
            Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, host.getMasterUrl().toString());
            env.put("ROTATOR_CLUSTERS", CLUSTER);
            env.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
            env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_CLUSTERS", CLUSTER);
            env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_RAM_ROLE_ARN", StandIns.DEPLOY_ROLE);
            env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_ISSUER", oidc.issuer("github").url());
            env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_AUDIENCE", StandIns.OIDC_AUDIENCE);
            env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_CLAIMS", "repository=octo-org/deploy");
            env.put("ROTATOR_ISSUE_CALLERS_DEPLOY_OIDC_CA_FILE", oidc.caFile().toString());
            long launched = System.nanoTime();
            try (FunctionProcess function = FunctionProcess.start(List.of(args), env, Duration.ofSeconds(30))) {
                long initializeMs = (System.nanoTime() - launched) / 1_000_000;
                HttpClient http = HttpClient.newHttpClient();
                int anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port()
                        + "/status")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                check(anonymous == 401, "status without a token is refused (Quarkus Security, natively)", failures);
                String status = post(http, function, "/status", "{}", failures);
                long statusMs = (System.nanoTime() - launched) / 1_000_000;
                check(status.contains("\"state\":\"missing\""), "status lists the configured cluster as missing",
                        failures);
                String dry = post(http, function, "/invoke",
                        "{\"triggerTime\":\"t\",\"triggerName\":\"n\",\"payload\":\"{\\\"action\\\":\\\"sweep\\\","
                                + "\\\"dryRun\\\":true}\"}", failures);
                check(dry.contains("\"dry-run\":1"), "a dry-run sweep through /invoke", failures);
                String sweep = post(http, function, "/invoke",
                        "{\"triggerTime\":\"t\",\"triggerName\":\"n\",\"payload\":\"\"}", failures);
                check(sweep.contains("\"adopted\":1") && ack.rejectedSignatures() == 0,
                        "a real sweep: the SDK signed an accepted DescribeClusterUserKubeconfig, verified and stored",
                        failures);
                String idToken = oidc.issuer("github").token(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB);
                HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + function.port() + "/issue")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + idToken)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"clusterId\":\"" + CLUSTER + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                check(issued.statusCode() == 200 && issued.body().contains(StandIns.DEPLOY_ROLE_UID),
                        "an OIDC caller's ID token (JWKS over HTTPS, SmallRye JWT) got a kubeconfig of its role "
                                + "(STS AssumeRole signed natively): " + issued.statusCode(), failures);
                int forged = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port()
                        + "/issue")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + oidc.issuer("github").signWithUnpublishedKey(
                                oidc.issuer("github").claims(StandIns.OIDC_AUDIENCE, StandIns.DEPLOY_JOB,
                                        java.time.Instant.now(), java.time.Instant.now().plusSeconds(300),
                                        java.time.Instant.now()), "forged"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"clusterId\":\"" + CLUSTER + "\"}")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                check(forged == 401, "an ID token signed with an unpublished key is refused", failures);
                String audit = post(http, function, "/audit", "{}", failures);
                check(audit.contains("\"failedClusters\":[]") && audit.contains(ack.defaultIdentity().uid()),
                        "the fleet audit listed the cluster's identities (ListClusterKubeconfigStates signed)",
                        failures);
                String kept = post(http, function, "/status", "{}", failures);
                check(kept.contains("\"lastAudit\""), "status reads the audit's flags kept in the host (JSON "
                        + "records both ways, natively)", failures);
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + function.port() + "/metrics")).header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                check(metrics.statusCode() == 200 && metrics.body().contains(
                        "ack_kubeconfig_expiration_timestamp_seconds{cluster_id=\"" + CLUSTER + "\"")
                        && metrics.body().contains("ack_api_calls_total{"),
                        "Prometheus metrics: the stored certificate's gauge and the ACK call counters, natively",
                        failures);
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + function.port() + "/status?format=html")).header("Authorization", "Bearer "
                        + StandIns.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
                check(page.statusCode() == 200 && page.body().contains("data-cluster=\"" + CLUSTER
                        + "\" data-bar=\"after\"") && page.body().contains("<td>notifications off</td>"),
                        "the status page renders through Qute's build-time resolvers, natively", failures);
                long[] rss = function.rssMiB();
                System.out.printf("native: first /initialize %d ms, first status %d ms, RSS %d MiB (peak %d MiB)%n",
                        initializeMs, statusMs, rss[0], rss[1]);
                if (!failures.isEmpty()) {
                    System.out.println(function.log());
                }
            }
        } finally {
            kubernetes.destroy();
        }
        System.out.println(failures.isEmpty() ? "native smoke: every step passed" : "native smoke FAILED: " + failures);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static String post(HttpClient http, FunctionProcess function, String path, String body,
            List<String> failures) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + function.port() + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).header("x-fc-request-id", "native-smoke")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        check(response.statusCode() == 200, path + " answered " + response.statusCode(), failures);
        return response.body();
    }

    private static void check(boolean condition, String what, List<String> failures) {
        System.out.println((condition ? "  ok   " : "  FAIL ") + what);
        if (!condition) {
            failures.add(what);
        }
    }
}
