package io.ackrotator.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where notifications land in tests, each checking what its real counterpart checks:
 * <ul>
 * <li>{@code /dingtalk}: a DingTalk custom robot. Its {@code sign} must be the URL-encoded Base64 HmacSHA256 of
 * {@code timestamp + "\n" + secret} and the timestamp within an hour; at most 20 messages a minute, then it refuses
 * (Source: DingTalk's custom robot guide, as quoted in https://blog.csdn.net/lxw1844912514/article/details/125780346:
 * "每个机器人每分钟最多发送20条消息到群里,如果超过20条,会限流10分钟"). Answers {@code {"errcode":0,"errmsg":"ok"}};
 * the refusal codes here (310000 bad sign, 130101 too fast) are this stand-in's, the function must not rely on them.</li>
 * <li>{@code /webhook}: a receiver of our own signed webhook, refusing a bad signature or a timestamp more than five
 * minutes off (replay).</li>
 * </ul>
 */
public final class NotificationReceivers implements AutoCloseable {

    public static final String DINGTALK_SECRET = "SEC-test-dingtalk-0123456789abcdef";
    public static final String WEBHOOK_SECRET = "webhook-secret-for-tests-5b7d9f";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message a receiver accepted. */
    public record Received(String channel, JsonNode body) {
        public String text() {
            return body.toString();
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Instant> dingtalkTimes = new ArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private volatile boolean webhookDown;

    public NotificationReceivers() {
        try {
            server = HttpServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/dingtalk", this::dingtalk);
        server.createContext("/webhook", this::webhook);
        server.setExecutor(Executors.newCachedThreadPool(MemberApiServer.daemon("notification-receivers")));
        server.start();
    }

    public String dingtalkUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/dingtalk?access_token=test-robot-token";
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The messages that mention {@code text} (a cluster ID), per channel. */
    public List<Received> about(String channel, String text) {
        return received.stream().filter(r -> r.channel().equals(channel) && r.text().contains(text)).toList();
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /**
     * The robot's minute starts over: the test JVM's many test classes share one robot, far more often than one
     * deployment's sweeps would write to it; a test that counts its own messages starts from an empty minute.
     */
    public void startNewMinute() {
        synchronized (dingtalkTimes) {
            dingtalkTimes.clear();
        }
    }

    public void webhookDown(boolean down) {
        this.webhookDown = down;
    }

    private void dingtalk(HttpExchange exchange) throws IOException {
        Map<String, String> query = FakeAck.query(exchange.getRequestURI().getRawQuery());
        String timestamp = query.getOrDefault("timestamp", "");
        String expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(DINGTALK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            expected = Base64.getEncoder().encodeToString(mac.doFinal((timestamp + "\n" + DINGTALK_SECRET)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IOException(e);
        }
        // FakeAck.query has URL-decoded the sign already
        boolean fresh = timestamp.matches("[0-9]{13}")
                && Math.abs(Instant.now().toEpochMilli() - Long.parseLong(timestamp)) < 3_600_000;
        if (!fresh || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                query.getOrDefault("sign", "").getBytes(StandardCharsets.US_ASCII))) {
            refusals.add("dingtalk: bad sign");
            answer(exchange, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
            return;
        }
        synchronized (dingtalkTimes) {
            Instant now = Instant.now();
            dingtalkTimes.removeIf(t -> t.isBefore(now.minusSeconds(60)));
            if (dingtalkTimes.size() >= 20) {
                refusals.add("dingtalk: more than 20 a minute");
                answer(exchange, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}");
                return;
            }
            dingtalkTimes.add(now);
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (!"markdown".equals(body.path("msgtype").asText()) || body.at("/markdown/text").asText().isEmpty()) {
            refusals.add("dingtalk: not a markdown message");
            answer(exchange, 200, "{\"errcode\":40035,\"errmsg\":\"param error\"}");
            return;
        }
        received.add(new Received("dingtalk", body));
        answer(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    private void webhook(HttpExchange exchange) throws IOException {
        if (webhookDown) {
            answer(exchange, 503, "{}");
            return;
        }
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String timestamp = String.valueOf(exchange.getRequestHeaders().getFirst("X-Rotator-Timestamp"));
        String signature = String.valueOf(exchange.getRequestHeaders().getFirst("X-Rotator-Signature"));
        String expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "."
                    + new String(raw, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IOException(e);
        }
        boolean fresh = timestamp.matches("[0-9]{1,12}")
                && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300;
        if (!fresh || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            refusals.add("webhook: bad signature or stale timestamp");
            answer(exchange, 401, "{}");
            return;
        }
        received.add(new Received("webhook", JSON.readTree(raw)));
        answer(exchange, 204, null);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
