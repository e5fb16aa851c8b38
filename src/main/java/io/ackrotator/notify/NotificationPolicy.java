package io.ackrotator.notify;

import io.ackrotator.rotation.RotationAction;
import io.ackrotator.rotation.RotationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what to tell people after a sweep: one change per cluster whose condition differs from what they were
 * last told (a cluster never told of counts as {@code ok}, so a healthy fleet is silent), and every revocation.
 * Three sweeps with the same failure make one message; the first one without it, one "recovered". Pure.
 */
public final class NotificationPolicy {

    private final Duration warnBefore;

    public NotificationPolicy(Duration warnBefore) {
        this.warnBefore = warnBefore;
    }

    public record Decision(List<Change> changes, Map<String, String> told) {
    }

    /** {@code told}: cluster ID to the condition last announced. */
    public Decision decide(Map<String, String> told, List<RotationResult> results, Instant now) {
        List<Change> changes = new ArrayList<>();
        Map<String, String> next = new HashMap<>(told);
        for (RotationResult result : results) {
            Optional<ClusterCondition> condition = ClusterCondition.of(result, now, warnBefore);
            if (condition.isEmpty()) {
                continue;
            }
            ClusterCondition before = Optional.ofNullable(told.get(result.clusterId())).flatMap(ClusterCondition::of)
                    .orElse(ClusterCondition.OK);
            if (result.action() == RotationAction.REVOKED) {
                changes.add(Change.event(result.clusterId(), "revoked and replaced", result.message()));
            } else if (condition.get() != before) {
                changes.add(Change.condition(result.clusterId(), told.containsKey(result.clusterId()) ? before : null,
                        condition.get(), condition.get() == ClusterCondition.OK ? null : result.message()));
            }
            if (condition.get() == ClusterCondition.OK) {
                next.remove(result.clusterId());
            } else {
                next.put(result.clusterId(), condition.get().wireName());
            }
        }
        return new Decision(List.copyOf(changes), Map.copyOf(next));
    }
}
