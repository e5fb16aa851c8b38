package io.ackrotator.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What people were last told, per cluster: the condition last announced and the orphaned accounts already reported.
 * {@code enabled} false: no channel is configured, so nobody is told anything.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotifiedState(boolean enabled, Map<String, Cluster> clusters, String error) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Cluster(String condition, List<String> orphanedAccounts) {
    }

    static final NotifiedState OFF = new NotifiedState(false, Map.of(), null);

    static NotifiedState unreadable(String error) {
        return new NotifiedState(true, Map.of(), error);
    }

    /** From the stored told-map: {@code <cluster>} → condition, {@code orphan.<cluster>.<account>} → told. */
    static NotifiedState of(Map<String, String> told, String orphanPrefix) {
        Map<String, String> conditions = new TreeMap<>();
        Map<String, List<String>> orphans = new TreeMap<>();
        told.forEach((key, value) -> {
            if (key.startsWith(orphanPrefix)) {
                String rest = key.substring(orphanPrefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    orphans.computeIfAbsent(rest.substring(0, dot), c -> new ArrayList<>()).add(rest.substring(dot + 1));
                }
            } else {
                conditions.put(key, value);
            }
        });
        Map<String, Cluster> clusters = new TreeMap<>();
        conditions.forEach((id, condition) -> clusters.put(id, new Cluster(condition, List.of())));
        orphans.forEach((id, accounts) -> clusters.merge(id, new Cluster(null, List.copyOf(accounts)),
                (had, more) -> new Cluster(had.condition(), more.orphanedAccounts())));
        return new NotifiedState(true, clusters, null);
    }

    /** One line for a person: what this cluster's people were last told. */
    public String describe(String clusterId) {
        if (!enabled) {
            return "notifications off";
        }
        if (error != null) {
            return "unknown";
        }
        Cluster cluster = clusters.get(clusterId);
        if (cluster == null) {
            return "nothing told";
        }
        String condition = cluster.condition() == null ? "" : "told " + cluster.condition();
        String orphans = cluster.orphanedAccounts() == null || cluster.orphanedAccounts().isEmpty() ? ""
                : "orphaned " + String.join(", ", cluster.orphanedAccounts());
        return condition.isEmpty() ? orphans : orphans.isEmpty() ? condition : condition + "; " + orphans;
    }
}
