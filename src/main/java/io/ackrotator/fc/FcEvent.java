package io.ackrotator.fc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.ack.ClusterId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What arrived at {@code POST /invoke}, recognised by its shape: an FC timer trigger event, an EventBridge CloudEvent,
 * or a direct {@code {"action": ...}}. Either an action to run or a reason to ignore it.
 */
public record FcEvent(String source, Optional<FleetAction> action, Optional<String> ignored) {

    static final String EXPECTED = "expected a timer trigger event {\"triggerTime\", \"triggerName\", \"payload\"}, "
            + "a CloudEvent {\"specversion\", \"id\", \"source\", \"type\", \"data\"} or {\"action\": \"sweep|rotate|"
            + "resync|status|audit\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static FcEvent parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new BadRequestException("body", "unknown event: " + EXPECTED);
        }
        if (event.has("triggerTime") && event.has("triggerName")) {
            return new FcEvent("timer", Optional.of(timerAction(event.get("payload"))), Optional.empty());
        }
        if (event.has("specversion")) {
            return cloudEvent(event);
        }
        if (event.has("action")) {
            return new FcEvent("direct", Optional.of(FleetAction.of(event)), Optional.empty());
        }
        throw new BadRequestException("body", "unknown event: " + EXPECTED);
    }

    /** The timer's payload is a string: empty = sweep, a JSON action object, or a bare action word. */
    private static FleetAction timerAction(JsonNode payload) {
        if (payload == null || payload.isNull() || (payload.isTextual() && payload.textValue().isBlank())) {
            return FleetAction.sweep();
        }
        if (payload.isObject()) {
            return FleetAction.of(payload);
        }
        if (!payload.isTextual()) {
            throw new BadRequestException("payload", "payload must be a string: empty, an action word or a JSON "
                    + "action object");
        }
        String text = payload.textValue().trim();
        if (text.startsWith("{")) {
            try {
                return FleetAction.of(JSON.readTree(text));
            } catch (JsonProcessingException e) {
                throw new BadRequestException("payload", "payload looks like JSON but is not valid JSON");
            }
        }
        return FleetAction.named(text);
    }

    /**
     * EventBridge CloudEvents. ACK publishes with source {@code acs.cs} ("ACK events", EventBridge user guide:
     * https://www.alibabacloud.com/help/en/eventbridge/user-guide/ack-events): {@code cs:k8s:*} (Kubernetes events of
     * a cluster), {@code cs:ActionTrail:ApiCall|ConsoleOperation|AliyunServiceEvent} (ActionTrail records of write
     * calls: "EventBridge supports only ActionTrail events of the write type",
     * https://www.alibabacloud.com/help/en/eventbridge/user-guide/actiontrail-events) and {@code cs:Config:*}. A new
     * cluster, created or registered (imported), is an ActionTrail record of {@code CreateCluster} (ACK's API
     * "creates ... ACK managed clusters, ACK Serverless clusters, ACK Edge clusters, and registered clusters"); its
     * ID is in the record's API answer ({@code responseElements.cluster_id}, CreateCluster's documented response),
     * else in the affected resources ({@code referencedResources}, {@code resourceName}; "ActionTrail: Management
     * event structure", https://www.alibabacloud.com/help/doc-detail/28819.htm). That is adopted; everything else is
     * acknowledged and ignored with a reason.
     */
    private static FcEvent cloudEvent(JsonNode event) {
        for (String field : List.of("id", "source", "type")) {
            if (!event.path(field).isTextual() || event.path(field).textValue().isBlank()) {
                throw new BadRequestException(field, "CloudEvent field '" + field + "' is required");
            }
        }
        String source = event.get("source").textValue();
        String type = event.get("type").textValue();
        if (!source.equals("acs.cs")) {
            return ignored("events from " + source + " are not handled");
        }
        if (type.startsWith("cs:k8s:")) {
            return ignored("ACK event type " + type + " (a Kubernetes event inside a cluster) needs no action");
        }
        if (!type.equals("cs:ActionTrail:ApiCall") && !type.equals("cs:ActionTrail:ConsoleOperation")) {
            return ignored("ACK event type " + type + " needs no action");
        }
        JsonNode record = event.path("data");
        if (!record.isObject()) {
            throw new BadRequestException("data", "an ActionTrail event carries the ActionTrail record in 'data'");
        }
        String eventName = record.path("eventName").asText("");
        if (!eventName.equals("CreateCluster")) {
            return ignored("ACK API call " + (eventName.isEmpty() ? "(unnamed)" : eventName) + " needs no action");
        }
        if (record.hasNonNull("errorCode")) {
            return ignored("CreateCluster failed (" + record.path("errorCode").asText() + "): no cluster to adopt");
        }
        String clusterId = createdClusterId(record).orElseThrow(() -> new BadRequestException(
                "data.responseElements.cluster_id", "the CreateCluster record names no cluster "
                        + "(data.responseElements.cluster_id, data.referencedResources or data.resourceName)"));
        ClusterId id = JsonInput.clusterId("data.responseElements.cluster_id", clusterId);
        return new FcEvent("cloudevent", Optional.of(FleetAction.adopt(List.of(id))), Optional.empty());
    }

    private static Optional<String> createdClusterId(JsonNode record) {
        JsonNode answer = record.path("responseElements");
        if (answer.path("cluster_id").isTextual()) {
            return Optional.of(answer.path("cluster_id").textValue());
        }
        for (var resources = record.path("referencedResources").fields(); resources.hasNext();) {
            var entry = resources.next();
            if (entry.getKey().toLowerCase(Locale.ROOT).endsWith("::cluster") && entry.getValue().path(0).isTextual()) {
                return Optional.of(entry.getValue().path(0).textValue());
            }
        }
        // resourceName: IDs of one type comma-separated, of different types semicolon-separated
        for (String name : record.path("resourceName").asText("").split("[;,]")) {
            if (ClusterId.isShaped(name.trim())) {
                return Optional.of(name.trim());
            }
        }
        return Optional.empty();
    }

    private static FcEvent ignored(String reason) {
        return new FcEvent("cloudevent", Optional.empty(), Optional.of(reason));
    }
}
