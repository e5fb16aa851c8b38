package io.ackrotator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.page.ExpiryTimeline;
import io.ackrotator.page.StandaloneTemplates;
import io.ackrotator.page.TimelinePage;
import io.ackrotator.page.TimelinePage.Cell;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.KubeSphereHost;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole lifecycle on an embedded fleet: stand-ins for ACK, member API servers and a KubeSphere host, and the real
 * packaged function configured against them through its environment, driven through its public interfaces.
 * Exits non-zero (throws) when a step did not behave as expected.
 */
public final class Demo {

    static final String CALLER_TOKEN = "demo-ci-token-4a7c1e9b3d5f";
    static final String HOST_JWT = "demo-host-jwt-secret";
    static final Duration RENEW_BEFORE = Duration.ofDays(170);

    /** The fleet: what each cluster is there to show. */
    record Cluster(String id, String name, Duration left, boolean stored, String story) {
    }

    static final List<Cluster> FLEET = List.of(
            new Cluster("c1a2b3c4d5e6f708192a3b4c5d6e7f801", "prod-hangzhou", Duration.ofDays(30), true,
                    "expires in 30 days; KubeSphere member with a drifted jwtSecret"),
            new Cluster("c2b3c4d5e6f708192a3b4c5d6e7f80912", "staging-shanghai", Duration.ofDays(200), true,
                    "200 days left: nothing to do"),
            new Cluster("c3c4d5e6f708192a3b4c5d6e7f8091a23", "legacy-beijing", Duration.ofDays(-12), true,
                    "expired 12 days ago, still listed"),
            new Cluster("c4d5e6f708192a3b4c5d6e7f8091a2b34", "new-team-shenzhen", null, false,
                    "new: not stored yet"),
            new Cluster("c5e6f708192a3b4c5d6e7f8091a2b3c45", "edge-chengdu", Duration.ofDays(20), true,
                    "API server moved: its certificate no longer matches the address"));

    private final Console console;
    private final Path reportPath;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> failures = new ArrayList<>();
    private FunctionProcess function;

    Demo(PrintStream out, boolean colour, Path reportPath) {
        this.console = new Console(out, colour);
        this.reportPath = reportPath;
    }

    public static void main(String[] args) throws Exception {
        List<String> failures = new Demo(System.out, System.console() != null, Path.of("target/demo-report.html"))
                .run();
        // Client event-loop threads may linger; the exit code is the demo's verdict.
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    List<String> run() throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        try (FakeAck ack = FakeAck.start(); KubernetesClient host = kubernetes.createClient()) {
            Instant now = ack.clock().instant();
            Map<String, Instant> before = seed(ack, host);
            console.heading("Starting the function (target/quarkus-app) as Function Compute would");
            Map<String, String> environment = StandIns.packagedFunctionEnvironment(ack,
                    host.getMasterUrl().toString());
            environment.put("ROTATOR_DISCOVER", "true");
            environment.put("ROTATOR_RENEW_BEFORE", "P170D");
            environment.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
            // Caller 'demo-ci': in an environment variable name each '-' of the caller's name is a '_'.
            environment.put("ROTATOR_ISSUE_CALLERS_DEMO_CI_TOKEN_SHA256", StandIns.sha256Hex(CALLER_TOKEN));
            environment.put("ROTATOR_ISSUE_CALLERS_DEMO_CI_CLUSTERS", "*");
            // its own RAM role: the issued kubeconfig carries the role's identity, not the function's
            environment.put("ROTATOR_ISSUE_CALLERS_DEMO_CI_RAM_ROLE_ARN", StandIns.CI_ROLE);
            ack.sts().addRole(new io.ackrotator.standin.FakeSts.Role(StandIns.CI_ROLE, StandIns.CI_ROLE_UID,
                    java.util.Set.of(ack.defaultIdentity().uid())));
            ack.grantOnMembers(StandIns.roleGrants());
            long started = System.nanoTime();
            function = FunctionProcess.start(environment, Duration.ofSeconds(90));
            console.line("listening on port " + function.port() + " after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms; ACK endpoint " + ack.endpoint()
                    + "; KubeSphere host " + host.getMasterUrl());
            try {
                drive(ack, host, now, before);
            } finally {
                function.close();
            }
        } finally {
            kubernetes.destroy();
        }
        console.heading(failures.isEmpty() ? "Every step behaved as expected" : "Unexpected: " + failures);
        return failures;
    }

    /** The fleet in the emulator, its stored kubeconfigs, and the KubeSphere host's Cluster objects. */
    private Map<String, Instant> seed(FakeAck ack, KubernetesClient host) {
        console.heading("The fleet");
        KubeSphereHost kubesphere = new KubeSphereHost(host).install(HOST_JWT);
        SecretKubeconfigStore store = new SecretKubeconfigStore(host, "kubeconfig-rotator");
        Map<String, Instant> before = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        for (Cluster cluster : FLEET) {
            FakeAck.FakeCluster fake = ack.addCluster(cluster.id(), cluster.name());
            if (cluster.stored()) {
                Kubeconfig kubeconfig = Kubeconfig.parse(fake.seedLongTerm(ack.defaultIdentity().uid(),
                        cluster.left(), false));
                store.create(ClusterId.of(cluster.id()), new StoreUpdate(kubeconfig, Optional.empty(),
                        AckAccess.PUBLIC, Optional.of(fake.member().kubeSystemUid()),
                        kubeconfig.identity().notBefore()));
                before.put(cluster.id(), kubeconfig.notAfter());
                if (!cluster.name().startsWith("legacy")) {
                    kubesphere.addDirectMember(cluster.name(), cluster.id(), kubeconfig.text(),
                            fake.member().kubeSystemUid());
                    fake.member().installKubeSphere(cluster.name().startsWith("prod") ? "drifted-member-jwt"
                            : HOST_JWT, "member");
                }
            } else {
                before.put(cluster.id(), null);
            }
            if (cluster.name().startsWith("edge")) {
                fake.member().serveWrongCertificate(true);
            }
            rows.add(List.of(cluster.name(), cluster.id(), cluster.story()));
        }
        kubesphere.addHost("host");
        console.table(List.of("cluster", "ACK cluster ID", "situation"), rows);
        return before;
    }

    private void drive(FakeAck ack, KubernetesClient host, Instant now, Map<String, Instant> before)
            throws Exception {
        console.heading("1. status (POST /status)");
        JsonNode status = post("/status", "{}", "Bearer " + StandIns.ADMIN_TOKEN, 200);
        printStatus(status);
        expect(stateOf(status, FLEET.get(0).id()).equals("due"), "prod-hangzhou is due before the sweep");
        expect(stateOf(status, FLEET.get(2).id()).equals("expired"), "legacy-beijing is expired before the sweep");
        expect(stateOf(status, FLEET.get(3).id()).equals("missing"), "new-team-shenzhen is missing before the sweep");

        console.heading("2. dry-run sweep (POST /invoke, timer trigger, payload {\"action\":\"sweep\",\"dryRun\":true})");
        JsonNode dry = invoke("{\"triggerTime\":\"" + now + "\",\"triggerName\":\"daily-sweep\","
                + "\"payload\":\"{\\\"action\\\":\\\"sweep\\\",\\\"dryRun\\\":true}\"}", "demo-dry-run");
        printSweep(dry.path("result"));
        expect(dry.at("/result/summary/dry-run").asInt() == 4, "the dry run would act on 4 clusters");
        expect(ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).isEmpty(), "the dry run fetched nothing from ACK");

        console.heading("3. sweep (POST /invoke, timer trigger, empty payload)");
        JsonNode sweep = invoke("{\"triggerTime\":\"" + now + "\",\"triggerName\":\"daily-sweep\",\"payload\":\"\"}",
                "demo-sweep");
        printSweep(sweep.path("result"));
        expect(actionOf(sweep, FLEET.get(0).id()).equals("rotated"), "prod-hangzhou rotated");
        expect(actionOf(sweep, FLEET.get(1).id()).equals("ok"), "staging-shanghai left alone");
        expect(actionOf(sweep, FLEET.get(2).id()).equals("rotated"), "legacy-beijing rotated");
        expect(actionOf(sweep, FLEET.get(3).id()).equals("adopted"), "new-team-shenzhen adopted");
        expect(actionOf(sweep, FLEET.get(4).id()).equals("failed")
                && resultOf(sweep, FLEET.get(4).id()).path("message").asText().contains("address changed"),
                "edge-chengdu's moved API server reported, its kubeconfig kept");
        JsonNode prodSync = resultOf(sweep, FLEET.get(0).id()).path("kubesphere").path(0);
        expect(prodSync.path("actions").toString().contains("kubeconfig-updated")
                && prodSync.path("actions").toString().contains("jwtsecret-fixed")
                && prodSync.path("connectivity").asText().equals("ok"),
                "prod-hangzhou's KubeSphere member re-synced: kubeconfig updated, jwtSecret fixed, connectivity ok");

        console.heading("4. status again");
        JsonNode after = post("/status", "{}", "Bearer " + StandIns.ADMIN_TOKEN, 200);
        printStatus(after);
        for (int i : new int[] {0, 1, 2, 3}) {
            expect(stateOf(after, FLEET.get(i).id()).equals("ok"), FLEET.get(i).name() + " is ok after the sweep");
        }

        console.heading("5. a 2-hour kubeconfig for prod-hangzhou (POST /issue, caller demo-ci)");
        JsonNode issued = post("/issue", "{\"clusterId\":\"" + FLEET.get(0).id() + "\",\"validityMinutes\":120}",
                "Bearer " + CALLER_TOKEN, 200);
        console.table(List.of("cluster", "subject", "serial", "expires"), List.of(List.of(
                issued.path("clusterId").asText(), issued.path("subject").asText(), issued.path("serial").asText(),
                issued.path("expiresAt").asText())));
        expect(now.plus(Duration.ofHours(2)).equals(instant(issued.path("expiresAt"))),
                "the kubeconfig expires in exactly 2 hours");
        expect(issued.path("kubeconfig").isTextual(), "the answer carries the kubeconfig");
        expect(issued.path("subject").asText().startsWith("CN=" + StandIns.CI_ROLE_UID + ","),
                "it carries the caller's own role identity, not the function's");

        console.heading("6. using it: kubectl get namespaces");
        List<String> namespaces = issued.path("kubeconfig").isTextual() ? new ApiServerProbe(Duration.ofSeconds(10))
                .probe(Kubeconfig.parse(issued.path("kubeconfig").asText())).namespaces() : List.of();
        console.table(List.of("NAME", "STATUS"), namespaces.stream().map(ns -> List.of(ns, "Active")).toList());
        expect(namespaces.contains("kube-system"), "the issued kubeconfig lists namespaces");

        console.heading("7. the audit record");
        String audit = function.log().lines().filter(line -> line.contains("[io.ac.audit]")).reduce((a, b) -> b)
                .orElse("");
        console.line(audit.substring(Math.max(0, audit.indexOf('{'))));
        expect(audit.contains("\"outcome\":\"issued\"") && audit.contains("\"caller\":\"demo-ci\"")
                && !audit.contains(CALLER_TOKEN), "the issuance is audited, naming the caller and not its token");

        writeReport(now, before, sweep, after);
    }

    private void printStatus(JsonNode status) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode cluster : status.path("clusters")) {
            JsonNode copy = cluster.path("kubesphere").path(0);
            rows.add(List.of(nameOf(cluster.path("clusterId").asText()), cluster.path("subject").asText("-"),
                    date(instant(cluster.path("notAfter"))), cluster.path("daysLeft").asText("-"),
                    console.tone(cluster.path("state").asText()),
                    copy.isMissingNode() ? "-" : console.tone(copy.path("hostCopy").asText())));
        }
        console.table(List.of("cluster", "subject", "expires", "days left", "state", "KubeSphere copy"), rows);
    }

    private void printSweep(JsonNode report) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode result : report.path("results")) {
            JsonNode sync = result.path("kubesphere").path(0);
            rows.add(List.of(nameOf(result.path("clusterId").asText()), date(instant(result.path(
                    "oldNotAfter"))), date(instant(result.path("newNotAfter"))),
                    console.tone(result.path("action").asText()),
                    sync.isMissingNode() ? "-" : console.tone(sync.path("outcome").asText()) + " "
                            + sync.path("actions").toString(),
                    sync.isMissingNode() ? "-" : console.tone(sync.path("connectivity").asText()),
                    result.path("message").asText()));
        }
        console.table(List.of("cluster", "expires (before)", "expires (after)", "action", "KubeSphere sync",
                "connectivity", "message"), rows);
        console.line("summary: " + report.path("summary"));
    }

    private void writeReport(Instant now, Map<String, Instant> before, JsonNode sweep, JsonNode after)
            throws Exception {
        List<ExpiryTimeline.Row> lanes = new ArrayList<>();
        List<TimelinePage.TableRow> table = new ArrayList<>();
        for (Cluster cluster : FLEET) {
            JsonNode result = resultOf(sweep, cluster.id());
            JsonNode sync = result.path("kubesphere").path(0);
            String action = result.path("action").asText();
            Instant afterSweep = instant(clusterOf(after, cluster.id()).path("notAfter"));
            lanes.add(new ExpiryTimeline.Row(cluster.id(), cluster.name(), true, before.get(cluster.id()), afterSweep,
                    action));
            table.add(new TimelinePage.TableRow(cluster.id(), List.of(Cell.of(cluster.id()), Cell.of(cluster.name()),
                    Cell.of(date(before.get(cluster.id()))), Cell.of(date(afterSweep)), Cell.toned(action),
                    Cell.of(sync.isMissingNode() ? "-" : sync.path("outcome").asText() + " " + sync.path("actions")),
                    Cell.of(result.path("message").asText()))));
        }
        long renewed = lanes.stream().filter(r -> r.action().equals("rotated") || r.action().equals("adopted"))
                .count();
        List<String> synced = new ArrayList<>();
        for (JsonNode result : sweep.path("result").path("results")) {
            for (JsonNode sync : result.path("kubesphere")) {
                synced.add(sync.path("cluster").asText() + " " + sync.path("outcome").asText() + " "
                        + sync.path("actions"));
            }
        }
        List<String> summary = List.of(
                renewed + " of " + lanes.size() + " clusters got a new 3-year certificate; " + lanes.stream().filter(
                        r -> r.action().equals("failed")).count() + " failed and kept its working kubeconfig.",
                "KubeSphere members re-synced by the sweep: " + (synced.isEmpty() ? "none" : String.join("; ",
                        synced)) + ".",
                failures.isEmpty() ? "Every step behaved as expected." : "Unexpected: " + failures);
        Files.createDirectories(reportPath.toAbsolutePath().getParent());
        Files.writeString(reportPath, StandaloneTemplates.timeline(new TimelinePage("ack-kubeconfig-rotator demo",
                "Grey bar: certificate before the sweep; coloured bar: after (green renewed, blue untouched, red "
                        + "failed).", now, ExpiryTimeline.of(now, RENEW_BEFORE, lanes), summary, List.of("cluster",
                                "name", "expires before", "expires after", "action", "KubeSphere", "message"),
                table)));
        console.heading("Summary");
        console.line(String.join(" ", summary));
        console.line("Report: " + reportPath.toAbsolutePath());
    }

    private JsonNode invoke(String event, String requestId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/invoke"))
                .header("Content-Type", "application/octet-stream").header("x-fc-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        expect(response.statusCode() == 200, "/invoke answered " + response.statusCode());
        return json.readTree(response.body());
    }

    private JsonNode post(String path, String body, String authorization, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        expect(response.statusCode() == expected, path + " answered " + response.statusCode());
        return json.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + function.port() + path);
    }

    private void expect(boolean condition, String what) {
        console.line((condition ? console.paint("32", "  ✓ ") : console.paint("31", "  ✗ ")) + what);
        if (!condition) {
            failures.add(what);
        }
    }

    private static JsonNode clusterOf(JsonNode status, String id) {
        for (JsonNode cluster : status.path("clusters")) {
            if (cluster.path("clusterId").asText().equals(id)) {
                return cluster;
            }
        }
        return json().missingNode();
    }

    private static JsonNode resultOf(JsonNode invoke, String id) {
        for (JsonNode result : invoke.path("result").path("results")) {
            if (result.path("clusterId").asText().equals(id)) {
                return result;
            }
        }
        return json().missingNode();
    }

    private static String stateOf(JsonNode status, String id) {
        return clusterOf(status, id).path("state").asText();
    }

    private static String actionOf(JsonNode invoke, String id) {
        return resultOf(invoke, id).path("action").asText();
    }

    private static String nameOf(String id) {
        return FLEET.stream().filter(c -> c.id().equals(id)).map(Cluster::name).findFirst().orElse(id);
    }

    private static String date(Instant instant) {
        return instant == null ? "-" : java.time.LocalDate.ofInstant(instant, java.time.ZoneOffset.UTC).toString();
    }

    private static Instant instant(JsonNode value) {
        return value == null || !value.isTextual() ? null : Instant.parse(value.asText());
    }

    private static ObjectMapper json() {
        return new ObjectMapper();
    }
}
