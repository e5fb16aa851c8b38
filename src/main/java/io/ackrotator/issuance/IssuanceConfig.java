package io.ackrotator.issuance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "rotator.issue")
public interface IssuanceConfig {

    /** Shortest validity a caller may ask for (ACK accepts 15 minutes to 3 days). */
    @WithDefault("PT30M")
    Duration minValidity();

    /** Longest validity a caller may ask for. */
    @WithDefault("P3D")
    Duration maxValidity();

    /** Validity when the request names none. */
    @WithDefault("PT1H")
    Duration defaultValidity();

    /** Also record each audit entry of an authenticated caller as a Kubernetes Event in the store namespace. */
    @WithDefault("true")
    boolean auditEvents();

    /** Callers by name. None configured: every request is refused. */
    Map<String, Caller> callers();

    interface Caller {
        /**
         * Hex SHA-256 of each bearer token the caller may present (a list, so a token can be rotated without
         * downtime); the token itself is never configured.
         */
        List<String> tokenSha256();

        /** Cluster IDs this caller may get kubeconfigs for, or {@code *} for any. */
        List<String> clusters();

        /** A tighter ceiling than the global one for this caller. */
        Optional<Duration> maxValidity();

        @WithDefault("60")
        int maxPerHour();
    }
}
