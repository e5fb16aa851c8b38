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

    /** Kubeconfigs whose user is a credential plugin ({@code "format": "exec"}). */
    Exec exec();

    interface Exec {
        /** The URL kubectl's plugin calls; default: the scheme and host the issue request came to. */
        Optional<String> url();

        /** The environment variable the plugin reads the caller's token from. */
        @WithDefault("ACK_KUBECONFIG_ROTATOR_TOKEN")
        String tokenVariable();
    }

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

        /**
         * The RAM role ({@code acs:ram::<account>:role/<name>}) the function assumes to fetch this caller's
         * kubeconfigs: their certificates carry the role's identity, and the role's ACK RBAC grant is what the
         * caller can do. Required unless {@code identity} is {@code function}.
         */
        Optional<String> ramRoleArn();

        /** {@code function}: hand out kubeconfigs of the function's own identity (cluster-admin-like). Opt-in only. */
        Optional<String> identity();
    }
}
