package io.ackrotator.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ackrotator.ack.AckClient;
import io.ackrotator.host.HostCluster;
import io.ackrotator.kubeconfig.ApiAnswers;
import io.ackrotator.rotation.BatchOutcomes;
import io.ackrotator.rotation.RotationAction;
import io.ackrotator.rotation.RotationConfig;
import io.ackrotator.rotation.RotationReport;
import io.ackrotator.store.StateConfigMap;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The last fanned-out sweep, kept in the ConfigMap {@value #NAME} of the store namespace: its ID, when it started,
 * how many batches, and each finished batch's counts and failed clusters (written by the batch, conditional on the
 * version read, retried when batches finishing together collide). {@code status} shows it, so a fleet swept by many
 * invocations reads as one sweep.
 */
@ApplicationScoped
public class FanoutRecord implements BatchOutcomes {

    static final String NAME = "ack-kubeconfig-rotator-fanout";
    private static final int MAX_FAILED = 50;
    private static final int ATTEMPTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger("io.ackrotator.fanout");

    /**
     * What status shows: the sweep, its batches and how many finished (a batch cut by its deadline is retried by FC
     * and counts when it completes), the counts over every batch's last run, and failed clusters.
     */
    @RegisterForReflection
    public record State(String sweepId, Instant startedAt, int batches, int finished, Map<String, Long> summary,
            List<String> failedClusters) {
    }

    private final HostCluster host;
    private final RotationConfig rotation;
    private final Clock clock;

    public FanoutRecord(HostCluster host, RotationConfig rotation, Clock clock) {
        this.host = host;
        this.rotation = rotation;
        this.clock = clock;
    }

    /** A new sweep replaces the last one's record; the same sweep again (a retried fan-out) keeps its batches'. */
    void begin(AckClient ack, String sweepId, int batches) {
        StateConfigMap state = state(ack);
        update(state, current -> {
            if (sweepId.equals(current.get("sweep"))) {
                return current;
            }
            Map<String, String> fresh = new HashMap<>();
            fresh.put("sweep", sweepId);
            fresh.put("started-at", clock.instant().toString());
            fresh.put("batches", Integer.toString(batches));
            return fresh;
        });
    }

    @Override
    public void batchFinished(AckClient ack, String sweepId, int batch, RotationReport report) {
        ObjectNode outcome = JSON.createObjectNode().put("status", report.status())
                .put("finishedAt", report.finishedAt().toString());
        ObjectNode counts = outcome.putObject("summary");
        report.summary().forEach((action, count) -> {
            if (count > 0) {
                counts.put(action, count);
            }
        });
        var failed = outcome.putArray("failed");
        report.results().stream().filter(r -> r.action() == RotationAction.FAILED).limit(MAX_FAILED)
                .forEach(r -> failed.add(r.cluster() == null ? r.clusterId() : r.cluster()));
        try {
            update(state(ack), current -> {
                if (!sweepId.equals(current.get("sweep"))) {
                    return current; // a newer sweep started meanwhile: this batch's outcome is history
                }
                Map<String, String> next = new HashMap<>(current);
                next.put("batch-" + batch, outcome.toString());
                return next;
            });
        } catch (KubernetesClientException e) {
            LOG.warnf("batch %d of %s: outcome not recorded (%s)", batch, sweepId, ApiAnswers.describe(e));
        }
    }

    public Optional<State> last(AckClient ack) {
        Map<String, String> data;
        try {
            data = state(ack).read().data();
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
        if (!data.containsKey("sweep")) {
            return Optional.empty();
        }
        Map<String, Long> summary = new LinkedHashMap<>();
        List<String> failed = new java.util.ArrayList<>();
        int finished = 0;
        for (Map.Entry<String, String> entry : new java.util.TreeMap<>(data).entrySet()) {
            if (!entry.getKey().startsWith("batch-")) {
                continue;
            }
            try {
                JsonNode outcome = JSON.readTree(entry.getValue());
                if (RotationReport.COMPLETED.equals(outcome.path("status").asText())) {
                    finished++;
                }
                outcome.path("summary").fields().forEachRemaining(count -> summary.merge(count.getKey(),
                        count.getValue().asLong(), Long::sum));
                outcome.path("failed").forEach(name -> failed.add(name.asText()));
            } catch (IOException e) {
                // a hand-edited entry: counted as not finished
            }
        }
        return Optional.of(new State(data.get("sweep"), Instant.parse(data.getOrDefault("started-at",
                Instant.EPOCH.toString())), Integer.parseInt(data.getOrDefault("batches", "0")), finished, summary,
                failed.stream().limit(MAX_FAILED).toList()));
    }

    private StateConfigMap state(AckClient ack) {
        return new StateConfigMap(host.client(ack), rotation.namespace(), NAME);
    }

    private static void update(StateConfigMap state, java.util.function.UnaryOperator<Map<String, String>> change) {
        for (int attempt = 1;; attempt++) {
            StateConfigMap.Snapshot read = state.read();
            Map<String, String> next = change.apply(read.data());
            if (next.equals(read.data())) {
                return;
            }
            try {
                state.write(read, next);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(10, 60L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
