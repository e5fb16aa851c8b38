package io.ackrotator.fanout;

import io.ackrotator.ack.ClusterId;
import io.ackrotator.ack.FleetScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a sweep is spread: the fleet's clusters grouped by account and region, in batches of at most
 * {@code batchSize}, each with an async task ID made of the sweep's ID and the batch's number. The same sweep (FC's
 * retry of the timer's invocation keeps its request ID) makes the same task IDs, so FC refuses to start a batch twice.
 * Pure.
 */
public final class FanoutPlan {

    /** One batch: its number, where its clusters live, and their names ({@code account/region/clusterId}). */
    public record Batch(int index, FleetScope scope, List<String> clusters, String taskId) {
    }

    private FanoutPlan() {
    }

    public static List<Batch> of(String sweepId, List<ClusterId> clusters, Function<ClusterId, FleetScope> scopeOf,
            int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("rotator.fanout.batch-size must be at least 1");
        }
        Map<FleetScope, List<String>> byScope = new LinkedHashMap<>();
        clusters.stream().sorted((a, b) -> a.value().compareTo(b.value())).forEach(id -> byScope.computeIfAbsent(
                scopeOf.apply(id), s -> new ArrayList<>()).add(scopeOf.apply(id).name(id)));
        List<Batch> batches = new ArrayList<>();
        byScope.entrySet().stream().sorted((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()))
                .forEach(entry -> {
                    List<String> names = entry.getValue();
                    for (int from = 0; from < names.size(); from += batchSize) {
                        int index = batches.size();
                        batches.add(new Batch(index, entry.getKey(), List.copyOf(names.subList(from,
                                Math.min(names.size(), from + batchSize))), taskId(sweepId, index)));
                    }
                });
        return batches;
    }

    /** {@code sweep_<sweep>_<n>}: FC's shape (letters, digits, _ and -; a letter first; at most 128). */
    static String taskId(String sweepId, int index) {
        String clean = sweepId.replaceAll("[^A-Za-z0-9_-]", "-");
        String suffix = "_" + index;
        int room = 128 - "sweep_".length() - suffix.length();
        return "sweep_" + (clean.length() > room ? clean.substring(clean.length() - room) : clean) + suffix;
    }
}
