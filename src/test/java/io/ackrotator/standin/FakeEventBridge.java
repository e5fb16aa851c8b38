package io.ackrotator.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * EventBridge's data plane, PutEvents only, checking what the service checks:
 * <ul>
 * <li>{@code POST /openapi/putEvents}, {@code Content-Type: application/cloudevents-batch+json}, a JSON array of at
 * most 16 structured CloudEvents, each with {@code id}, {@code source}, {@code type}, {@code specversion} and the bus
 * in {@code aliyuneventbusname}. Source: https://www.alibabacloud.com/help/en/eventbridge/latest/putevents-3 (limits:
 * 16 events, 64 KB each) and aliyun/alibabacloud-eventbridge-sdk main.tea (putEventsWithOptions) and
 * java/src/main/java/com/aliyun/eventbridge/models/EBConstants.java (EXTENSION_EVENTBUSNAME).</li>
 * <li>The signature: {@code Authorization: acs:<AccessKeyId>:<sig>}, sig = Base64 HMAC-SHA1 under the key's secret of
 * {@code METHOD\n content-md5\n content-type\n date\n} + each {@code x-acs*} header {@code name:value\n}, sorted,
 * + the path; an STS key must send its token in {@code x-acs-security-token}. Source: the same SDK,
 * util/java/src/main/java/com/aliyun/eventbridge/base/EventBridgeUtil.java (getStringToSign, getSignature) and
 * java/src/main/java/com/aliyun/eventbridge/EventBridgeClient.java (doRequest).</li>
 * <li>Answers: 200 {@code {RequestId, FailedEntryCount, EntryList:[{EventId, TraceId, ErrorCode?, ErrorMessage?}]}};
 * errors {@code {code, message, requestId}} (the SDK reads these lower-case names), e.g. 403
 * {@code SignatureDoesNotMatch}. Source: main.tea PutEventsResponse and
 * https://help.aliyun.com/zh/eventbridge/error-codes. The code we answer for an unknown bus is the stand-in's own.</li>
 * </ul>
 */
public final class FakeEventBridge implements AutoCloseable {

    public static final String BUS = "ack-rotator-notices";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Function<String, Optional<FakeAck.Identity>> keys;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNextEntries = new AtomicInteger();

    public FakeEventBridge(Function<String, Optional<FakeAck.Identity>> keys) {
        this.keys = keys;
        try {
            server = HttpServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/openapi/putEvents", this::putEvents);
        server.setExecutor(Executors.newCachedThreadPool(MemberApiServer.daemon("fake-eventbridge")));
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every event taken, in order. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    public List<JsonNode> about(String clusterId) {
        return events.stream().filter(e -> e.path("subject").asText().equals(clusterId)).toList();
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The next request's entries are all refused with an entry-level error (FailedEntryCount). */
    public void failNextRequest() {
        failNextEntries.set(1);
    }

    private void putEvents(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        byte[] raw = exchange.getRequestBody().readAllBytes();
        Headers headers = exchange.getRequestHeaders();
        String contentType = String.valueOf(headers.getFirst("Content-Type"));
        if (!"POST".equals(exchange.getRequestMethod()) || !contentType.startsWith(
                "application/cloudevents-batch+json")) {
            refuse(exchange, 400, "InvalidArgument", "method or content type", requestId);
            return;
        }
        String authorization = String.valueOf(headers.getFirst("Authorization"));
        if (!authorization.startsWith("acs:") || authorization.indexOf(':', 4) < 0) {
            refuse(exchange, 403, "MissingAuthorization", "no acs: authorization", requestId);
            return;
        }
        String keyId = authorization.substring(4, authorization.indexOf(':', 4));
        Optional<FakeAck.Identity> identity = keys.apply(keyId);
        if (identity.isEmpty()) {
            refuse(exchange, 403, "InvalidAccessKeyId", "unknown key", requestId);
            return;
        }
        String expected = "acs:" + keyId + ":" + sign(identity.get().secret(), stringToSign(exchange, contentType));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8))) {
            refuse(exchange, 403, "SignatureDoesNotMatch", "signature", requestId);
            return;
        }
        if (identity.get().securityToken().isPresent() && !identity.get().securityToken().get().equals(
                headers.getFirst("x-acs-security-token"))) {
            refuse(exchange, 403, "SecurityTokenInvalid", "token", requestId);
            return;
        }
        JsonNode batch = JSON.readTree(raw);
        if (!batch.isArray() || batch.isEmpty() || batch.size() > 16) {
            refuse(exchange, 400, "InvalidArgument", "not an array of 1 to 16 events", requestId);
            return;
        }
        for (JsonNode event : batch) {
            for (String attribute : List.of("id", "source", "type", "specversion")) {
                if (event.path(attribute).asText("").isEmpty()) {
                    refuse(exchange, 400, "InvalidArgument", "event without " + attribute, requestId);
                    return;
                }
            }
            if (!BUS.equals(event.path("aliyuneventbusname").asText())) {
                refuse(exchange, 404, "EventBusNotExist", "bus", requestId);
                return;
            }
        }
        boolean fail = failNextEntries.getAndSet(0) > 0;
        ObjectNode answer = JSON.createObjectNode().put("RequestId", requestId)
                .put("FailedEntryCount", fail ? batch.size() : 0);
        ArrayNode entries = answer.putArray("EntryList");
        for (JsonNode event : batch) {
            ObjectNode entry = entries.addObject().put("EventId", event.path("id").asText())
                    .put("TraceId", UUID.randomUUID().toString());
            if (fail) {
                entry.put("ErrorCode", "InternalError").put("ErrorMessage", "stand-in refusal");
            } else {
                events.add(event);
            }
        }
        send(exchange, 200, answer.toString());
    }

    private static String stringToSign(HttpExchange exchange, String contentType) {
        Headers headers = exchange.getRequestHeaders();
        Map<String, String> acs = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-acs")) {
                acs.put(lower, values.get(0).trim());
            }
        });
        StringBuilder text = new StringBuilder(exchange.getRequestMethod()).append('\n')
                .append(Optional.ofNullable(headers.getFirst("Content-MD5")).orElse("")).append('\n')
                .append(contentType).append('\n').append(String.valueOf(headers.getFirst("Date"))).append('\n');
        acs.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
        return text.append(exchange.getRequestURI().getRawPath()).toString();
    }

    private static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void refuse(HttpExchange exchange, int status, String code, String why, String requestId)
            throws IOException {
        refusals.add(code + ": " + why);
        send(exchange, status, JSON.createObjectNode().put("code", code).put("message", why)
                .put("requestId", requestId).toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
