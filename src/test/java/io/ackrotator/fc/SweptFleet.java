package io.ackrotator.fc;

import io.ackrotator.ack.AckAccess;
import io.ackrotator.ack.ClusterId;
import io.ackrotator.kubeconfig.ApiServerProbe;
import io.ackrotator.kubeconfig.Kubeconfig;
import io.ackrotator.standin.FakeAck;
import io.ackrotator.standin.FunctionProcess;
import io.ackrotator.standin.KubeSphereHost;
import io.ackrotator.standin.StandIns;
import io.ackrotator.store.SecretKubeconfigStore;
import io.ackrotator.store.StoreUpdate;
import io.ackrotator.store.StoredKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet the reliability ITs sweep with the packaged function: ACK clusters due for rotation, their stored
 * kubeconfigs, and a KubeSphere host whose direct members (with a drifted jwtSecret) point at them; and the checks
 * that nothing was lost and that a sweep converged.
 */
final class SweptFleet {

    static final String NAMESPACE = "kubeconfig-rotator";
    static final String HOST_JWT = "host-jwt-secret-fleet-5e8a1c";
    private static final AtomicInteger IDS = new AtomicInteger(0xfa0000);

    /** One cluster: its ID, its KubeSphere member, the ACK stand-in cluster, the certificate it started with. */
    record Target(ClusterId id, String member, FakeAck.FakeCluster cluster, String oldSerial) {
    }

    private final FakeAck ack;
    private final KubernetesClient client;
    private final KubeSphereHost host;
    private final SecretKubeconfigStore store;

    SweptFleet(FakeAck ack, KubernetesClient client) {
        this.ack = ack;
        this.client = client;
        this.host = new KubeSphereHost(client).install(HOST_JWT);
        this.store = new SecretKubeconfigStore(client, NAMESPACE);
    }

    /** The packaged function's environment: these stand-ins, the host behind {@code kubernetesUrl}, short timeouts. */
    static Map<String, String> environment(FakeAck ack, String kubernetesUrl) {
        Map<String, String> env = StandIns.packagedFunctionEnvironment(ack, kubernetesUrl);
        env.put("ROTATOR_DISCOVER", "true");
        env.put("ROTATOR_LEASE_DURATION", "PT2S");
        // outlasts FC's retries of a killed batch (they wait for it) and, as start-up checks, the slowest renewal
        // with these timeouts: 2 x (4 x (1 s + 1 s) + 3 x 0.1 s) + 2 x 1 s = 18.6 s
        env.put("ROTATOR_CLUSTER_LEASE_DURATION", "PT20S");
        env.put("ACK_CONNECT_TIMEOUT", "PT1S");
        env.put("ROTATOR_API_SERVER_TIMEOUT", "PT1S");
        env.put("QUARKUS_KUBERNETES_CLIENT_REQUEST_TIMEOUT", "PT1S");
        env.put("ACK_READ_TIMEOUT", "PT1S");
        env.put("ACK_RETRY_INITIAL_BACKOFF", "PT0.02S");
        env.put("ACK_RETRY_MAX_BACKOFF", "PT0.1S");
        return env;
    }

    /** A cluster 20 days from expiry, stored, with a KubeSphere member whose jwtSecret drifted. */
    Target add() {
        ClusterId id = ClusterId.of(String.format("c%032x", IDS.incrementAndGet()));
        FakeAck.FakeCluster cluster = ack.addCluster(id.value(), "fleet-" + id.value().substring(27));
        Kubeconfig old = Kubeconfig.parse(cluster.seedLongTerm(ack.defaultIdentity().uid(), Duration.ofDays(20),
                false));
        store.create(id, new StoreUpdate(old, Optional.empty(), AckAccess.PUBLIC,
                Optional.of(cluster.member().kubeSystemUid()), ack.clock().instant()));
        cluster.member().installKubeSphere("drifted-jwt-secret", "member");
        String member = "member-" + id.value().substring(27);
        host.addDirectMember(member, id.value(), old.text(), cluster.member().kubeSystemUid());
        return new Target(id, member, cluster, old.identity().serial());
    }

    /** What is wrong with a cluster after a fault or a crash: its stored kubeconfig and its host copy must work. */
    List<String> damage(Target t) {
        List<String> damage = new ArrayList<>();
        workingStoredKubeconfig(t).ifPresent(damage::add);
        Optional<Kubeconfig> copy = Kubeconfig.tryParse(host.kubeconfigOf(t.member()));
        (copy.isEmpty() ? Optional.of(t.member() + ": the host's Cluster holds no usable kubeconfig")
                : works(copy.get(), t, "host copy")).ifPresent(damage::add);
        return damage;
    }

    private Optional<String> workingStoredKubeconfig(Target t) {
        Optional<StoredKubeconfig> stored = store.get(t.id());
        if (stored.isEmpty()) {
            return Optional.of(t.id() + ": no stored kubeconfig");
        }
        Optional<Kubeconfig> kubeconfig = Kubeconfig.tryParse(stored.get().kubeconfig());
        if (kubeconfig.isEmpty()) {
            return Optional.of(t.id() + ": the stored kubeconfig does not parse");
        }
        String serial = kubeconfig.get().identity().serial();
        String current = ack.cluster(t.id().value()).currentLongTerm(ack.defaultIdentity().uid()).orElseThrow()
                .getSerialNumber().toString(16);
        if (!serial.equals(t.oldSerial()) && !serial.equals(current)) {
            return Optional.of(t.id() + ": the stored certificate is neither the old one nor ACK's current one");
        }
        return works(kubeconfig.get(), t, "stored kubeconfig");
    }

    static Optional<String> works(Kubeconfig kubeconfig, Target t, String what) {
        try {
            String uid = new ApiServerProbe(Duration.ofSeconds(10)).probe(kubeconfig).kubeSystemUid();
            return uid.equals(t.cluster().member().kubeSystemUid()) ? Optional.empty()
                    : Optional.of(t.id() + ": the " + what + " reaches another cluster");
        } catch (RuntimeException e) {
            return Optional.of(t.id() + ": the " + what + " does not work: " + e.getMessage());
        }
    }

    /** After a fault-free sweep: renewed, the host copy current, jwtSecret repaired. */
    Optional<String> converged(Target t) {
        String current = ack.cluster(t.id().value()).currentLongTerm(ack.defaultIdentity().uid()).orElseThrow()
                .getSerialNumber().toString(16);
        Optional<Kubeconfig> stored = store.get(t.id()).flatMap(s -> Kubeconfig.tryParse(s.kubeconfig()));
        if (stored.isEmpty() || !stored.get().identity().serial().equals(current)
                || current.equals(t.oldSerial())) {
            return Optional.of(t.id() + ": did not converge to a renewed certificate");
        }
        if (!stored.get().text().equals(host.kubeconfigOf(t.member()))) {
            return Optional.of(t.member() + ": the host's Cluster does not hold the renewed kubeconfig");
        }
        String jwt = t.cluster().member().ksInstaller().path("spec").path("authentication").path("jwtSecret")
                .asText();
        return jwt.equals(HOST_JWT) ? Optional.empty() : Optional.of(t.member() + ": jwtSecret drift not repaired");
    }

    Optional<StoredKubeconfig> stored(Target t) {
        return store.get(t.id());
    }

    String hostCopy(Target t) {
        return host.kubeconfigOf(t.member());
    }

    /** Forgets the clusters, so later sweeps don't carry them. */
    void remove(Target... targets) {
        for (Target t : targets) {
            client.genericKubernetesResources(KubeSphereHost.CLUSTERS).withName(t.member()).delete();
            client.secrets().inNamespace(NAMESPACE).withName(SecretKubeconfigStore.secretName(t.id())).delete();
            ack.removeCluster(t.id().value());
        }
    }

    static HttpRequest sweep(FunctionProcess function) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + "/invoke"))
                .header("Content-Type", "application/octet-stream").header("x-fc-request-id", "matrix")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"sweep\"}")).build();
    }

    /** A Lease left held by a failed release expires after ROTATOR_LEASE_DURATION; until then sweeps are skipped. */
    static HttpResponse<String> sweepUntilLeaseIsFree(FunctionProcess function, HttpClient http) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            HttpResponse<String> response = http.send(sweep(function), HttpResponse.BodyHandlers.ofString());
            if (!response.body().contains("\"status\":\"sweep-in-progress\"") || Instant.now().isAfter(deadline)) {
                return response;
            }
            Thread.sleep(250);
        }
    }

    /**
     * Sends {@code request} to the packaged function, waits (up to 20 s) until the stand-ins say it reached the armed
     * step, then kills the process with SIGKILL right there. False when the step was never reached.
     */
    static boolean killWhenReached(HttpClient http, FunctionProcess function, HttpRequest request,
            java.util.function.BooleanSupplier reached) throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!reached.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        boolean got = reached.getAsBoolean();
        function.process().destroyForcibly().waitFor();
        sent.handle((response, failure) -> null).join();
        function.close();
        return got;
    }

    /** The sweep report inside /invoke's answer. */
    static JsonPath report(String body) {
        return JsonPath.from(body).setRootPath("result");
    }

    static String action(JsonPath report, Target t) {
        return report.getString("results.find { it.clusterId == '" + t.id().value() + "' }.action");
    }
}
