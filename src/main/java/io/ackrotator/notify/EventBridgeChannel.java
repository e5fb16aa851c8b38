package io.ackrotator.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ackrotator.ack.AckCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * EventBridge: one CloudEvent per change, put on a custom event bus through the data-plane PutEvents API
 * ({@code POST /openapi/putEvents}, a JSON array of structured CloudEvents 1.0 with the bus named in the
 * {@code aliyuneventbusname} extension, at most 16 per request), signed with the invocation's credentials
 * ({@link EventBridgeSignature}). Event types are {@code ack-kubeconfig-rotator:Kubeconfig:<Kind>}, the subject is the
 * cluster ID, so a rule can route by either. An entry EventBridge did not take makes the delivery fail (and retry).
 * Source: EventBridge PutEvents (https://www.alibabacloud.com/help/en/eventbridge/latest/putevents-3) and the official
 * SDK (aliyun/alibabacloud-eventbridge-sdk main.tea: putEventsWithOptions, PutEventsResponse; EBConstants).
 */
final class EventBridgeChannel implements Channel {

    static final String PATH = "/openapi/putEvents";
    static final String CONTENT_TYPE = "application/cloudevents-batch+json; charset=utf-8";
    static final String SOURCE = "ack-kubeconfig-rotator";
    static final int MAX_PER_REQUEST = 16;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** EventBridge checks the date against its own clock, not against the function's notion of time. */
    private static final Clock WALL = Clock.systemUTC();

    private final URI endpoint;
    private final String bus;
    private final HttpClient http;

    EventBridgeChannel(String endpoint, String bus, HttpClient http) {
        this.endpoint = URI.create(endpoint);
        this.bus = bus;
        this.http = http;
    }

    @Override
    public String name() {
        return "eventbridge";
    }

    @Override
    public void send(Message message, AckCredentials credentials) throws DeliveryException {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < message.changes().size(); i++) {
            events.add(event(message, i));
        }
        for (int from = 0; from < events.size(); from += MAX_PER_REQUEST) {
            ArrayNode batch = JSON.createArrayNode();
            events.subList(from, Math.min(events.size(), from + MAX_PER_REQUEST)).forEach(batch::add);
            put(batch.toString(), credentials);
        }
    }

    /** Same ID on every attempt of the same message, so a consumer can drop a retried duplicate. */
    private ObjectNode event(Message message, int index) {
        Change change = message.changes().get(index);
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", message.id() + "-" + index)
                .put("source", SOURCE).put("type", SOURCE + ":Kubeconfig:" + type(change.kind()))
                .put("subject", change.clusterId()).put("time", message.at().toString())
                .put("datacontenttype", "application/json; charset=utf-8").put("aliyuneventbusname", bus);
        ObjectNode data = event.putObject("data").put("clusterId", change.clusterId()).put("change", change.kind())
                .put("line", change.line()).put("title", message.title());
        if (change.from() != null) {
            data.put("from", change.from().wireName());
        }
        return event;
    }

    /** {@code failed} → {@code Failed}: EventBridge event types read as {@code product:Resource:Event}. */
    static String type(String kind) {
        return kind.isEmpty() ? kind : Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    private void put(String body, AckCredentials credentials) throws DeliveryException {
        String date = HTTP_DATE.format(WALL.instant());
        Map<String, String> acs = EventBridgeSignature.acsHeaders(credentials, UUID.randomUUID().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(PATH)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE).header("Date", date).header("Accept", "application/json")
                .header("x-eventbridge-version", "2015-06-06")
                .header("Authorization", EventBridgeSignature.authorization(credentials,
                        EventBridgeSignature.stringToSign("POST", CONTENT_TYPE, date, acs, PATH)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        acs.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException("EventBridge could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted");
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryException("EventBridge answered HTTP " + response.statusCode() + " "
                    + bounded(answer.path("code").asText(answer.path("Code").asText(""))));
        }
        int failed = answer.path("FailedEntryCount").asInt(0);
        if (failed > 0) {
            String code = "";
            for (JsonNode entry : answer.path("EntryList")) {
                if (!entry.path("ErrorCode").asText("").isEmpty()) {
                    code = entry.path("ErrorCode").asText();
                    break;
                }
            }
            throw new DeliveryException("EventBridge refused " + failed + " event(s) " + bounded(code));
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** An error code only: letters, digits and dots, bounded (never an echo of anything else). */
    private static String bounded(String code) {
        String clean = code.replaceAll("[^A-Za-z0-9._-]", "");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }
}
