package io.ackrotator.standin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The host cluster of a Quarkus test: the fabric8 mock in CRUD mode behind {@link KubernetesFaultProxy}, which
 * authorizes the function's every request with the RBAC of the shipped {@code deploy/fc/host-rbac.yaml} and refuses
 * what a real API server refuses. The function talks to the front; the test arranges and inspects through
 * {@link #client()}, straight to the mock, as an administrator would. What the front imitates and where it is
 * written: Source: {@link Rbac} (Kubernetes' RBAC authorizer), {@link EventValidation} (Kubernetes' event
 * validation), {@link KubeSphereClusterAdmission} (KubeSphere release-3.4 and release-4.1).
 */
public class HostFront implements QuarkusTestResourceLifecycleManager {

    /** The identity the function has on the host (the subject the RBAC manifest binds). */
    public static final String FUNCTION_USER = "27490000000001";
    public static final Path HOST_RBAC = Path.of("deploy/fc/host-rbac.yaml");
    public static final String PLACEHOLDER = "REPLACE-WITH-ROLE-UID";

    private static KubernetesMockServer server;
    private static KubernetesFaultProxy front;
    private static KubernetesClient client;

    @Override
    public Map<String, String> start() {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        front = KubernetesFaultProxy.hostOf(URI.create(server.url("/"))).withKubeSphere34Webhook(true);
        client = server.createClient();
        return Map.of("quarkus.kubernetes-client.api-server-url", front.url(),
                "quarkus.kubernetes-client.namespace", "default");
    }

    @Override
    public void stop() {
        client.close();
        front.close();
        server.destroy();
    }

    /** A client straight to the mock: for the test's own arranging and checking, never through the RBAC. */
    public static KubernetesClient client() {
        return client;
    }

    public static KubernetesMockServer server() {
        return server;
    }

    public static KubernetesFaultProxy front() {
        return front;
    }
}
