package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.fc.SweptFleet.Target;

import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.HttpFault;
import io.ackrotator.standin.KubernetesFaultProxy;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix: for each step of a rotation and re-sync, each fault the cloud side can throw at it, injected into
 * the stand-ins while the packaged function sweeps. After each sweep: every cluster holds a stored kubeconfig that
 * works (the old one or the new one), every KubeSphere Cluster points at a working kubeconfig, the report names the
 * failure, and a fault-free sweep converges. A second cluster in the same sweep, not targeted, proves one broken
 * cluster never stops the others. The matrix is written to target/fault-matrix.md.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FaultMatrixIT {

    static final Duration HOLD = Duration.ofMillis(2500);

    enum Fault {
        NONE("none"), TIMEOUT("timeout"), RESET("reset"), E500("500"), E503("503"), THROTTLED("throttled"),
        CONFLICT("409"), MALFORMED("malformed"), TRUNCATED("truncated");

        final String column;

        Fault(String column) {
            this.column = column;
        }
    }

    enum Step {
        LIST_ACK("list clusters (ACK)"), LIST_STORE("list the store"), FETCH("fetch kubeconfig (ACK)"),
        VERIFY("verify against member"), WRITE_STORE("write store Secret"), UPDATE_CLUSTER("update KubeSphere Cluster"),
        FIX_JWT("fix member jwtSecret"), WRITE_EVENT("write Event"), LEASE_TAKE("take the Lease"),
        LEASE_RELEASE("release the Lease");

        final String title;

        Step(String title) {
            this.title = title;
        }

        Set<Fault> faults() {
            EnumSet<Fault> all = EnumSet.complementOf(EnumSet.of(Fault.NONE));
            return switch (this) {
                case LIST_ACK, FETCH -> EnumSet.complementOf(EnumSet.of(Fault.NONE, Fault.CONFLICT));
                case LIST_STORE, VERIFY -> EnumSet.complementOf(EnumSet.of(Fault.NONE, Fault.CONFLICT,
                        Fault.TRUNCATED));
                default -> all;
            };
        }
    }

    record Cell(Step step, Fault fault, String outcome, List<String> violations) {
    }

    KubernetesClient client;

    @Test
    void everyStepSurvivesEveryFaultAndTheNextSweepConverges() throws Exception {
        List<Cell> cells = new ArrayList<>();
        try (FakeAck ack = FakeAck.start();
                KubernetesFaultProxy proxy = KubernetesFaultProxy.hostOf(URI.create(client.getMasterUrl().toString()))) {
            SweptFleet fleet = new SweptFleet(ack, client);
            Map<String, String> env = SweptFleet.environment(ack, proxy.url());
            HttpClient http = HttpClient.newHttpClient();
            try (FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60))) {
                cells.add(run(fleet, ack, proxy, function, http, Step.LIST_STORE, Fault.NONE));
                for (Step step : Step.values()) {
                    for (Fault fault : step.faults()) {
                        cells.add(run(fleet, ack, proxy, function, http, step, fault));
                    }
                }
            }
        }
        Path report = writeMatrix(cells);
        List<String> violations = cells.stream().flatMap(c -> c.violations().stream()
                .map(v -> c.step().title + " × " + c.fault().column + ": " + v)).toList();
        assertTrue(violations.isEmpty(), "fault matrix (" + report + ") has violations:\n"
                + String.join("\n", violations));
    }

    Cell run(SweptFleet fleet, FakeAck ack, KubernetesFaultProxy proxy, FunctionProcess function, HttpClient http,
            Step step, Fault fault) throws Exception {
        Target a = fleet.add();
        Target b = fleet.add();
        List<String> violations = new ArrayList<>();

        inject(ack, proxy, a, step, fault);
        HttpResponse<String> first = http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers.ofString());
        ack.clearFaults();
        proxy.reset();
        a.cluster().member().faults().clear();

        String outcome = outcome(first, a, b);
        for (Target t : List.of(a, b)) {
            violations.addAll(fleet.damage(t));
        }
        if (fault == Fault.NONE ? namesAFailure(first.body()) : !namesAFailure(first.body())) {
            violations.add((fault == Fault.NONE ? "a clean sweep reported a failure: "
                    : "the report does not name the failure: ") + first.statusCode() + " " + first.body());
        }
        if (first.body().contains("\"status\":\"completed\"")
                && !"rotated".equals(SweptFleet.action(SweptFleet.report(first.body()), b))) {
            violations.add("the untargeted cluster was not rotated: " + first.body());
        }

        HttpResponse<String> second = SweptFleet.sweepUntilLeaseIsFree(function, http);
        if (second.statusCode() != 200 || namesAFailure(second.body())) {
            violations.add("the fault-free sweep did not run cleanly: " + second.statusCode() + " " + second.body());
        }
        for (Target t : List.of(a, b)) {
            fleet.converged(t).ifPresent(violations::add);
        }
        fleet.remove(a, b);
        return new Cell(step, fault, outcome, violations);
    }

    void inject(FakeAck ack, KubernetesFaultProxy proxy, Target a, Step step, Fault fault) {
        if (fault == Fault.NONE) {
            return;
        }
        long always = 1_000;
        switch (step) {
            case LIST_ACK -> ack.failing(FakeAck.Operation.LIST_CLUSTERS, ackFault(fault), always);
            case FETCH -> ack.failing(FakeAck.Operation.DESCRIBE_KUBECONFIG, Optional.of(a.id().value()),
                    ackFault(fault), always);
            case VERIFY -> a.cluster().member().faults().add("GET", "/api/v1/namespaces", httpFault(fault), always);
            case FIX_JWT -> a.cluster().member().faults().add("PUT", ".*/ks-installer", httpFault(fault), always);
            case LIST_STORE -> proxy.faults().add("GET", "/api/v1/namespaces/" + SweptFleet.NAMESPACE + "/secrets",
                    httpFault(fault), always);
            case WRITE_STORE -> proxy.faults().add("PUT", "/api/v1/namespaces/" + SweptFleet.NAMESPACE + "/secrets/"
                    + SecretKubeconfigStore.secretName(a.id()), httpFault(fault), always);
            case UPDATE_CLUSTER -> proxy.faults().add("PUT", "/apis/cluster.kubesphere.io/v1alpha1/clusters/"
                    + a.member(), httpFault(fault), always);
            case WRITE_EVENT -> proxy.faults().add("POST", "/apis/events.k8s.io/v1/namespaces/[^/]+/events",
                    httpFault(fault), always);
            case LEASE_TAKE -> proxy.faults().add("PUT", ".*/leases/.*", httpFault(fault), always);
            // The Lease is read and written once to take it, then read and written to give it back.
            case LEASE_RELEASE -> proxy.faults().add("PUT", ".*/leases/.*", httpFault(fault), 1, always);
        }
    }

    static FakeAck.Fault ackFault(Fault fault) {
        return switch (fault) {
            case TIMEOUT -> new FakeAck.Fault.Delay(HOLD);
            case RESET -> new FakeAck.Fault.Reset();
            case E500 -> new FakeAck.Fault.Status(500, "InternalError");
            case E503 -> FakeAck.Fault.serverError();
            case THROTTLED -> FakeAck.Fault.throttling();
            case MALFORMED -> new FakeAck.Fault.Malformed("<html><body>502 Bad Gateway</body></html>");
            case TRUNCATED -> new FakeAck.Fault.Malformed("{\"config\":\"apiVersion: v1\\nclusters:\\n- cluster:");
            default -> throw new IllegalArgumentException(fault.name());
        };
    }

    static HttpFault httpFault(Fault fault) {
        return switch (fault) {
            case TIMEOUT -> HttpFault.timeout(HOLD);
            case RESET -> HttpFault.reset();
            case E500 -> HttpFault.status(500);
            case E503 -> HttpFault.status(503);
            case THROTTLED -> HttpFault.status(429);
            case CONFLICT -> HttpFault.status(409);
            case MALFORMED -> HttpFault.malformed();
            case TRUNCATED -> HttpFault.truncated();
            default -> throw new IllegalArgumentException(fault.name());
        };
    }

    /** The words a report uses when something went wrong; a clean sweep uses none of them. */
    static boolean namesAFailure(String body) {
        return List.of("\"action\":\"failed\"", "\"outcome\":\"failed\"", "\"error\":", "not written",
                "not updated", "not checked", "could not", "sweep-in-progress", "failed:").stream()
                .anyMatch(body::contains)
                || !body.contains("\"warnings\":[]");
    }

    static String outcome(HttpResponse<String> response, Target a, Target b) {
        if (response.statusCode() != 200) {
            return "sweep refused (" + response.statusCode() + "): "
                    + JsonPath.from(response.body()).getString("error");
        }
        JsonPath report = SweptFleet.report(response.body());
        String resultOfA = "results.find { it.clusterId == '" + a.id().value() + "' }";
        StringBuilder text = new StringBuilder("A ").append(SweptFleet.action(report, a));
        if (!report.getString("status").equals("completed")) {
            return "sweep skipped: " + String.join("; ", report.<String>getList("warnings"));
        }
        if ("failed".equals(report.getString(resultOfA + ".action"))
                || String.valueOf(report.getString(resultOfA + ".message")).contains("not written")) {
            text.append(": ").append(report.getString(resultOfA + ".message"));
        }
        List<Map<String, Object>> sync = report.getList(resultOfA + ".kubesphere");
        if (sync != null) {
            for (Map<String, Object> member : sync) {
                text.append("; member ").append(member.get("outcome"));
                if (!"synced".equals(member.get("outcome")) || String.valueOf(member.get("message")).contains("not ")) {
                    text.append(": ").append(member.get("message"));
                }
            }
        }
        List<String> warnings = report.getList("warnings");
        if (!warnings.isEmpty()) {
            text.append("; warnings: ").append(String.join("; ", warnings));
        }
        text.append("; B ").append(SweptFleet.action(report, b));
        return text.toString();
    }

    static Path writeMatrix(List<Cell> cells) throws IOException {
        List<Fault> columns = List.of(Fault.values()).subList(1, Fault.values().length);
        StringBuilder md = new StringBuilder("# Fault matrix\n\nGenerated by `FaultMatrixIT` (`./mvnw -B verify`) on ")
                .append(Instant.now()).append(". Each cell: the packaged function sweeps two due clusters (A targeted "
                        + "by the fault, B not) with KubeSphere members; the fault lasts the whole first sweep; then "
                        + "a fault-free sweep. ✓ = every invariant held (every cluster kept a working stored "
                        + "kubeconfig and a working host copy, the report named the failure, B rotated, the second "
                        + "sweep converged: both renewed, host copies current, jwtSecret repaired). "
                        + "— = not applicable (no such answer at that step).\n\n| step |");
        columns.forEach(f -> md.append(' ').append(f.column).append(" |"));
        md.append("\n|---|");
        columns.forEach(f -> md.append("---|"));
        md.append('\n');
        Map<Step, Map<Fault, Cell>> byStep = new LinkedHashMap<>();
        cells.stream().filter(c -> c.fault() != Fault.NONE)
                .forEach(c -> byStep.computeIfAbsent(c.step(), s -> new LinkedHashMap<>()).put(c.fault(), c));
        for (var row : byStep.entrySet()) {
            md.append("| ").append(row.getKey().title).append(" |");
            for (Fault f : columns) {
                Cell cell = row.getValue().get(f);
                md.append(' ').append(cell == null ? "—" : cell.violations().isEmpty() ? "✓" : "✗ "
                        + cell.violations().size()).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## What the first sweep reported\n\n");
        for (Cell cell : cells) {
            md.append("- **").append(cell.step().title).append(" × ").append(cell.fault().column).append("**: ")
                    .append(cell.outcome().replace("|", "/"));
            cell.violations().forEach(v -> md.append("\n  - ✗ ").append(v));
            md.append('\n');
        }
        Path path = Path.of("target", "fault-matrix.md");
        Files.writeString(path, md);
        return path;
    }
}
