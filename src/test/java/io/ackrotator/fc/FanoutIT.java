package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FakeFc;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.store.SecretKubeconfigStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A fanned-out sweep on Function Compute's stand-in across two accounts and two regions: the timer's invocation only
 * partitions the fleet and starts one async invocation per batch; FC runs them on two instances. A duplicate
 * fan-out (FC's retry of the timer, same request ID) starts nothing twice; a batch whose instance is killed mid-way,
 * holding a cluster's Lease (20 s here, longer than all of FC's retries), is retried by FC, waits for that Lease and
 * completes. Every cluster ends with exactly one new certificate stored.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FanoutIT {

    static final String FUNCTION = "ack-kubeconfig-rotator-events";

    KubernetesClient client;

    @Test
    void fcSpreadsTheSweepAndEveryClusterIsRenewedExactlyOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeAck hangzhou = FakeAck.start(); FakeAck shanghai = FakeAck.inRegion(hangzhou, "cn-shanghai")) {
            FleetScopesIT.twoAccounts(hangzhou, shanghai);
            List<String> ids = new ArrayList<>();
            for (int n = 1; n <= 12; n++) {
                FakeAck region = n % 2 == 0 ? shanghai : hangzhou;
                ids.add(FleetScopesIT.add(region, n, n <= 6 ? FleetScopesIT.HOME_ACCOUNT : FleetScopesIT.PROD_ACCOUNT));
            }
            Map<String, String> env = new FleetScopesIT().environmentFor(client, hangzhou, shanghai,
                    FleetScopesIT.EXTERNAL_ID);
            env.put("ROTATOR_FANOUT_ENABLED", "true");
            env.put("ROTATOR_FANOUT_FUNCTION_NAME", FUNCTION);
            env.put("ROTATOR_FANOUT_BATCH_SIZE", "2");
            FakeFc[] holder = new FakeFc[1];
            try (FakeFc fc = new FakeFc(FUNCTION, key -> Optional.ofNullable(hangzhou.identity(key)), 2,
                    slot -> start(env, holder[0]))) {
                holder[0] = fc;

                JsonPath fanout = timer(http, fc, "timer-invocation-1");
                assertEquals(12, fanout.getInt("clusters"));
                assertEquals(8, fanout.getInt("batches"), "3 per account and region, 2 per batch: never mixed");
                assertEquals(8, fanout.getInt("started"));
                fc.awaitIdle(Duration.ofSeconds(90));
                assertEquals(List.of(), fc.refusals(), "every InvokeFunction was signed as FC checks");
                for (FakeFc.Task task : fc.tasks()) {
                    assertEquals(Optional.of("succeeded"), task.outcome(), task.id());
                    assertTrue(task.payload().contains("\"clusters\":["), task.payload());
                }
                assertRenewedOnce(hangzhou, shanghai, ids);
                for (String id : ids) {
                    FakeAck region = hangzhou.hasCluster(id) ? hangzhou : shanghai;
                    assertEquals(1, region.calls(FakeAck.Operation.DESCRIBE_KUBECONFIG).stream()
                            .filter(c -> c.clusterId().equals(id)).count(), "asked for exactly once: " + id);
                }

                JsonPath again = timer(http, fc, "timer-invocation-1");
                assertEquals(8, again.getInt("alreadyStarted"), "FC's retry of the timer: the same task IDs");
                assertEquals(0, again.getInt("started"));
                assertEquals(8, fc.tasks().size(), "no batch ran twice");

                JsonPath status = JsonPath.from(post(http, fc.instance(0), "timer-status", "{\"action\":\"status\"}")
                        .body()).setRootPath("result.lastFanout");
                assertEquals(8, status.getInt("batches"));
                assertEquals(8, status.getInt("finished"));
                assertEquals(12, status.getInt("summary.adopted"), "status adds up every batch");

                // the next sweep: six new clusters, and one batch's instance dies under it
                List<String> added = new ArrayList<>();
                for (int n = 13; n <= 18; n++) {
                    added.add(FleetScopesIT.add(n % 2 == 0 ? shanghai : hangzhou, n, n <= 15
                            ? FleetScopesIT.HOME_ACCOUNT : FleetScopesIT.PROD_ACCOUNT));
                }
                String slow = added.get(0);
                hangzhou.clearCalls();
                hangzhou.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(400));
                JsonPath second = timer(http, fc, "timer-invocation-2");
                assertEquals(18, second.getInt("clusters"));
                FakeFc.Task killed = null;
                for (int i = 0; i < 1000 && killed == null; i++) {
                    for (FakeFc.Task task : fc.tasks()) {
                        if (task.id().contains("timer-invocation-2") && task.payload().contains(slow)
                                && fc.runningTask(task.id()).isPresent() && hangzhou.calls(
                                        FakeAck.Operation.DESCRIBE_KUBECONFIG).stream().anyMatch(c -> c.clusterId()
                                                .equals(slow))) {
                            fc.runningTask(task.id()).get().process().destroyForcibly().waitFor();
                            killed = task;
                            break;
                        }
                    }
                    Thread.sleep(5);
                }
                assertTrue(killed != null, "a batch was caught running and killed");
                fc.awaitIdle(Duration.ofSeconds(120));
                assertTrue(killed.attempts() >= 2, "FC ran the killed batch again: " + killed.attempts());
                assertEquals(Optional.of("succeeded"), killed.outcome());
                for (FakeFc.Task task : fc.tasks()) {
                    assertEquals(Optional.of("succeeded"), task.outcome(), task.id());
                }
                ids.addAll(added);
                assertRenewedOnce(hangzhou, shanghai, ids);
            }
        }
    }

    /** Each cluster's stored certificate is ACK's current one for its account's identity, and works. */
    void assertRenewedOnce(FakeAck hangzhou, FakeAck shanghai, List<String> ids) {
        SecretKubeconfigStore store = new SecretKubeconfigStore(client, "kubeconfig-rotator");
        for (String id : ids) {
            FakeAck region = hangzhou.hasCluster(id) ? hangzhou : shanghai;
            Kubeconfig stored = Kubeconfig.parse(store.get(ClusterId.of(id)).orElseThrow().kubeconfig());
            String uid = stored.identity().user();
            assertEquals(region.cluster(id).currentLongTerm(uid).orElseThrow().getSerialNumber().toString(16),
                    stored.identity().serial(), "the stored certificate of " + id + " is ACK's current one");
        }
    }

    JsonPath timer(HttpClient http, FakeFc fc, String requestId) throws Exception {
        HttpResponse<String> response = post(http, fc.instance(0), requestId, "{\"action\":\"sweep\"}");
        assertEquals(200, response.statusCode(), response.body());
        return JsonPath.from(response.body()).setRootPath("result");
    }

    static HttpResponse<String> post(HttpClient http, FunctionProcess function, String requestId, String event)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + "/invoke"))
                .header("Content-Type", "application/octet-stream").header("x-fc-request-id", requestId)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static FunctionProcess start(Map<String, String> env, FakeFc fc) {
        Map<String, String> withEndpoint = new java.util.HashMap<>(env);
        withEndpoint.put("ROTATOR_FANOUT_ENDPOINT", fc.endpoint());
        try {
            return FunctionProcess.start(withEndpoint, Duration.ofSeconds(60));
        } catch (Exception e) {
            throw new IllegalStateException("the function did not start", e);
        }
    }
}
