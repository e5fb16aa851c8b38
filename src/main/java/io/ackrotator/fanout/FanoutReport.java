package io.ackrotator.fanout;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What a fan-out did: the sweep's ID, its batches, how many FC queued now and how many it had queued before (a
 * retried fan-out: their task IDs exist), and the batches it could not start (then FC retries the whole fan-out,
 * which starts only those).
 */
@RegisterForReflection
public record FanoutReport(String sweepId, int clusters, int batches, int started, int alreadyStarted,
        List<String> failed, List<String> warnings) {

    public boolean finished() {
        return failed.isEmpty();
    }
}
