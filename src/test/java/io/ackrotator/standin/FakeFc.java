package io.ackrotator.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Function Compute 3.0 as far as a fanned-out sweep uses it: {@code InvokeFunction} with
 * {@code x-fc-invocation-type: Async}, and the async queue behind it, run by N function instances (instance
 * concurrency 1, FC's default). What it checks and does, and where that is documented:
 * <ul>
 * <li>{@code POST /2023-03-30/functions/{name}/invocations}, signed with the V3 signature (ACS3-HMAC-SHA256 over the
 * canonical request: method, path, sorted query, host/content-type/x-acs-* headers, their names, the body's
 * SHA-256). Source: https://help.aliyun.com/en/functioncompute/fc/developer-reference/signature-mechanism and the
 * SDK's openapiutil getAuthorization (aliyun/alibabacloud-java-sdk, tea-openapi 0.3.10).</li>
 * <li>An accepted async invocation answers 202; a second one with an {@code x-fc-async-task-id} already used answers
 * 409. Source: https://www.alibabacloud.com/help/en/fc/task-deduplication. The error code in the body is this
 * stand-in's (FC's is not documented); the function reads the status only.</li>
 * <li>An instance's answer with {@code x-fc-status: 404}, or no answer at all (the instance died), is a failed
 * invocation, retried up to 3 times by default (0.5 s, 1 s, 2 s apart) before the onFailure destination gets it.
 * Sources: "Error handling" (https://help.aliyun.com/en/functioncompute/fc/error-handling-1-2) and the custom
 * runtime's event function contract
 * (https://www.alibabacloud.com/help/en/function-compute/latest/custom-runtime-event-functions).</li>
 * <li>The instance gets the event at {@code POST /invoke} with {@code x-fc-request-id}; a dead instance is replaced
 * by a new one, as FC does.</li>
 * </ul>
 */
public final class FakeFc implements AutoCloseable {

    static final int RETRIES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/2023-03-30/functions/([^/]+)/invocations");

    /** One async task: its ID, payload, attempts, and how it ended (null while queued or running). */
    public static final class Task {
        final String id;
        final byte[] payload;
        volatile int attempts;
        volatile String outcome;
        volatile Integer instance;

        Task(String id, byte[] payload) {
            this.id = id;
            this.payload = payload;
        }

        public String id() {
            return id;
        }

        public int attempts() {
            return attempts;
        }

        public Optional<String> outcome() {
            return Optional.ofNullable(outcome);
        }

        public String payload() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final String functionName;
    private final java.util.function.Function<String, Optional<FakeAck.Identity>> keys;
    private final IntFunction<FunctionProcess> startInstance;
    private final FunctionProcess[] instances;
    private final ExecutorService workers;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public FakeFc(String functionName, java.util.function.Function<String, Optional<FakeAck.Identity>> keys,
            int concurrency, IntFunction<FunctionProcess> startInstance) {
        this.functionName = functionName;
        this.keys = keys;
        this.startInstance = startInstance;
        this.instances = new FunctionProcess[concurrency];
        try {
            server = HttpServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(MemberApiServer.daemon("fake-fc")));
        server.start();
        workers = Executors.newFixedThreadPool(concurrency, MemberApiServer.daemon("fake-fc-instance"));
        for (int i = 0; i < concurrency; i++) {
            int slot = i;
            workers.submit(() -> work(slot));
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Task> tasks() {
        return new ArrayList<>(tasks.values());
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The instance in slot {@code slot}, started if none runs there (the test's own entry point, as a timer). */
    public synchronized FunctionProcess instance(int slot) {
        if (instances[slot] == null || !instances[slot].process().isAlive()) {
            instances[slot] = startInstance.apply(slot);
        }
        return instances[slot];
    }

    /** The instance running {@code taskId} now, if any. */
    public Optional<FunctionProcess> runningTask(String taskId) {
        Task task = tasks.get(taskId);
        Integer slot = task == null ? null : task.instance;
        return slot == null ? Optional.empty() : Optional.ofNullable(instances[slot]);
    }

    /** Waits until every task accepted so far has ended (succeeded or given up). */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (tasks.values().stream().anyMatch(t -> t.outcome == null)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("FC tasks still running: " + tasks.values().stream()
                        .filter(t -> t.outcome == null).map(Task::id).toList());
            }
            Thread.sleep(50);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                answer(exchange, 404, "NotFound", "no such API");
                return;
            }
            String why = signatureProblem(exchange, body);
            if (why != null) {
                refusals.add(why);
                answer(exchange, 403, "SignatureNotMatch", why);
                return;
            }
            if (!functionName.equals(path.group(1))) {
                answer(exchange, 404, "FunctionNotFound", "function " + path.group(1) + " does not exist");
                return;
            }
            if (!"Async".equals(exchange.getRequestHeaders().getFirst("x-fc-invocation-type"))) {
                answer(exchange, 400, "InvalidArgument", "only async invocations here");
                return;
            }
            String taskId = String.valueOf(exchange.getRequestHeaders().getFirst("x-fc-async-task-id"));
            if (!taskId.matches("[A-Za-z_][A-Za-z0-9_-]{0,127}")) {
                answer(exchange, 400, "InvalidArgument", "x-fc-async-task-id");
                return;
            }
            Task task = new Task(taskId, body);
            if (tasks.putIfAbsent(taskId, task) != null) {
                answer(exchange, 409, "AsyncTaskConflict", "task " + taskId + " exists");
                return;
            }
            queue.add(task);
            exchange.getResponseHeaders().set("x-fc-request-id", taskId);
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private void work(int slot) {
        while (!Thread.currentThread().isInterrupted()) {
            Task task;
            try {
                task = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) {
                continue;
            }
            task.attempts++;
            task.instance = slot;
            boolean ok = false;
            try {
                FunctionProcess instance = instance(slot);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + instance.port() + "/invoke")).timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "application/octet-stream").header("x-fc-request-id", task.id)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(task.payload)).build(),
                        HttpResponse.BodyHandlers.ofString());
                ok = !"404".equals(response.headers().firstValue("x-fc-status").orElse(""))
                        && response.statusCode() < 500;
            } catch (IOException | RuntimeException e) {
                ok = false; // the instance died under the invocation: FC counts it failed
            } catch (InterruptedException e) {
                return;
            }
            task.instance = null;
            if (ok) {
                task.outcome = "succeeded";
            } else if (task.attempts > RETRIES) {
                task.outcome = "failed";
            } else {
                try {
                    Thread.sleep(500L << (task.attempts - 1));
                } catch (InterruptedException e) {
                    return;
                }
                queue.add(task);
            }
        }
    }

    /** The V3 signature recomputed from what arrived; null when it matches. */
    private String signatureProblem(HttpExchange exchange, byte[] body) {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Matcher m = Pattern.compile("ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)")
                .matcher(authorization);
        if (!m.matches()) {
            return "no ACS3-HMAC-SHA256 authorization";
        }
        Optional<FakeAck.Identity> key = keys.apply(m.group(1));
        if (key.isEmpty()) {
            return "unknown AccessKey";
        }
        if (!sha256(body).equals(exchange.getRequestHeaders().getFirst("x-acs-content-sha256"))) {
            return "x-acs-content-sha256 is not the body's";
        }
        TreeMap<String, String> signed = new TreeMap<>();
        for (String name : m.group(2).split(";")) {
            String value = name.equals("host") ? exchange.getRequestHeaders().getFirst("Host")
                    : exchange.getRequestHeaders().getFirst(name);
            if (value == null) {
                return "signed header " + name + " missing";
            }
            signed.put(name.toLowerCase(Locale.ROOT), value.trim());
        }
        if (!signed.containsKey("x-acs-date") || !signed.containsKey("host")) {
            return "x-acs-date and host must be signed";
        }
        TreeMap<String, String> query = new TreeMap<>(FakeAck.query(exchange.getRequestURI().getRawQuery()));
        StringBuilder canonical = new StringBuilder("POST\n").append(exchange.getRequestURI().getRawPath())
                .append('\n');
        List<String> pairs = new ArrayList<>();
        query.forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
        canonical.append(String.join("&", pairs)).append('\n');
        signed.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        canonical.append('\n').append(String.join(";", signed.keySet())).append('\n').append(sha256(body));
        String expected = hmac(key.get().secret(), "ACS3-HMAC-SHA256\n"
                + sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), m.group(3).getBytes(
                StandardCharsets.US_ASCII)) ? null : "signature does not match";
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] bytes = JSON.createObjectNode().put("Code", code).put("Message", message)
                .put("RequestId", java.util.UUID.randomUUID().toString()).toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public synchronized void close() {
        workers.shutdownNow();
        server.stop(0);
        for (FunctionProcess instance : instances) {
            if (instance != null) {
                try {
                    instance.close();
                } catch (IOException | InterruptedException e) {
                    instance.process().destroyForcibly();
                }
            }
        }
    }
}
