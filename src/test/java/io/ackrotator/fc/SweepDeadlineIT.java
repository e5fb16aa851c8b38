package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.fc.SweptFleet.Target;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sweep against an ACK that answers slowly stops starting clusters at rotator.sweep.deadline, answers with FC's
 * failure signal (so FC retries it), and the next invocation takes the deferred clusters first and completes them.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class SweepDeadlineIT {

    KubernetesClient client;

    @Test
    void aSlowAckStopsTheSweepAtItsDeadlineAndTheNextInvocationCompletesIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeAck ack = FakeAck.start()) {
            SweptFleet fleet = new SweptFleet(ack, client);
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                targets.add(fleet.add());
            }
            Map<String, String> env = SweptFleet.environment(ack, client.getMasterUrl().toString());
            env.put("ROTATOR_SWEEP_DEADLINE", "PT2S");
            env.put("ROTATOR_PARALLELISM", "1");
            env.put("ROTATOR_DISCOVER", "false");
            ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(800));
            try (FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60))) {
                HttpResponse<String> first = http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, first.statusCode(), first.body());
                assertEquals("404", first.headers().firstValue("x-fc-status").orElse(""), "FC's failure signal");
                JsonPath cut = JsonPath.from(first.body()).setRootPath("answer.result");
                assertEquals("deadline-reached", cut.getString("status"));
                List<String> deferred = cut.getList("results.findAll { it.action == 'deferred' }.clusterId");
                assertTrue(!deferred.isEmpty() && deferred.size() < 6, "some done, the rest deferred: " + deferred);
                for (Target t : targets) {
                    if (!deferred.contains(t.id().value())) {
                        assertTrue(fleet.converged(t).isEmpty(), "what was started was finished: " + t.id());
                    }
                }

                HttpResponse<String> next = http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers.ofString());
                JsonPath report = next.statusCode() == 200 ? SweptFleet.report(next.body())
                        : JsonPath.from(next.body()).setRootPath("answer.result");
                assertEquals(deferred.get(0), report.getString("results[0].clusterId"), "deferred ones first");
                for (int i = 0; i < 4 && next.statusCode() != 200; i++) {
                    next = http.send(SweptFleet.sweep(function), HttpResponse.BodyHandlers.ofString());
                }
                assertEquals(200, next.statusCode(), next.body());
                assertEquals("200", next.headers().firstValue("x-fc-status").orElse(""));
            }
            ack.clearFaults();
            for (Target t : targets) {
                assertTrue(fleet.converged(t).isEmpty(), fleet.converged(t).orElse(""));
            }
        }
    }
}
