package io.ackrotator.fc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ackrotator.ack.ClusterId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What arrived at {@code POST /invoke}, recognised by its shape: an FC timer trigger event, an EventBridge CloudEvent,
 * or a direct {@code {"action": ...}}. Either an action to run or a reason to ignore it.
 */
public record FcEvent(String source, Optional<FleetAction> action, Optional<String> ignored) {

    static final String EXPECTED = "expected a timer trigger event {\"triggerTime\", \"triggerName\", \"payload\"}, "
            + "a CloudEvent {\"specversion\", \"id\", \"source\", \"type\", \"data\"} or {\"action\": \"sweep|rotate|"
            + "resync|status\"}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLUSTER_IN_SUBJECT = Pattern.compile("cluster/(c[a-z0-9]{7,63})");

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
     * ACK cluster events (source {@code acs.cs}): a created or imported cluster is adopted (its first kubeconfig
     * fetched and stored, its KubeSphere member re-synced). Everything else is acknowledged and ignored with a reason.
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
        String lower = type.toLowerCase(Locale.ROOT);
        if (!(lower.contains("create") || lower.contains("import") || lower.contains("attach"))) {
            return ignored("ACK event type " + type + " needs no action");
        }
        Optional<String> clusterId = Optional.ofNullable(event.path("data").path("clusterId").textValue())
                .or(() -> Optional.ofNullable(event.path("data").path("ClusterId").textValue()))
                .or(() -> {
                    Matcher matcher = CLUSTER_IN_SUBJECT.matcher(event.path("subject").asText(""));
                    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
                });
        if (clusterId.isEmpty()) {
            throw new BadRequestException("data.clusterId", "ACK event " + type + " names no cluster (data.clusterId "
                    + "or subject .../cluster/<id>)");
        }
        ClusterId id = JsonInput.clusterId("data.clusterId", clusterId.get());
        return new FcEvent("cloudevent", Optional.of(new FleetAction("rotate", List.of(id), List.of(), false, false)),
                Optional.empty());
    }

    private static FcEvent ignored(String reason) {
        return new FcEvent("cloudevent", Optional.empty(), Optional.of(reason));
    }
}
