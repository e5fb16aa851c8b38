package io.ackrotator.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A front on the Kubernetes mock server that the function talks to instead of the server itself: it forwards every
 * request, except those a {@link FaultRules} rule spoils, and can hold a request at a named point (before or after it
 * reached the server) so a test can kill the function right there. It also does what a real API server does and the
 * fabric8 CRUD mock does not: it authorizes every request of the function's identity with {@link Rbac} (403 as the
 * API server words it) and refuses Events that Kubernetes' validation refuses (422, {@link EventValidation}).
 */
public final class KubernetesFaultProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(MemberApiServer.daemon("k8s-proxy"));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final FaultRules faults = new FaultRules();
    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile Rbac rbac;
    private volatile String user;
    private volatile boolean kubeSphere34Webhook;

    /** A held request: {@link #arrived} opens when it comes, the request waits until {@link #release()}. */
    public static final class Gate {
        private final String method;
        private final Pattern path;
        private final boolean afterForwarding;
        private final java.util.concurrent.atomic.AtomicInteger skip;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Gate(String method, Pattern path, boolean afterForwarding, int skip) {
            this.method = method;
            this.path = path;
            this.afterForwarding = afterForwarding;
            this.skip = new java.util.concurrent.atomic.AtomicInteger(skip);
        }

        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }

        private boolean matches(String requestMethod, String requestPath) {
            return arrived.getCount() > 0 && method.equals(requestMethod) && path.matcher(requestPath).matches()
                    && skip.getAndDecrement() <= 0;
        }

        private void hold() {
            arrived.countDown();
            try {
                released.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public KubernetesFaultProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * The front of a host cluster as the function meets it: the shipped deploy/fc/host-rbac.yaml authorizes every
     * request, as the identity it binds.
     */
    public static KubernetesFaultProxy hostOf(URI target) {
        return new KubernetesFaultProxy(target).authorizing(Rbac.load(java.util.List.of(HostFront.HOST_RBAC),
                HostFront.PLACEHOLDER, HostFront.FUNCTION_USER), HostFront.FUNCTION_USER);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public FaultRules faults() {
        return faults;
    }

    /** Authorizes every request as {@code user} under {@code rbac} from now on. */
    public KubernetesFaultProxy authorizing(Rbac rbac, String user) {
        this.rbac = rbac;
        this.user = user;
        return this;
    }

    /** Runs KubeSphere 3.4's validating webhook on Cluster updates (see {@link KubeSphereClusterAdmission}). */
    public KubernetesFaultProxy withKubeSphere34Webhook(boolean enabled) {
        this.kubeSphere34Webhook = enabled;
        return this;
    }

    /** "METHOD path: why" of every request refused by RBAC or validation so far. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** Holds the next request matching {@code method} and the path regex, before or after it reaches the server. */
    public Gate hold(String method, String pathRegex, boolean afterForwarding) {
        return hold(method, pathRegex, afterForwarding, 0);
    }

    /** The same, letting the first {@code skip} matching requests through. */
    public Gate hold(String method, String pathRegex, boolean afterForwarding, int skip) {
        Gate gate = new Gate(method, Pattern.compile(pathRegex), afterForwarding, skip);
        gates.add(gate);
        return gate;
    }

    /** Lets every held request go and forgets faults and gates. */
    public void reset() {
        refused.clear();
        faults.clear();
        gates.forEach(Gate::release);
        gates.clear();
        seen.clear();
    }

    /** "METHOD path" of every request so far. */
    public List<String> requests() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            seen.add(method + " " + path);
            byte[] body = exchange.getRequestBody().readAllBytes();
            Optional<Gate> gate = gates.stream().filter(g -> g.matches(method, path)).findFirst();
            if (gate.isPresent() && !gate.get().afterForwarding) {
                gate.get().hold();
            }
            Optional<HttpFault.Answer> refusal = admission(method, path, exchange.getRequestURI().getRawQuery(), body);
            if (refusal.isPresent()) {
                refused.add(method + " " + path + ": " + new String(refusal.get().body(),
                        java.nio.charset.StandardCharsets.UTF_8));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(refusal.get().status(), refusal.get().body().length);
                exchange.getResponseBody().write(refusal.get().body());
                return;
            }
            Optional<HttpFault> fault = faults.next(method, path);
            if (fault.isPresent()) {
                fault.get().apply(exchange, () -> forward(exchange, body));
                return;
            }
            HttpFault.Answer answer = forward(exchange, body);
            if (gate.isPresent() && gate.get().afterForwarding) {
                gate.get().hold();
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        }
    }

    /** What a real API server refuses before storing anything: unauthorized requests, then invalid Events. */
    private Optional<HttpFault.Answer> admission(String method, String path, String query, byte[] body) {
        Rbac policy = rbac;
        if (policy != null) {
            Optional<String> why = policy.refusal(user, method, path, query);
            if (why.isPresent()) {
                return Optional.of(status(403, "Forbidden", why.get()));
            }
        }
        if (method.equals("POST") && path.startsWith("/apis/events.k8s.io/v1/namespaces/") && body.length > 0) {
            try {
                var event = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        new String(body, java.nio.charset.StandardCharsets.UTF_8),
                        io.fabric8.kubernetes.api.model.events.v1.Event.class);
                List<String> problems = EventValidation.problems(event);
                if (!problems.isEmpty()) {
                    return Optional.of(status(422, "Invalid", "Event.events.k8s.io \""
                            + event.getMetadata().getName() + "\" is invalid: " + String.join(", ", problems)));
                }
            } catch (RuntimeException e) {
                return Optional.of(status(400, "BadRequest", "the Event does not decode"));
            }
        }
        if ((method.equals("PUT") || method.equals("POST"))
                && path.startsWith("/apis/cluster.kubesphere.io/v1alpha1/clusters")) {
            var sent = KubeSphereClusterAdmission.parse(body);
            List<String> problems = KubeSphereClusterAdmission.schemaProblems(sent);
            if (!problems.isEmpty()) {
                return Optional.of(status(422, "Invalid", "Cluster.cluster.kubesphere.io \""
                        + sent.path("metadata").path("name").asText() + "\" is invalid: " + String.join(", ",
                                problems)));
            }
            if (method.equals("PUT") && kubeSphere34Webhook) {
                Optional<String> denial = stored(path).flatMap(old -> KubeSphereClusterAdmission.webhookDenial(old,
                        sent, KubeSphereClusterAdmission::kubeSystemUid));
                if (denial.isPresent()) {
                    return Optional.of(status(403, "Forbidden", denial.get()));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<com.fasterxml.jackson.databind.JsonNode> stored(String path) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(target.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Optional.of(KubeSphereClusterAdmission.parse(response.body()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A Kubernetes Status answer (k8s.io/apimachinery metav1.Status). */
    static HttpFault.Answer status(int code, String reason, String message) {
        String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":" + quote(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        return new HttpFault.Answer(code, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpFault.Answer forward(HttpExchange exchange, byte[] body) throws IOException {
        URI uri = target.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new HttpFault.Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        reset();
        server.stop(0);
        executor.shutdownNow();
    }
}
