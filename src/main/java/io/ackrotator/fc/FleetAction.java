package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.ClusterId;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An action an event asks for, validated. {@code sweep} = rotate every managed cluster (the sweep re-syncs what it
 * rotated); {@code rotate} and {@code resync} take the same arguments as their HTTP functions; {@code status} none.
 */
public record FleetAction(String name, List<ClusterId> clusterIds, List<String> members, boolean dryRun,
        boolean force, boolean rbac, Batch batch) {

    /** {@code sweep-batch}: one batch of a fanned-out sweep, as the fan-out started it (clusters account/region/id). */
    public record Batch(String sweep, int index, List<String> clusters) {
    }

    /** The most clusters one batch may carry (rotator.fanout.batch-size's bound). */
    static final int MAX_BATCH = 1000;

    public FleetAction(String name, List<ClusterId> clusterIds, List<String> members, boolean dryRun, boolean force,
            boolean rbac) {
        this(name, clusterIds, members, dryRun, force, rbac, null);
    }

    public FleetAction(String name, List<ClusterId> clusterIds, List<String> members, boolean dryRun, boolean force) {
        this(name, clusterIds, members, dryRun, force, false);
    }

    private static final String ACTIONS = "sweep, rotate, resync, status, audit";
    public static final Set<String> NAMES = Set.of("sweep", "rotate", "resync", "status", "audit");

    /** Adopt clusters an ACK event announced (never from a direct action: events only). */
    public static FleetAction adopt(List<ClusterId> clusterIds) {
        return new FleetAction("adopt", clusterIds, List.of(), false, false);
    }

    public static FleetAction sweep() {
        return new FleetAction("sweep", List.of(), List.of(), false, false);
    }

    public static FleetAction named(String word) {
        String name = word.trim().toLowerCase(Locale.ROOT);
        refuseIssue(name);
        if (!NAMES.contains(name)) {
            throw new BadRequestException("action", "action must be one of " + ACTIONS);
        }
        return new FleetAction(name, List.of(), List.of(), false, false);
    }

    /** {@code {"action": "...", ...arguments}}. */
    public static FleetAction of(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new BadRequestException("action", "an action must be a JSON object with an 'action' field");
        }
        JsonNode word = object.get("action");
        if (word == null || !word.isTextual()) {
            throw new BadRequestException("action", "action is required: one of " + ACTIONS);
        }
        String name = word.textValue().trim().toLowerCase(Locale.ROOT);
        refuseIssue(name);
        return switch (name) {
            case "sweep" -> {
                JsonInput input = JsonInput.of(object, Set.of("action", "dryRun"));
                yield new FleetAction(name, List.of(), List.of(), input.bool("dryRun", false), false);
            }
            case "rotate" -> {
                JsonInput input = JsonInput.of(object, Set.of("action", "clusterIds", "dryRun", "force"));
                yield new FleetAction(name, input.clusterIds("clusterIds"), List.of(), input.bool("dryRun", false),
                        input.bool("force", false));
            }
            case "resync" -> {
                JsonInput input = JsonInput.of(object, Set.of("action", "clusters", "dryRun"));
                yield new FleetAction(name, List.of(), input.kubesphereNames("clusters"), input.bool("dryRun", false),
                        false);
            }
            case "status" -> {
                JsonInput.of(object, Set.of("action"));
                yield new FleetAction(name, List.of(), List.of(), false, false);
            }
            case "sweep-batch" -> {
                JsonInput input = JsonInput.of(object, Set.of("action", "sweep", "batch", "clusters"));
                String sweep = input.text("sweep").filter(id -> id.matches("[A-Za-z0-9_.:-]{1,100}"))
                        .orElseThrow(() -> new BadRequestException("sweep", "sweep is required: the fan-out's ID"));
                long index = input.wholeNumber("batch").filter(n -> n >= 0 && n < 100_000).orElseThrow(() ->
                        new BadRequestException("batch", "batch is required: the batch's number"));
                List<String> clusters = input.strings("clusters");
                if (clusters.isEmpty() || clusters.size() > MAX_BATCH) {
                    throw new BadRequestException("clusters", "clusters: 1 to " + MAX_BATCH + " names");
                }
                yield new FleetAction(name, List.of(), List.of(), false, false, false, new Batch(sweep, (int) index,
                        clusters));
            }
            case "audit" -> {
                JsonInput input = JsonInput.of(object, Set.of("action", "clusterIds", "rbac"));
                yield new FleetAction(name, input.clusterIds("clusterIds"), List.of(), false, false,
                        input.bool("rbac", false));
            }
            default -> throw new BadRequestException("action", "action must be one of " + ACTIONS);
        };
    }

    /** Issuing hands out credentials: only over HTTP, with a caller's token, never through an event. */
    private static void refuseIssue(String name) {
        if (name.equals("issue")) {
            throw new HttpStatusException(403, "issue is not available through /invoke: call POST /issue over HTTP "
                    + "with a caller token");
        }
    }
}
