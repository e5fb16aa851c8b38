package io.ackrotator.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The packaged function killed with SIGKILL in the middle of sweeps, at several points, then restarted: every
 * cluster always holds a kubeconfig that parses and works (old or new, never none, never broken), and a sweep after
 * the last crash converges. The Lease of a killed sweep is taken over once it expires.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CrashRecoveryIT {

    static final int CLUSTERS = 12;
    KubernetesClient client;

    @Test
    void killedMidSweepLosesNothingAndTheNextSweepConverges() throws Exception {
        try (FakeAck ack = FakeAck.start()) {
            SecretKubeconfigStore store = new SecretKubeconfigStore(client, "kubeconfig-rotator");
            List<ClusterId> ids = new ArrayList<>();
            FakeAck.FakeCluster template = null;
            for (int i = 0; i < CLUSTERS; i++) {
                ClusterId id = ClusterId.of(String.format("c%032x", 0xc4a500 + i));
                FakeAck.FakeCluster cluster = template == null ? ack.addCluster(id.value(), "crash-" + i)
                        : ack.addClusterSharing(id.value(), "crash-" + i, template);
                template = template == null ? cluster : template;
                Kubeconfig kubeconfig = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(),
                        Duration.ofDays(20), false));
                store.create(id, new StoreUpdate(kubeconfig, Optional.empty(), AckAccess.PUBLIC,
                        Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant()));
                ids.add(id);
            }
            ack.withLatency(FakeAck.Operation.DESCRIBE_KUBECONFIG, Duration.ofMillis(150));
            Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, client.getMasterUrl().toString());
            env.put("ROTATOR_PARALLELISM", "2");
            env.put("ROTATOR_LEASE_DURATION", "PT2S");
            env.put("ROTATOR_KUBESPHERE_ENABLED", "false");
            ApiServerProbe probe = new ApiServerProbe(Duration.ofSeconds(10));
            HttpClient http = HttpClient.newHttpClient();

            for (long killAfterMillis : new long[] {250, 600, 900}) {
                try (FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60))) {
                    CompletableFuture<HttpResponse<String>> sweep = http.sendAsync(invoke(function),
                            HttpResponse.BodyHandlers.ofString());
                    Thread.sleep(killAfterMillis);
                    function.process().destroyForcibly().waitFor();
                    sweep.handle((response, failure) -> null).join();
                }
                for (ClusterId id : ids) {
                    StoredKubeconfig stored = store.get(id).orElseThrow(() -> new AssertionError(id + " lost"));
                    Kubeconfig kubeconfig = Kubeconfig.parse(stored.kubeconfig());
                    assertEquals(template.member().kubeSystemUid(), probe.probe(kubeconfig).kubeSystemUid(),
                            id + " holds a working kubeconfig after a kill at " + killAfterMillis + " ms");
                }
                Thread.sleep(2100); // the killed sweep's Lease expires
            }

            try (FunctionProcess function = FunctionProcess.start(env, Duration.ofSeconds(60))) {
                String report = http.send(invoke(function), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(report.contains("\"failed\":0"), report);
                assertTrue(report.contains("\"status\":\"completed\""), report);
            }
            for (ClusterId id : ids) {
                Kubeconfig kubeconfig = Kubeconfig.parse(store.get(id).orElseThrow().kubeconfig());
                assertTrue(kubeconfig.identity().remainingAt(ack.clock().instant()).toDays() > 1000,
                        id + " converged to a renewed certificate");
                assertEquals(ack.cluster(id.value()).currentLongTerm(ack.defaultIdentity().uid()).orElseThrow()
                        .getSerialNumber().toString(16), kubeconfig.identity().serial());
            }
        }
    }

    static HttpRequest invoke(FunctionProcess function) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + "/invoke"))
                .header("Content-Type", "application/octet-stream").header("x-fc-request-id", "crash")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"sweep\"}")).build();
    }
}
