package io.ackrotator.notify;

import io.ackrotator.signing.Digests;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A generic JSON webhook: the message as JSON, signed so the receiver can tell it is ours and fresh:
 * {@code X-Rotator-Timestamp} (Unix seconds) and {@code X-Rotator-Signature: sha256=<hex>}, the HMAC-SHA256 (key: the
 * shared secret) of {@code timestamp + "." + body}; a receiver refuses old timestamps (replay) and bad signatures.
 */
final class WebhookChannel implements Channel {

    static final String TIMESTAMP = "X-Rotator-Timestamp";
    static final String SIGNATURE = "X-Rotator-Signature";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The receiver checks the timestamp against its wall clock, not against the function's notion of time. */
    private static final Clock WALL = Clock.systemUTC();

    private final String url;
    private final String secret;
    private final HttpClient http;

    WebhookChannel(String url, String secret, HttpClient http) {
        this.url = url;
        this.secret = secret;
        this.http = http;
    }

    @Override
    public String name() {
        return "webhook";
    }

    static String signature(String secret, long timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(Digests.hmacSha256(secret, timestamp + "." + body));
    }

    @Override
    public void send(Message message, io.ackrotator.ack.AckCredentials credentials) throws DeliveryException {
        ObjectNode body = JSON.createObjectNode().put("source", "ack-kubeconfig-rotator").put("title",
                message.title());
        ArrayNode changes = body.putArray("changes");
        message.changes().forEach(change -> {
            ObjectNode entry = changes.addObject().put("clusterId", change.clusterId())
                    .put("to", change.kind()).put("line", change.line());
            if (change.from() != null) {
                entry.put("from", change.from().wireName());
            }
        });
        String text = body.toString();
        long timestamp = WALL.instant().getEpochSecond();
        HttpResponse<Void> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header(TIMESTAMP, Long.toString(timestamp))
                    .header(SIGNATURE, signature(secret, timestamp, text))
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new DeliveryException("the webhook could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryException("the webhook answered HTTP " + response.statusCode());
        }
    }
}
