package io.ackrotator.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ackrotator.ack.AckClient;
import io.ackrotator.ack.AckConfig;
import io.ackrotator.rotation.ClusterPlacement;
import io.ackrotator.rotation.RotationSweep;
import io.ackrotator.rotation.SweepRequest;
import io.ackrotator.rotation.SweepUnavailableException;
import io.ackrotator.settings.Endpoints;
import io.ackrotator.store.StoreException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The timer's sweep with {@code rotator.fanout.enabled}: lists the fleet, partitions it ({@link FanoutPlan}) and
 * starts one async invocation of this function per batch; FC's concurrency, retries and onFailure destination do the
 * rest. Each batch arrives as the action {@code sweep-batch} and runs {@link RotationSweep#runBatch}.
 */
@ApplicationScoped
public class FanOut {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger("io.ackrotator.fanout");

    private final FanoutConfig config;
    private final AckConfig ack;
    private final RotationSweep sweep;
    private final FanoutRecord record;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FanOut(FanoutConfig config, AckConfig ack, RotationSweep sweep, FanoutRecord record) {
        this.config = config;
        this.ack = ack;
        this.sweep = sweep;
        this.record = record;
    }

    public boolean enabled() {
        return config.enabled();
    }

    void validate(@Observes StartupEvent event) {
        if (config.enabled()) {
            invoker();
            if (config.batchSize() < 1 || config.batchSize() > 1000) {
                throw new IllegalArgumentException("rotator.fanout.batch-size must be 1 to 1000 (an async invocation "
                        + "carries at most 128 KB)");
            }
        }
    }

    public FanoutReport start(AckClient invocation, String sweepId) {
        List<String> warnings = new ArrayList<>();
        ClusterPlacement placement;
        try {
            placement = sweep.place(sweep.store(invocation), invocation, new SweepRequest(List.of(), false, false),
                    warnings);
        } catch (StoreException | KubernetesClientException e) {
            throw new SweepUnavailableException("the store can't be read: " + e.getMessage());
        }
        List<FanoutPlan.Batch> batches = FanoutPlan.of(sweepId, placement.clusters(), placement::scope,
                config.batchSize());
        record.begin(invocation, sweepId, batches.size());
        FcInvoker invoker = invoker();
        int started = 0;
        int before = 0;
        List<String> failed = new ArrayList<>();
        for (FanoutPlan.Batch batch : batches) {
            ObjectNode event = JSON.createObjectNode().put("action", "sweep-batch").put("sweep", sweepId)
                    .put("batch", batch.index());
            batch.clusters().forEach(event.putArray("clusters")::add);
            FcInvoker.Answer answer = invoker.invokeAsync(batch.taskId(), event.toString().getBytes(
                    StandardCharsets.UTF_8), invocation.credentials());
            switch (answer.outcome()) {
                case STARTED -> started++;
                case ALREADY_STARTED -> before++;
                case FAILED -> failed.add("batch " + batch.index() + " (" + batch.scope() + ", " + batch.clusters()
                        .size() + " clusters): " + answer.detail());
            }
        }
        LOG.infof("fanout sweep=%s clusters=%d batches=%d started=%d alreadyStarted=%d failed=%d", sweepId,
                placement.clusters().size(), batches.size(), started, before, failed.size());
        return new FanoutReport(sweepId, placement.clusters().size(), batches.size(), started, before, failed,
                warnings);
    }

    private FcInvoker invoker() {
        String function = config.functionName().filter(n -> !n.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("FC_FUNCTION_NAME")).filter(n -> !n.isBlank()))
                .orElseThrow(() -> new IllegalArgumentException("rotator.fanout.function-name is required outside "
                        + "Function Compute (no FC_FUNCTION_NAME)"));
        String endpoint = config.endpoint().filter(e -> !e.isBlank()).orElseGet(() -> {
            String account = System.getenv("FC_ACCOUNT_ID");
            if (account == null || account.isBlank()) {
                throw new IllegalArgumentException("rotator.fanout.endpoint is required outside Function Compute (no "
                        + "FC_ACCOUNT_ID)");
            }
            String region = Optional.ofNullable(System.getenv("FC_REGION")).filter(r -> !r.isBlank())
                    .orElse(ack.region());
            return "https://" + account + "." + region + ".fc.aliyuncs.com";
        });
        return new FcInvoker(Endpoints.httpsOrLoopback("rotator.fanout.endpoint", endpoint), function,
                config.qualifier().filter(q -> !q.isBlank()), http);
    }
}
