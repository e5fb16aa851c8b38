package io.ackrotator.hygiene;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What offboarding did on one cluster: {@code would-clean} (dry run), {@code cleaned}, {@code refused-by-ack} (ACK
 * declined, e.g. the account accessed the cluster within 7 days and {@code force} was not set: ACK's own answer,
 * not an error of ours), {@code refused} (the function's own identity or the root account), {@code failed}.
 */
@RegisterForReflection
public record OffboardResult(String clusterId, String outcome, boolean kubeconfigListed, String message) {

    public static final String WOULD_CLEAN = "would-clean";
    public static final String CLEANED = "cleaned";
    public static final String REFUSED_BY_ACK = "refused-by-ack";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";
}
