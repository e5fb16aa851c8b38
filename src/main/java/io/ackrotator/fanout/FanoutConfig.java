package io.ackrotator.fanout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Spreading a sweep over Function Compute: one async invocation of this function per batch (README "Large fleets"). */
@ConfigMapping(prefix = "rotator.fanout")
public interface FanoutConfig {

    /** The timer's sweep only lists and partitions the fleet, and starts one async invocation per batch. */
    @WithDefault("false")
    boolean enabled();

    /** FC 3.0's API endpoint as a URL; default {@code https://<FC_ACCOUNT_ID>.<FC_REGION>.fc.aliyuncs.com}. */
    Optional<String> endpoint();

    /** The function to invoke per batch; default: this one ({@code FC_FUNCTION_NAME}). */
    Optional<String> functionName();

    /** Its version or alias, when not LATEST. */
    Optional<String> qualifier();

    /** Clusters per batch (a batch never mixes accounts or regions). */
    @WithDefault("100")
    int batchSize();
}
