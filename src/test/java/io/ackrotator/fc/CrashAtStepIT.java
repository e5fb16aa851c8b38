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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The packaged function killed with SIGKILL exactly at each step of a rotation and re-sync: a stand-in holds the
 * request of that step (before or after it took effect) and signals, the test kills the process right then. After
 * each kill every cluster still holds a working kubeconfig and a working host copy; a restarted function then
 * sweeps (once the dead sweep's Lease has expired) and converges.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CrashAtStepIT {

    static final Duration LONG = Duration.ofSeconds(30);

    enum Step {
        TAKE_LEASE("Lease taken"), LIST_STORE("listing the store"), FETCH("fetching the kubeconfig from ACK"),
        VERIFY("verifying against the member"), WRITE_STORE("writing the store (not yet applied)"),
        WRITE_STORE_APPLIED("writing the store (applied, answer lost)"),
        UPDATE_CLUSTER("updating the KubeSphere Cluster (applied)"), FIX_JWT("fixing the member's jwtSecret"),
        WRITE_EVENT("writing an Event (applied)"), RELEASE_LEASE("releasing the Lease");

        final String title;

        Step(String title) {
            this.title = title;
        }
    }

    KubernetesClient client;

    @Test
    void killedAtEachStepLosesNothingAndTheRestartedFunctionConverges() throws Exception {
        List<String> violations = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (FakeAck ack = FakeAck.start();
                KubernetesFaultProxy proxy = KubernetesFaultProxy.hostOf(URI.create(client.getMasterUrl().toString()))) {
            SweptFleet fleet = new SweptFleet(ack, client);
            Map<String, String> env = SweptFleet.environment(ack, proxy.url());
            FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60));
            try {
                http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers.ofString()); // the Lease now exists
                for (Step step : Step.values()) {
                    Target a = fleet.add();
                    Target b = fleet.add();
                    BooleanSupplier reached = arm(step, ack, proxy, a);
                    if (!SweptFleet.killWhenReached(http, function, SweptFleet.sweep(function), reached)) {
                        violations.add(step.title + ": the sweep never reached the step");
                    }
                    proxy.reset();
                    ack.clearFaults();
                    a.cluster().member().faults().clear();

                    for (Target t : List.of(a, b)) {
                        fleet.damage(t).forEach(d -> violations.add(step.title + ", after the kill: " + d));
                    }
                    function = FunctionProcess.start(env, Duration.ofSeconds(60));
                    HttpResponse<String> next = SweptFleet.sweepUntilLeaseIsFree(function, http);
                    if (next.statusCode() != 200 || !next.body().contains("\"failed\":0")) {
                        violations.add(step.title + ": the sweep after the restart: " + next.body());
                    }
                    for (Target t : List.of(a, b)) {
                        fleet.converged(t).ifPresent(d -> violations.add(step.title + ", after the restart: " + d));
                    }
                    fleet.remove(a, b);
                }
            } finally {
                function.close();
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    /** Sets the stand-ins to stop the sweep at {@code step}; the supplier turns true once it got there. */
    static BooleanSupplier arm(Step step, FakeAck ack, KubernetesFaultProxy proxy, Target a) {
        String secret = "/api/v1/namespaces/" + SweptFleet.NAMESPACE + "/secrets/"
                + SecretKubeconfigStore.secretName(a.id());
        return switch (step) {
            case TAKE_LEASE -> gate(proxy.hold("PUT", ".*/leases/.*", true));
            case LIST_STORE -> gate(proxy.hold("GET", "/api/v1/namespaces/" + SweptFleet.NAMESPACE + "/secrets",
                    false));
            case FETCH -> {
                ack.clearCalls();
                ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, LONG);
                yield () -> !ack.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).isEmpty();
            }
            case VERIFY -> {
                a.cluster().member().faults().add("GET", "/api/v1/namespaces", HttpFault.timeout(LONG), 1);
                yield () -> a.cluster().member().faults().hits() > 0;
            }
            case WRITE_STORE -> gate(proxy.hold("PUT", secret, false));
            case WRITE_STORE_APPLIED -> gate(proxy.hold("PUT", secret, true));
            case UPDATE_CLUSTER -> gate(proxy.hold("PUT", "/apis/cluster.kubesphere.io/v1alpha1/clusters/"
                    + a.member(), true));
            case FIX_JWT -> {
                a.cluster().member().faults().add("PUT", ".*/ks-installer", HttpFault.timeout(LONG), 1);
                yield () -> a.cluster().member().faults().hits() > 0;
            }
            case WRITE_EVENT -> gate(proxy.hold("POST", "/apis/events.k8s.io/v1/namespaces/[^/]+/events", true));
            case RELEASE_LEASE -> gate(proxy.hold("PUT", ".*/leases/.*", false, 1));
        };
    }

    static BooleanSupplier gate(KubernetesFaultProxy.Gate gate) {
        return () -> {
            try {
                return gate.awaitArrival(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
