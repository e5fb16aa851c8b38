package io.ackrotator.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.AckStandInResource;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.HostFront;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes after a sweep: every stored certificate's real dates as gauges, the counters of what
 * happened; and the shipped alert rules, evaluated by Prometheus' own promtool against those samples, fire on a
 * near-expiry cluster and stay silent on a healthy fleet.
 */
@QuarkusTest
@WithTestResource(HostFront.class)
@WithTestResource(AckStandInResource.class)
class MonitoringTest {

    static final String NEAR = "c0e7e1c5000000000000000000000000a";
    static final String HEALTHY = "c0e7e1c5000000000000000000000000b";
    static final Path RULES = Path.of("deploy/monitoring/alerts.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final FakeAck ack = StandIns.ack();

    /** One sample of the text exposition format. */
    record Sample(String name, Map<String, String> labels, double value) {
        String series() {
            StringBuilder text = new StringBuilder(name).append('{');
            labels.forEach((k, v) -> text.append(k).append("=\"").append(v).append("\","));
            return text.append('}').toString().replace(",}", "}");
        }
    }

    static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static List<Sample> scrape(String token) {
        String text = given().header("Authorization", "Bearer " + token).get("/metrics").then().statusCode(200)
                .extract().asString();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    static Optional<Sample> find(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).findFirst();
    }

    @BeforeEach
    void fleet() {
        SecretKubeconfigStore store = new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator");
        for (String id : List.of(NEAR, HEALTHY)) {
            if (!ack.hasCluster(id)) {
                ack.addCluster(id, id.equals(NEAR) ? "monitored-near" : "monitored-healthy");
            }
            store.get(ClusterId.of(id)).ifPresent(entry -> HostFront.client().secrets()
                    .inNamespace("kubeconfig-rotator").withName(SecretKubeconfigStore.secretName(ClusterId.of(id)))
                    .delete());
            Kubeconfig stored = Kubeconfig.parse(ack.cluster(id).seedLongTerm(ack.defaultIdentity().uid(),
                    id.equals(NEAR) ? Duration.ofDays(10) : Duration.ofDays(900), false));
            store.create(ClusterId.of(id), new StoreUpdate(stored, Optional.empty(), AckAccess.PUBLIC,
                    Optional.of(ack.cluster(id).member().kubeSystemUid()), ack.clock().instant()));
        }
        ack.clearFaults();
        // ACK won't hand out the near cluster's new certificate: it stays near expiry whatever the sweep does
        ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(NEAR),
                new FakeAck.Fault.Status(403, "Forbidden.RAM"), 100);
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterIds", List.of(NEAR, HEALTHY))).post("/rotate").then().statusCode(200);
        ack.clearFaults();
    }

    @Test
    void theGaugesAreTheStoredCertificatesRealDates() {
        List<Sample> samples = scrape(StandIns.METRICS_TOKEN);
        for (String id : List.of(NEAR, HEALTHY)) {
            Kubeconfig stored = Kubeconfig.parse(new SecretKubeconfigStore(HostFront.client(), "kubeconfig-rotator")
                    .get(ClusterId.of(id)).orElseThrow().kubeconfig());
            Map<String, String> labels = Map.of("cluster_id", id, "cluster_name", id.equals(NEAR) ? "monitored-near"
                    : "monitored-healthy", "identity", stored.identity().user());
            assertEquals((double) stored.notAfter().getEpochSecond(), find(samples,
                    "ack_kubeconfig_expiration_timestamp_seconds", labels).orElseThrow().value(), id);
            assertEquals((double) stored.identity().notBefore().getEpochSecond(), find(samples,
                    "ack_kubeconfig_not_before_timestamp_seconds", labels).orElseThrow().value(), id);
            assertEquals((double) stored.notAfter().minus(Duration.ofDays(170)).getEpochSecond(), find(samples,
                    "ack_kubeconfig_renewal_timestamp_seconds", labels).orElseThrow().value(), id);
            assertEquals(1.0, find(samples, "ack_kubeconfig_ready_status", Map.of("cluster_id", id,
                    "condition", "True")).orElseThrow().value());
        }
        assertTrue(find(samples, "ack_api_calls_total", Map.of("api", "DescribeClusterUserKubeconfig",
                "result", "forbidden")).orElseThrow().value() >= 1, "ACK calls by API and result");
        assertTrue(find(samples, "ack_kubeconfig_rotations_total", Map.of("action", "failed")).isPresent());
        assertTrue(find(samples, "ack_kubeconfig_sweep_duration_seconds_count", Map.of("status", "completed"))
                .isPresent());
        assertTrue(find(samples, "ack_kubeconfig_last_sweep_timestamp_seconds", Map.of()).orElseThrow().value() > 0);

        given().get("/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).get("/metrics").then().statusCode(403);
        given().header("Authorization", "Bearer " + StandIns.METRICS_TOKEN).contentType(ContentType.JSON)
                .body("{}").post("/status").then().statusCode(403);
        scrape(StandIns.ADMIN_TOKEN);
        given().header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN).get("/q/metrics").then().statusCode(404);
    }

    @Test
    void everyMetricTheRulesAndTheDashboardReadIsExposed() throws Exception {
        given().header("Authorization", "Bearer " + StandIns.CI_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("clusterId", HEALTHY)).post("/issue").then().statusCode(200);
        Set<String> exposed = new HashSet<>();
        scrape(StandIns.ADMIN_TOKEN).forEach(s -> exposed.add(s.name()));
        exposed.add("ack_kubeconfig_kubesphere_copy_current"); // rows only when KubeSphere members are mapped
        exposed.add("ack_kubeconfig_orphaned"); // rows only after an audit found one
        List<String> expressions = new ArrayList<>();
        YAML.readTree(RULES.toFile()).path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> expressions.add(rule.path("expr").asText())));
        new ObjectMapper().readTree(Path.of("deploy/monitoring/dashboard.json").toFile()).path("panels")
                .forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr")
                        .asText())));
        assertTrue(expressions.size() >= 12, expressions.toString());
        Matcher names = Pattern.compile("ack_[a-z_]+").matcher(String.join("\n", expressions));
        while (names.find()) {
            assertTrue(exposed.contains(names.group()), names.group() + " is read but not exposed");
        }
    }

    @Test
    void theAlertRulesFireOnTheNearExpiryClusterAndStaySilentOnAHealthyFleet() throws Exception {
        Optional<Path> promtool = Promtool.find();
        assumeTrue(promtool.isPresent(), "promtool is neither on the PATH nor installable from Debian here");
        List<Sample> samples = scrape(StandIns.METRICS_TOKEN);
        Path dir = Files.createDirectories(Path.of("target/promtool-tests"));
        Path rules = dir.resolve("alerts.yaml");
        Files.copy(RULES, rules, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, Promtool.run(dir, List.of(promtool.get().toAbsolutePath().toString(), "check", "rules",
                "alerts.yaml")), Files.readString(dir.resolve("last-command.log")));

        long now = ack.clock().instant().getEpochSecond();
        String near = identity(samples, NEAR);
        Map<String, Object> fires = new LinkedHashMap<>();
        fires.put("AckKubeconfigExpiresSoon", List.of(Map.of("exp_labels", Map.of("severity", "critical",
                "cluster_id", NEAR, "cluster_name", "monitored-near", "identity", near), "exp_annotations", Map.of(
                "summary", "The stored kubeconfig of cluster monitored-near (" + NEAR + ") expires within 14 days",
                "description", "Identity " + near + "; the sweep should have renewed it long ago: look at its last "
                        + "error in status."))));
        fires.put("AckKubeconfigRenewalOverdue", List.of(Map.of("exp_labels", Map.of("severity", "warning",
                "cluster_id", NEAR, "cluster_name", "monitored-near", "identity", near), "exp_annotations", Map.of(
                "summary", "The kubeconfig of cluster monitored-near (" + NEAR + ") was due for renewal more than 2 "
                        + "days ago"))));
        fires.put("AckKubeconfigNotReady", List.of());
        fires.put("AckKubeconfigSweepStale", List.of());
        Map<String, Object> silent = new LinkedHashMap<>();
        for (String alert : List.of("AckKubeconfigExpiresSoon", "AckKubeconfigRenewalOverdue", "AckKubeconfigNotReady",
                "AckKubeconfigSweepStale", "AckKubeconfigKubeSphereResyncFailing", "AckKubeconfigOrphaned")) {
            silent.put(alert, List.of());
        }
        Map<String, Object> tests = Map.of("rule_files", List.of("alerts.yaml"), "evaluation_interval", "1m",
                "tests", List.of(test(samples, Set.of(NEAR, HEALTHY), now, fires),
                        test(samples, Set.of(HEALTHY), now, silent)));
        Files.writeString(dir.resolve("tests.yaml"), YAML.writeValueAsString(tests));
        int exit = Promtool.run(dir, List.of(promtool.get().toAbsolutePath().toString(), "test", "rules",
                "tests.yaml"));
        assertEquals(0, exit, Files.readString(dir.resolve("last-command.log")));
    }

    static String identity(List<Sample> samples, String cluster) {
        return find(samples, "ack_kubeconfig_expiration_timestamp_seconds", Map.of("cluster_id", cluster))
                .orElseThrow().labels().get("identity");
    }

    /**
     * A promtool test case: the scraped series of {@code clusters} (and the fleet-wide ones) held for 3 hours,
     * timestamps shifted so that promtool's time 0 is the scrape's "now", and the alerts expected after 2 hours.
     */
    static Map<String, Object> test(List<Sample> samples, Set<String> clusters, long now,
            Map<String, Object> expected) {
        List<Map<String, String>> series = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().startsWith("ack_kubeconfig_") || s.name().contains("_total")
                    || s.name().contains("sweep_duration") || (s.labels().containsKey("cluster_id")
                            && !clusters.contains(s.labels().get("cluster_id")))
                    || Double.isNaN(s.value())) {
                continue;
            }
            double value = s.name().endsWith("_timestamp_seconds") ? s.value() - now : s.value();
            series.add(Map.of("series", s.series(), "values", String.format(java.util.Locale.ROOT, "%.0f+0x180",
                    value)));
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        expected.forEach((alert, exp) -> alerts.add(Map.of("eval_time", "2h", "alertname", alert, "exp_alerts", exp)));
        return Map.of("interval", "1m", "input_series", series, "alert_rule_test", alerts);
    }
}
