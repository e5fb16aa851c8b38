package io.ackrotator.notify;

import io.ackrotator.signing.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A DingTalk custom robot. A signed robot's request carries {@code &timestamp=<ms>&sign=<s>}, where {@code s} is
 * the URL-encoded Base64 of HmacSHA256 (key: the secret) over {@code timestamp + "\n" + secret}; the body is a
 * markdown message; DingTalk answers {@code {"errcode": 0}} or an error code; a robot takes 20 messages a minute,
 * then is throttled for 10 minutes, so a sweep sends at most one message (Source: DingTalk's custom robot guide,
 * https://open.dingtalk.com/document/robots/custom-robot-access, not reachable from here; as quoted in
 * https://blog.csdn.net/lxw1844912514/article/details/125780346 and implemented in
 * https://www.cnblogs.com/kingling/p/12441416.html, whose signature is {@code quote_plus(b64(hmac_sha256(secret,
 * f"{timestamp}\n{secret}")))}).
 */
final class DingTalkChannel implements Channel {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The receiver checks the timestamp against its wall clock, not against the function's notion of time. */
    private static final Clock WALL = Clock.systemUTC();

    private final String url;
    private final Optional<String> secret;
    private final HttpClient http;

    DingTalkChannel(String url, Optional<String> secret, HttpClient http) {
        this.url = url;
        this.secret = secret.filter(s -> !s.isBlank());
        this.http = http;
    }

    @Override
    public String name() {
        return "dingtalk";
    }

    static String sign(long timestamp, String secret) {
        byte[] signature = Digests.hmacSha256(secret, timestamp + "\n" + secret);
        return URLEncoder.encode(Base64.getEncoder().encodeToString(signature), StandardCharsets.UTF_8);
    }

    @Override
    public void send(Message message, io.ackrotator.ack.AckCredentials credentials) throws DeliveryException {
        String target = url;
        if (secret.isPresent()) {
            long timestamp = WALL.millis();
            target = url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign="
                    + sign(timestamp, secret.get());
        }
        ObjectNode body = JSON.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("title", message.title()).put("text", message.markdown());
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException("DingTalk could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (response.statusCode() != 200 || answer == null || answer.path("errcode").asInt(-1) != 0) {
            throw new DeliveryException("DingTalk refused the message (HTTP " + response.statusCode() + ", errcode "
                    + (answer == null ? "-" : answer.path("errcode").asText("-")) + ")");
        }
    }
}
