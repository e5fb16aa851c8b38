package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.fc.SweptFleet.Target;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.HttpFault;
import io.ackrotator.standin.KubernetesFaultProxy;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /revoke} on the packaged function, killed with SIGKILL exactly at each of its steps. After the restart
 * the next sweep finishes whatever was recorded, and FC's retry of the request finishes what was not; either way the
 * cluster ends with a new kubeconfig, verified, stored and in the KubeSphere host, the revoked one refused, and never
 * with a revoked kubeconfig left in place.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RevokeCrashIT {

    static final Duration LONG = Duration.ofSeconds(30);

    enum Step {
        RECORD("recording the revocation (not yet applied)"),
        RECORD_APPLIED("recording the revocation (applied, answer lost)"),
        REVOKE_AT_ACK("ACK revoking"),
        RECORD_REVOKED("recording that ACK revoked (not yet applied)"),
        FETCH("fetching the new kubeconfig from ACK"),
        VERIFY("verifying the new kubeconfig against the member"),
        WRITE_STORE("storing the new kubeconfig (not yet applied)"),
        WRITE_STORE_APPLIED("storing the new kubeconfig (applied, answer lost)"),
        UPDATE_CLUSTER("updating the KubeSphere Cluster (applied)");

        final String title;

        Step(String title) {
            this.title = title;
        }
    }

    KubernetesClient client;

    @Test
    void killedAtEachStepTheRevocationIsFinishedAndNothingRevokedIsLeftInPlace() throws Exception {
        List<String> violations = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (FakeAck ack = FakeAck.start();
                KubernetesFaultProxy proxy = KubernetesFaultProxy.hostOf(URI.create(client.getMasterUrl().toString()))) {
            SweptFleet fleet = new SweptFleet(ack, client);
            Map<String, String> env = SweptFleet.environment(ack, proxy.url());
            env.put("ROTATOR_ADMIN_TOKEN_SHA256", StandIns.sha256Hex(StandIns.ADMIN_TOKEN));
            FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60));
            try {
                http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers.ofString()); // the Lease now exists
                for (Step step : Step.values()) {
                    Target a = fleet.add();
                    BooleanSupplier reached = arm(step, ack, proxy, a);
                    if (!SweptFleet.killWhenReached(http, function, revoke(function, a), reached)) {
                        violations.add(step.title + ": the revocation never reached the step");
                    }
                    proxy.reset();
                    ack.clearFaults();
                    a.cluster().member().faults().clear();

                    function = FunctionProcess.start(env, Duration.ofSeconds(60));
                    SweptFleet.sweepUntilLeaseIsFree(function, http);
                    Optional<StoredKubeconfig> afterSweep = fleet.stored(a);
                    boolean recorded = step != Step.RECORD;
                    if (recorded) {
                        revokedAndReplaced(fleet, ack, a).ifPresent(d -> violations.add(step.title
                                + ", after the next sweep: " + d));
                    } else if (afterSweep.flatMap(StoredKubeconfig::revocation).isPresent()
                            || SweptFleet.works(Kubeconfig.parse(afterSweep.orElseThrow().kubeconfig()), a,
                                    "stored kubeconfig").isPresent()) {
                        violations.add(step.title + ": nothing was recorded, yet the stored kubeconfig changed");
                    }
                    // FC retries the request that died with the instance
                    HttpResponse<String> retry = retryUntilLeaseIsFree(http, function, a);
                    if (retry.statusCode() != 200) {
                        violations.add(step.title + ": the retried revoke answered " + retry.statusCode() + " "
                                + retry.body());
                    }
                    revokedAndReplaced(fleet, ack, a).ifPresent(d -> violations.add(step.title
                            + ", after the retry: " + d));
                    fleet.remove(a);
                }
            } finally {
                function.close();
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    static HttpRequest revoke(FunctionProcess function, Target a) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + "/revoke"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString("{\"clusterId\":\"" + a.id() + "\",\"confirm\":\""
                        + a.id() + "\",\"reason\":\"crash suite\"}")).build();
    }

    static HttpResponse<String> retryUntilLeaseIsFree(HttpClient http, FunctionProcess function, Target a)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            HttpResponse<String> response = http.send(revoke(function, a), HttpResponse.BodyHandlers.ofString());
            if (!response.body().contains("\"status\":\"sweep-in-progress\"") || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(250);
        }
    }

    /** Revoked at ACK and replaced everywhere: a new verified kubeconfig stored and in the host, the old refused. */
    static Optional<String> revokedAndReplaced(SweptFleet fleet, FakeAck ack, Target a) {
        Optional<StoredKubeconfig> stored = fleet.stored(a);
        if (stored.isEmpty()) {
            return Optional.of("nothing stored");
        }
        if (stored.get().revocation().isPresent()) {
            return Optional.of("the revocation is still recorded as unfinished ("
                    + stored.get().revocation().get().phase() + ")");
        }
        Kubeconfig kubeconfig = Kubeconfig.parse(stored.get().kubeconfig());
        if (kubeconfig.identity().serial().equals(a.oldSerial())) {
            return Optional.of("the old certificate is still stored");
        }
        if (ack.cluster(a.id().value()).isRevoked(kubeconfig.clientCertificate())) {
            return Optional.of("a revoked certificate is stored");
        }
        Optional<String> broken = SweptFleet.works(kubeconfig, a, "stored kubeconfig");
        if (broken.isPresent()) {
            return broken;
        }
        if (!kubeconfig.text().equals(fleet.hostCopy(a))) {
            return Optional.of("the KubeSphere host does not hold the new kubeconfig");
        }
        return a.cluster().revokedSerials().stream().anyMatch(s -> s.toString(16).equals(a.oldSerial()))
                ? Optional.empty() : Optional.of("the old certificate was never revoked");
    }

    static BooleanSupplier arm(Step step, FakeAck ack, KubernetesFaultProxy proxy, Target a) {
        String secret = "/api/v1/namespaces/" + SweptFleet.NAMESPACE + "/secrets/"
                + SecretKubeconfigStore.secretName(a.id());
        return switch (step) {
            case RECORD -> CrashAtStepIT.gate(proxy.hold("PUT", secret, false));
            case RECORD_APPLIED -> CrashAtStepIT.gate(proxy.hold("PUT", secret, true));
            case REVOKE_AT_ACK -> {
                ack.clearCalls();
                ack.withLatency(FakeAck.Operation.REVOKE, LONG);
                yield () -> !ack.calls(FakeAck.Operation.REVOKE).isEmpty();
            }
            case RECORD_REVOKED -> CrashAtStepIT.gate(proxy.hold("PUT", secret, false, 1));
            case FETCH -> {
                ack.clearCalls();
                ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, LONG);
                yield () -> !ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).isEmpty();
            }
            case VERIFY -> {
                a.cluster().member().faults().add("GET", "/api/v1/namespaces", HttpFault.timeout(LONG), 1);
                yield () -> a.cluster().member().faults().hits() > 0;
            }
            case WRITE_STORE -> CrashAtStepIT.gate(proxy.hold("PUT", secret, false, 2));
            case WRITE_STORE_APPLIED -> CrashAtStepIT.gate(proxy.hold("PUT", secret, true, 2));
            case UPDATE_CLUSTER -> CrashAtStepIT.gate(proxy.hold("PUT", "/apis/cluster.kubesphere.io/v1alpha1/clusters/"
                    + a.member(), true));
        };
    }
}
